import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { clientEnv, type Emulator, startEmulator } from "../../emulator";
import * as providerShim from "../../sdk/providerShim";
import { jobId } from "../support/env";
import { makeProgramDir } from "../../scripts/engine";
import { type ProviderHost, provproto, rpc, configuredProviderHost, struct } from "../support/providerHost";

const URN = "urn:pulumi:test::drs-test::pulumi-nodejs:dynamic/drs:DrsJobStart::orders";

describe("dynamic provider host over gRPC (real @pulumi/pulumi/cmd/dynamic-provider)", function () {
    this.timeout(60_000);
    let emu: Emulator;
    let host: ProviderHost;
    let program: ReturnType<typeof makeProgramDir>;
    let serialized: string;

    before(async () => {
        emu = await startEmulator({
            jobs: [
                { id: jobId(1), name: "orders" },
                { id: jobId(2), status: "INCRE_TRANSFER_STARTED" },
            ],
        });
        program = makeProgramDir();
        serialized = (await pulumi.runtime.serializeFunction(() => providerShim, { allowSecrets: true })).text;
        host = await configuredProviderHost(program.dir, clientEnv(emu));
    });
    after(async () => {
        await host?.stop();
        program?.remove();
        await emu?.close();
    });

    async function check(news: Record<string, unknown>) {
        const req = new provproto.CheckRequest();
        req.setUrn(URN);
        req.setOlds(struct({}));
        req.setNews(struct({ __provider: serialized, ...news }));
        return rpc<provproto.CheckResponse>((cb) => host.client.check(req, cb));
    }

    it("Check returns failures for bad inputs and defaults for good ones", async () => {
        const bad = await check({ jobId: "nope", pollIntervalSeconds: -1 });
        assert.deepEqual(
            bad
                .getFailuresList()
                .map((f) => f.getProperty())
                .sort(),
            ["jobId", "pollIntervalSeconds"],
        );
        const good = await check({ jobId: jobId(1), pollIntervalSeconds: 0.05 });
        assert.equal(good.getFailuresList().length, 0);
        const inputs = good.getInputs()!.toJavaScript();
        assert.equal(inputs.projectId, emu.projectId);
        assert.deepEqual(inputs.targetStatuses, ["INCRE_TRANSFER_STARTED"]);
        assert.equal(inputs.__provider, serialized);
        assert.equal(emu.count("batch-starting"), 0);
    });

    it("Create starts the job and returns its outputs; Read refreshes them", async () => {
        const inputs = (await check({ jobId: jobId(1), pollIntervalSeconds: 0.05 })).getInputs()!;
        const create = new provproto.CreateRequest();
        create.setUrn(URN);
        create.setProperties(inputs);
        const created = await rpc<provproto.CreateResponse>((cb) => host.client.create(create, cb));
        assert.equal(created.getId(), jobId(1));
        const outs = created.getProperties()!.toJavaScript();
        assert.equal(outs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(outs.name, "orders");
        assert.equal(outs.__provider, serialized);
        assert.equal(emu.jobs.get(jobId(1))?.starts, 1);

        emu.jobs.setStatus(jobId(1), "INCRE_TRANSFER_FAILED", { errorMessage: "binlog gone" });
        const read = new provproto.ReadRequest();
        read.setId(jobId(1));
        read.setUrn(URN);
        read.setProperties(created.getProperties());
        const refreshed = await rpc<provproto.ReadResponse>((cb) => host.client.read(read, cb));
        assert.equal(refreshed.getId(), jobId(1));
        const props = refreshed.getProperties()!.toJavaScript();
        assert.equal(props.status, "INCRE_TRANSFER_FAILED");
        assert.equal(props.errorMessage, "binlog gone");
        assert.equal(props.__provider, serialized);
    });

    it("Read of a job DRS no longer lists returns no id (gone)", async () => {
        emu.jobs.seed({ id: jobId(3), status: "INCRE_TRANSFER_STARTED" });
        emu.jobs.delete(jobId(3));
        const read = new provproto.ReadRequest();
        read.setId(jobId(3));
        read.setUrn(URN);
        read.setProperties(struct({ __provider: serialized, jobId: jobId(3) }));
        const result = await rpc<provproto.ReadResponse>((cb) => host.client.read(read, cb));
        assert.equal(result.getId(), "");
    });

    it("Create of a failing job returns an error naming the job, status and code", async () => {
        emu.jobs.seed({ id: jobId(4), failAt: { phase: "FULL_TRANSFER_STARTED", errorCode: "DRS.M03001", errorMessage: "source unreachable" } });
        const inputs = (await check({ jobId: jobId(4), pollIntervalSeconds: 0.05 })).getInputs()!;
        const create = new provproto.CreateRequest();
        create.setUrn(URN);
        create.setProperties(inputs);
        const error = await rpc<provproto.CreateResponse>((cb) => host.client.create(create, cb)).catch((e: Error) => e);
        assert.ok(error instanceof Error);
        for (const part of [jobId(4), "FULL_TRANSFER_FAILED", "DRS.M03001", "source unreachable"]) assert.ok(error.message.includes(part), part);
        assert.ok(!host.output().includes("emulator-only-password"), "host output leaks the password");
    });
});
