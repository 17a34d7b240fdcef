import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { DEFAULT_USER, type Emulator, startEmulator } from "../../emulator";
import { useCleanups } from "../support/cleanups";

const PLUGIN_MAIN = path.resolve(__dirname, "../../plugin/main.js");
const JOB = "140b5236-88ad-43c8-811c-1268453jb101";
const FAILING = "23c6e1a4-5b1f-4f43-9d0f-5a8e2f1jb102";
const URN = "urn:pulumi:dev::drs-test::drs:index:JobStart::orders";
const { version: PACKAGE_VERSION } = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../package.json"), "utf8")) as { version: string };

/** A unary call as a promise: `invoke` makes the call with the callback it is given. */
function call<Res>(invoke: (callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => invoke((error, response) => (error ? reject(error) : resolve(response))));
}

/**
 * `pulumi-resource-drs` as built in dist/ (the code the tarball bundles),
 * started as the engine starts it and driven over gRPC against the
 * emulator: what the plugin door's end-to-end tests do through the CLI,
 * here in the processes coverage counts.
 */
describe("drs plugin over gRPC (dist/plugin/main.js, real HTTP to the emulator)", function () {
    this.timeout(30_000);
    const cleanups = useCleanups(after);
    let emu: Emulator;
    let client: ResourceProviderClient;
    let plugin: ChildProcess;

    before(async () => {
        emu = await startEmulator({
            jobs: [
                { id: JOB, name: "orders" },
                { id: FAILING, name: "legacy", failAt: { phase: "FULL_TRANSFER_STARTED", errorCode: "DRS.M03001", errorMessage: "Full migration failed." } },
            ],
        });
        cleanups.push(() => emu.close());
        // No engine address: progress lines go to stdout instead of the engine's Log service.
        // NODE_OPTIONS passes on a coverage run's preload (scripts/coverageOnSignal.ts); no OS_* or DRS_* variables.
        const env = { PATH: process.env.PATH, ...(process.env.NODE_OPTIONS ? { NODE_OPTIONS: process.env.NODE_OPTIONS } : {}) };
        plugin = spawn(process.execPath, [PLUGIN_MAIN], { env, stdio: ["ignore", "pipe", "inherit"] });
        // SIGINT, as the engine ends its plugins; waiting for the exit lets a coverage run collect the plugin's data.
        cleanups.push(
            () =>
                new Promise<void>((resolve) => {
                    if (plugin.exitCode !== null || plugin.signalCode !== null) return resolve();
                    plugin.once("exit", () => resolve());
                    plugin.kill("SIGINT");
                }),
        );
        const port = await new Promise<number>((resolve, reject) => {
            plugin.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim().split("\n")[0])));
            plugin.once("exit", (code) => reject(new Error(`the plugin exited with ${code}`)));
        });
        client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        cleanups.push(() => client.close());
    });

    it("tells its version and serves its schema (version 0 only)", async () => {
        const info = await call<plugproto.PluginInfo>((cb) => client.getPluginInfo(new Empty(), cb));
        assert.equal(info.getVersion(), PACKAGE_VERSION);
        const schema = await call<provproto.GetSchemaResponse>((cb) => client.getSchema(new provproto.GetSchemaRequest().setVersion(0), cb));
        assert.equal((JSON.parse(schema.getSchema()) as { name: string }).name, "drs");
        await assert.rejects(
            call<provproto.GetSchemaResponse>((cb) => client.getSchema(new provproto.GetSchemaRequest().setVersion(1), cb)),
            /unsupported schema version 1/,
        );
    });

    it("configure takes the stack's drs:* config; check refuses other types and fills defaults", async () => {
        const request = new provproto.ConfigureRequest();
        const variables = request.getVariablesMap();
        const config = { endpoint: emu.url, authUrl: emu.authUrl, projectId: emu.projectId, username: DEFAULT_USER.name, password: DEFAULT_USER.password, domainName: DEFAULT_USER.domain };
        for (const [key, value] of Object.entries(config)) variables.set(`drs:config:${key}`, value);
        const configured = await call<provproto.ConfigureResponse>((cb) => client.configure(request, cb));
        assert.equal(configured.getAcceptsecrets(), false);

        const news = Struct.fromJavaScript({ jobId: JOB, dbUseType: "migration" });
        await assert.rejects(
            call<provproto.CheckResponse>((cb) => client.check(new provproto.CheckRequest().setUrn("urn:pulumi:dev::drs-test::aws:s3:Bucket::b").setNews(news), cb)),
            /serves only drs:index:JobStart, not aws:s3:Bucket/,
        );
        const checked = await call<provproto.CheckResponse>((cb) => client.check(new provproto.CheckRequest().setUrn(URN).setNews(news), cb));
        assert.deepEqual(
            checked.getFailuresList().map((f) => `${f.getProperty()}: ${f.getReason()}`),
            [],
        );
        assert.equal(checked.getInputs()?.toJavaScript().timeoutSeconds, 3600);
        const refused = await call<provproto.CheckResponse>((cb) => client.check(new provproto.CheckRequest().setUrn(URN).setNews(Struct.fromJavaScript({ jobId: JOB, dbUseType: "mainframe" })), cb));
        assert.deepEqual(
            refused.getFailuresList().map((f) => f.getProperty()),
            ["dbUseType"],
        );
    });

    it("create starts the job and waits; read, diff, update and delete; the job keeps running", async () => {
        const inputs = Struct.fromJavaScript({ jobId: JOB, dbUseType: "migration", pollIntervalSeconds: 0.05, timeoutSeconds: 60 });
        const created = await call<provproto.CreateResponse>((cb) => client.create(new provproto.CreateRequest().setUrn(URN).setProperties(inputs), cb));
        assert.equal(created.getId(), JOB);
        const outs = created.getProperties()?.toJavaScript() ?? {};
        assert.equal(outs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(emu.jobs.get(JOB)?.starts, 1);

        const read = await call<provproto.ReadResponse>((cb) => client.read(new provproto.ReadRequest().setUrn(URN).setId(JOB).setProperties(created.getProperties()), cb));
        assert.equal(read.getId(), JOB);
        assert.equal(read.getProperties()?.toJavaScript().status, "INCRE_TRANSFER_STARTED");

        // As the engine does: news are check's answer (defaults and the configured project and endpoint filled in).
        const checkedNews = await call<provproto.CheckResponse>((cb) =>
            client.check(
                new provproto.CheckRequest()
                    .setUrn(URN)
                    .setOlds(created.getProperties())
                    .setNews(Struct.fromJavaScript({ jobId: JOB, dbUseType: "migration", pollIntervalSeconds: 0.05, timeoutSeconds: 120 })),
                cb,
            ),
        );
        const changed = checkedNews.getInputs();
        const diff = await call<provproto.DiffResponse>((cb) => client.diff(new provproto.DiffRequest().setUrn(URN).setId(JOB).setOlds(created.getProperties()).setNews(changed), cb));
        assert.equal(diff.getChanges(), provproto.DiffResponse.DiffChanges.DIFF_SOME);
        assert.deepEqual(diff.getReplacesList(), []);
        assert.ok(diff.getDetaileddiffMap().has("timeoutSeconds"));
        const updated = await call<provproto.UpdateResponse>((cb) => client.update(new provproto.UpdateRequest().setUrn(URN).setId(JOB).setOlds(created.getProperties()).setNews(changed), cb));
        assert.equal(updated.getProperties()?.toJavaScript().timeoutSeconds, 120);

        await call<Empty>((cb) => client.delete(new provproto.DeleteRequest().setUrn(URN).setId(JOB).setProperties(updated.getProperties()), cb));
        assert.equal(emu.jobs.get(JOB)?.status, "INCRE_TRANSFER_STARTED", "delete leaves the job running");
        assert.equal(emu.jobs.get(JOB)?.starts, 1, "started once");
    });

    it("a job that fails: the error names job, status and DRS code, and carries its state for the engine (ErrorResourceInitFailed)", async () => {
        const inputs = Struct.fromJavaScript({ jobId: FAILING, dbUseType: "migration", pollIntervalSeconds: 0.05, timeoutSeconds: 60 });
        const error = await call<provproto.CreateResponse>((cb) => client.create(new provproto.CreateRequest().setUrn(URN.replace("orders", "legacy")).setProperties(inputs), cb)).then(
            () => assert.fail("create of a failing job succeeded"),
            (e: grpc.ServiceError) => e,
        );
        assert.match(error.details, new RegExp(`${FAILING}.*DRS\\.M03001`, "s"));
        assert.equal(error.metadata.get("grpc-status-details-bin").length, 1, "the resource's state travels in the status details");
    });
});
