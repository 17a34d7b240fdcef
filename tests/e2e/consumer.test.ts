import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { DEFAULT_USER, DEMO_JOBS, type Emulator, startEmulator } from "../../emulator";
import { type CliResult, CliStack } from "../../scripts/cli";
import { REPO_ROOT } from "../../scripts/engine";
import { consumerProject, npmEnv, packedTarball, setEmulatorConfig } from "../support/consumer";
import { DRS_TYPE, useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";

const run = promisify(execFile);

/** examples/basic's default job: the emulator's seeded `orders-replication`. */
const JOB_ID = "140b5236-88ad-43c8-811c-1268453jb101";

describe("consumer: pulumi-drs from `npm pack` in a project outside the repository, through the CLI", function () {
    this.timeout(300_000);
    const engine = useEngine({ languageHost: true });
    const cleanups = useCleanups(after);
    /** Everything the CLI printed, for the warning check. */
    const printed: CliResult[] = [];
    let emu: Emulator;
    let dir: string;
    let stack: CliStack;

    /** `pulumi <args> --yes` on the consumer's stack, its output kept. */
    async function cli(...args: string[]): Promise<CliResult> {
        const result = await stack.run([...args, "--yes"]);
        printed.push(result);
        return result;
    }

    before(async () => {
        const project = await consumerProject(await packedTarball());
        cleanups.push(project.remove);
        dir = project.dir;
        emu = await startEmulator({ jobs: DEMO_JOBS });
        cleanups.push(() => emu.close());
        // No OS_* variables: the README's stack config is the only source of settings and credentials.
        stack = await CliStack.init(engine(), dir, "dev");
        cleanups.push(() => stack.remove());
        await setEmulatorConfig(stack, emu);
        await stack.setConfigs({ pollIntervalSeconds: "0.05", timeoutSeconds: "60" });
    });

    it("installs the packed package as a real dependency outside the repository", () => {
        assert.ok(!path.relative(REPO_ROOT, dir).match(/^[^.]/), `${dir} is outside ${REPO_ROOT}`);
        const installed = path.join(dir, "node_modules", "pulumi-drs");
        assert.ok(!fs.lstatSync(installed).isSymbolicLink(), "pulumi-drs is installed, not linked");
        for (const file of ["dist/sdk/index.js", "dist/sdk/index.d.ts", "dist/provider/index.js", "dist/emulator/index.js", "dist/cli/main.js"]) assert.ok(fs.existsSync(path.join(installed, file)), file);
        assert.ok(!fs.existsSync(path.join(installed, "dist", "tests")), "tests are not packed");
        assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).main, "index.ts");
    });

    it("npx pulumi-drs doctor, from the installed package, passes on the README's stack config and never prints the password", async () => {
        const { stdout, stderr } = await run("npx", ["--no-install", "pulumi-drs", "doctor", "--job", JOB_ID], { cwd: dir, env: { ...npmEnv(), ...stack.env } });
        assert.match(stdout, /^settings\s+ok\s+stack "dev" of /m);
        assert.match(stdout, new RegExp(`^job ${JOB_ID}\\s+ok\\s+CONFIGURATION \\(migration, "orders-replication"\\)`, "m"));
        assert.match(stdout, /doctor: ready for pulumi up/);
        assert.ok(!`${stdout}${stderr}`.includes(DEFAULT_USER.password));
        assert.equal(emu.count("batch-starting"), 0);
    });

    it("up starts the job once and exports its status", async () => {
        await cli("up");
        const outputs = await stack.outputs();
        assert.equal(outputs.jobId, JOB_ID);
        assert.equal(outputs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(outputs.name, "orders-replication");
        assert.equal(outputs.progress, 100);
        assert.equal(emu.count("batch-starting"), 1);
    });

    it("a second up changes nothing and starts nothing", async () => {
        const again = await cli("up", "--skip-preview", "--expect-no-changes");
        assert.match(again.stdout, /2 unchanged/);
        assert.equal(emu.count("batch-starting"), 1);
    });

    it("refresh reads the job's state from DRS through the installed provider", async () => {
        emu.jobs.setStatus(JOB_ID, "INCRE_TRANSFER_FAILED", { errorCode: "DRS.M04001", errorMessage: "Binlog purged on source" });
        await cli("refresh");
        const exported = JSON.parse((await stack.run(["stack", "export"])).stdout) as { deployment: { resources: { type: string; outputs: Record<string, unknown> }[] } };
        const resource = exported.deployment.resources.find((r) => r.type === DRS_TYPE);
        assert.equal(resource?.outputs.status, "INCRE_TRANSFER_FAILED");
        assert.equal(resource?.outputs.errorCode, "DRS.M04001");
        assert.equal(emu.count("batch-starting"), 1);
    });

    it('stores the provider in state as a reference to the installed package (require("pulumi-drs/provider-shim")), not by value', async () => {
        const exported = JSON.parse((await stack.run(["stack", "export"])).stdout) as { deployment: { resources: { type: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[] } };
        const resource = exported.deployment.resources.find((r) => r.type === DRS_TYPE);
        for (const shim of [resource?.inputs.__provider, resource?.outputs.__provider]) {
            assert.equal(typeof shim, "string");
            assert.match(String(shim), /require\("pulumi-drs\/provider-shim"\)/);
            assert.ok(String(shim).length < 400, `__provider is ${String(shim).length} bytes`);
        }
    });

    it("keeps the password out of the stored state and encrypted in the stack settings", () => {
        const stored = stack.storedState();
        assert.ok(!stored.includes(DEFAULT_USER.password), "the checkpoint holds the password");
        assert.doesNotMatch(stored, /emu-[0-9a-f]{48}/, "the checkpoint holds an IAM token");
        const settings = fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
        assert.match(settings, /drs:password:\s+secure:/);
        assert.ok(!settings.includes(DEFAULT_USER.password));
    });

    it("destroy succeeds and leaves the job in DRS", async () => {
        const destroy = await cli("destroy");
        assert.match(destroy.stdout, /2 deleted/);
        assert.ok(emu.jobs.get(JOB_ID), "the job still exists");
        assert.equal(emu.count("batch-starting"), 1);
    });

    it("the CLI printed no entry point, DEP0128 or plugin-from-$PATH warning (the launcher sits beside the CLI)", () => {
        assert.equal(printed.length, 4, "up, up, refresh, destroy");
        if (engine().command.command === path.join(REPO_ROOT, ".pulumi", "bin", "pulumi")) {
            // The only launcher the CLI can find is the one beside it: none from @pulumi/pulumi on PATH.
            const launchers = stack.env.PATH.split(path.delimiter).filter((dir) => fs.existsSync(path.join(dir, "pulumi-resource-pulumi-nodejs")));
            assert.deepEqual(launchers, [path.join(REPO_ROOT, ".pulumi", "bin")]);
        }
        for (const { stdout, stderr } of printed) {
            assert.doesNotMatch(stdout + stderr, /using pulumi-resource-pulumi-nodejs from \$PATH|could not find latest version/);
            assert.doesNotMatch(stdout + stderr, /entry point/i);
            assert.doesNotMatch(stdout + stderr, /DEP0128|DeprecationWarning/);
        }
    });
});
