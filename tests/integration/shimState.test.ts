import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { clientEnv, type Emulator, startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../scripts/engine";
import { jobId } from "../support/env";
import { type ProviderHost, provproto, rpc, configuredProviderHost, struct } from "../support/providerHost";

const run = promisify(execFile);
const URN = "urn:pulumi:test::drs-test::pulumi-nodejs:dynamic/drs:DrsJobStart::orders";

/** `__provider` as pulumi-drs 0.1.0 stored it before issue #19: the shim serialized by value (captured from that build's DrsJobStart). */
const OLD_SHIM = fs.readFileSync(path.join(REPO_ROOT, "tests", "fixtures", "providerShim-0.1.0.js.txt"), "utf8");

/**
 * A program directory with pulumi-drs installed as npm installs it: a real
 * directory under node_modules (package.json and the built sdk and provider)
 * beside its dependencies, here links to this repository's node_modules
 * (see {@link INSTALLED_LAYOUT}).
 */
function installedProgramDir(): { dir: string; remove(): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drs-installed-"));
    const pkg = path.join(dir, "node_modules", "pulumi-drs");
    fs.mkdirSync(pkg, { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(pkg, "package.json"));
    for (const part of ["sdk", "provider"]) fs.cpSync(path.join(REPO_ROOT, "dist", part), path.join(pkg, "dist", part), { recursive: true });
    for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
        if (entry !== "pulumi-drs" && !entry.startsWith(".")) fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(dir, "node_modules", entry), "dir");
    }
    return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Node keeps the linked dependencies at their place in the program's
 * node_modules, as if installed there: Pulumi's serializer then finds
 * pulumi-drs beside @pulumi/pulumi, as in a real install.
 */
const INSTALLED_LAYOUT = { NODE_PRESERVE_SYMLINKS: "1" };

/** The `__provider` a DrsJobStart declared in `dir` registers (the SDK's own path, under Pulumi's mocks, in a child process). */
async function registeredShim(dir: string): Promise<string> {
    const script = `
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({ newResource: (a) => { if (a.inputs.__provider) process.stdout.write(a.inputs.__provider); return { id: "x", state: a.inputs }; }, call: (a) => a.inputs }, "drs-test", "test", false);
const { DrsJobStart } = require("pulumi-drs");
new DrsJobStart("orders", { jobId: "${jobId(1)}" });
`;
    const { stdout } = await run(process.execPath, ["-e", script], { cwd: dir, env: { PATH: process.env.PATH, OS_PASSWORD: "planted-password-5f1e", ...INSTALLED_LAYOUT } });
    return stdout;
}

describe("provider shim in state: stored as a reference when installed; state of 0.1.0 still served", function () {
    this.timeout(60_000);
    let program: { dir: string; remove(): void };
    let emu: Emulator;
    let host: ProviderHost;
    let shim: string;

    before(async () => {
        program = installedProgramDir();
        shim = await registeredShim(program.dir);
        emu = await startEmulator({
            jobs: [
                { id: jobId(1), name: "orders" },
                { id: jobId(2), name: "payments" },
            ],
        });
        host = await configuredProviderHost(program.dir, clientEnv(emu));
    });
    after(async () => {
        await host?.stop();
        await emu?.close();
        program?.remove();
    });

    async function check(provider: string, news: Record<string, unknown>): Promise<Record<string, unknown>> {
        const req = new provproto.CheckRequest();
        req.setUrn(URN);
        req.setOlds(struct({}));
        req.setNews(struct({ __provider: provider, ...news }));
        const res = await rpc<provproto.CheckResponse>((cb) => host.client.check(req, cb));
        assert.equal(res.getFailuresList().length, 0);
        return res.getInputs()!.toJavaScript() as Record<string, unknown>;
    }

    async function create(inputs: Record<string, unknown>): Promise<Record<string, unknown>> {
        const req = new provproto.CreateRequest();
        req.setUrn(URN);
        req.setProperties(struct(inputs));
        return (await rpc<provproto.CreateResponse>((cb) => host.client.create(req, cb))).getProperties()!.toJavaScript() as Record<string, unknown>;
    }

    it('an installed pulumi-drs is stored as require("pulumi-drs/provider-shim"), a tenth of the shim by value', () => {
        assert.match(shim, /require\("pulumi-drs\/provider-shim"\)/);
        assert.ok(shim.length < 400, `__provider is ${shim.length} bytes`);
        assert.ok(shim.length * 5 < OLD_SHIM.length, `${shim.length} bytes vs ${OLD_SHIM.length} by value`);
        assert.ok(!shim.includes("planted-password-5f1e"));
    });

    it("the reference runs the installed provider: check, create, read", async () => {
        const outs = await create(await check(shim, { jobId: jobId(2), pollIntervalSeconds: 0.05 }));
        assert.equal(outs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(outs.__provider, shim);
        const read = new provproto.ReadRequest();
        read.setId(jobId(2));
        read.setUrn(URN);
        read.setProperties(struct(outs));
        const props = (await rpc<provproto.ReadResponse>((cb) => host.client.read(read, cb))).getProperties()!.toJavaScript();
        assert.equal(props.name, "payments");
    });

    it("state written by 0.1.0 (shim by value) refreshes, diffs without change or replacement against today's inputs, updates and deletes", async () => {
        const oldInputs = await check(OLD_SHIM, { jobId: jobId(1), pollIntervalSeconds: 0.05 });
        const oldOuts = await create(oldInputs);
        assert.equal(oldOuts.__provider, OLD_SHIM);

        // Refresh runs the old __provider from state.
        const read = new provproto.ReadRequest();
        read.setId(jobId(1));
        read.setUrn(URN);
        read.setProperties(struct(oldOuts));
        read.setInputs(struct(oldInputs));
        const refreshed = (await rpc<provproto.ReadResponse>((cb) => host.client.read(read, cb))).getProperties()!.toJavaScript();
        assert.equal(refreshed.status, "INCRE_TRANSFER_STARTED");
        assert.equal(refreshed.__provider, OLD_SHIM);

        // The next `up` checks with today's SDK (the reference) and diffs against the old outputs: no change, nothing replaced.
        const news = await check(shim, { jobId: jobId(1), pollIntervalSeconds: 0.05 });
        const diff = new provproto.DiffRequest();
        diff.setId(jobId(1));
        diff.setUrn(URN);
        diff.setOlds(struct(oldOuts));
        diff.setNews(struct(news));
        const diffed = await rpc<provproto.DiffResponse>((cb) => host.client.diff(diff, cb));
        assert.equal(diffed.getChanges(), provproto.DiffResponse.DiffChanges.DIFF_NONE);
        assert.deepEqual(diffed.getReplacesList(), []);

        // A changed wait option updates in place; the new outputs carry the reference.
        const changed = await check(shim, { jobId: jobId(1), pollIntervalSeconds: 0.1 });
        const update = new provproto.UpdateRequest();
        update.setId(jobId(1));
        update.setUrn(URN);
        update.setOlds(struct(oldOuts));
        update.setNews(struct(changed));
        const updated = (await rpc<provproto.UpdateResponse>((cb) => host.client.update(update, cb))).getProperties()!.toJavaScript();
        assert.equal(updated.pollIntervalSeconds, 0.1);
        assert.equal(updated.__provider, shim);

        // Delete runs the old __provider too, and leaves the job running.
        const del = new provproto.DeleteRequest();
        del.setId(jobId(1));
        del.setUrn(URN);
        del.setProperties(struct(oldOuts));
        await rpc((cb) => host.client.delete(del, cb));
        assert.equal(emu.jobs.get(jobId(1))?.status, "INCRE_TRANSFER_STARTED");
        assert.equal(emu.jobs.get(jobId(1))?.starts, 1, "started once, by the old-state create");
    });
});
