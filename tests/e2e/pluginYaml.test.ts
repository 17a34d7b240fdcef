import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_USER, type Emulator, startEmulator } from "../../emulator";
import { type CliResult, CliStack } from "../../scripts/cli";
import { setEmulatorConfig } from "../support/consumer";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { exportedResources, installPlugin, PLUGIN_TYPE, programDir, yamlProgram } from "../support/pluginProject";

const JOB = "140b5236-88ad-43c8-811c-1268453jb101";
const OTHER = "d54691d2-f105-434d-a75d-809b017jb101";

describe("plugin door: a Pulumi YAML program on the installed drs plugin, through the CLI", function () {
    this.timeout(300_000);
    const engine = useEngine({ yamlHost: true });
    const cleanups = useCleanups(after);
    const printed: CliResult[] = [];
    let emu: Emulator;
    let dir: string;
    let stack: CliStack;

    async function cli(args: string[], allowFailure = false): Promise<CliResult> {
        const result = await stack.run([...args, "--yes"], { allowFailure });
        printed.push(result);
        return result;
    }

    before(async () => {
        emu = await startEmulator({
            jobs: [
                { id: JOB, name: "orders" },
                { id: OTHER, name: "audit" },
            ],
        });
        cleanups.push(() => emu.close());
        const program = programDir({ "Pulumi.yaml": yamlProgram([JOB]) });
        cleanups.push(program.remove);
        dir = program.dir;
        // No OS_* variables: the drs:* stack config reaches the plugin through the engine's Configure call.
        stack = await CliStack.init(engine(), dir, "dev");
        cleanups.push(() => stack.remove());
        const install = await installPlugin(engine(), stack);
        assert.doesNotMatch(install.stdout + install.stderr, /warning|download/i);
        await setEmulatorConfig(stack, emu);
    });

    it("preview plans the resource and starts nothing", async () => {
        const preview = await stack.run(["preview"]);
        assert.match(preview.stdout, /drs:index:JobStart\s+job0\s+create/);
        assert.match(preview.stdout, /\+ 2 to create/);
        assert.equal(emu.count("batch-starting"), 0);
    });

    it("up starts the job with one batch-starting and records its status", async () => {
        const up = await cli(["up"]);
        assert.match(up.stdout, /\+ 2 created/);
        assert.equal(emu.count("batch-starting"), 1);
        const outputs = await stack.outputs();
        assert.equal(outputs.status0, "INCRE_TRANSFER_STARTED");
        const [resource] = await exportedResources(stack, PLUGIN_TYPE);
        assert.equal(resource.id, JOB);
        assert.equal(resource.outputs.name, "orders");
        assert.ok(!JSON.stringify(resource).includes("__provider"), "no serialized provider in plugin state");
    });

    it("a second up changes nothing and starts nothing", async () => {
        const again = await cli(["up", "--expect-no-changes"]);
        assert.match(again.stdout, /2 unchanged/);
        assert.equal(emu.count("batch-starting"), 1);
    });

    it("refresh of a healthy job is quiet", async () => {
        const refresh = await cli(["refresh", "--expect-no-changes"]);
        assert.doesNotMatch(refresh.stdout, /~ 1 updated/);
    });

    it("drift: a job failed in DRS fails up --refresh naming the DRS code and the moved property, with no second start", async () => {
        emu.jobs.setStatus(JOB, "INCRE_TRANSFER_FAILED", { errorCode: "DRS.M04001", errorMessage: "Binlog purged on source" });
        const preview = await stack.run(["preview", "--refresh", "--diff"]);
        assert.match(preview.stdout, /jobStatus\s*:\s*"INCRE_TRANSFER_FAILED" => "INCRE_TRANSFER_STARTED"/);
        const failed = await cli(["up", "--refresh", "--skip-preview"], true);
        assert.notEqual(failed.code, 0);
        assert.match(failed.stdout + failed.stderr, new RegExp(`DRS job ${JOB}.*DRS\\.M04001`));
        assert.equal(emu.count("batch-starting"), 1);
        emu.jobs.setStatus(JOB, "INCRE_TRANSFER_STARTED");
        const fixed = await cli(["up", "--refresh", "--skip-preview"]);
        assert.equal(fixed.code, 0);
        assert.equal((await stack.outputs()).status0, "INCRE_TRANSFER_STARTED");
        assert.equal(emu.count("batch-starting"), 1);
    });

    it("DRS's own maintenance (a node upgrade) keeps the drift gate green and shows as a warning beside the resource", async () => {
        emu.jobs.setStatus(JOB, "NODE_UPGRADE_START");
        const gate = await stack.run(["preview", "--refresh", "--expect-no-changes"], { allowFailure: true });
        printed.push(gate);
        emu.jobs.setStatus(JOB, "INCRE_TRANSFER_STARTED");
        assert.equal(gate.code, 0, gate.stdout + gate.stderr);
        assert.match(gate.stdout + gate.stderr, new RegExp(`warning: drs job ${JOB}: warning: NODE_UPGRADE_START since `));
        assert.equal(emu.count("batch-starting"), 1);
    });

    it("a new jobId replaces the resource, starts the new job and leaves the old one running", async () => {
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yamlProgram([OTHER]));
        const up = await cli(["up", "--skip-preview"]);
        assert.match(up.stdout, /\+-1 replaced|1 replaced/);
        assert.equal(emu.count("batch-starting"), 2);
        assert.equal(emu.jobs.get(JOB)?.status, "INCRE_TRANSFER_STARTED");
        assert.equal(emu.jobs.get(OTHER)?.status, "INCRE_TRANSFER_STARTED");
    });

    it("destroy removes the resources and leaves the job running", async () => {
        const destroy = await cli(["destroy", "--skip-preview"]);
        assert.match(destroy.stdout, /2 deleted/);
        assert.equal(emu.jobs.get(OTHER)?.status, "INCRE_TRANSFER_STARTED");
        assert.equal(emu.count("batch-starting"), 2);
    });

    it("the CLI printed no plugin warning and no secret", () => {
        for (const { stdout, stderr } of printed) {
            assert.doesNotMatch(stdout + stderr, /using pulumi-resource-drs from \$PATH|could not find latest version/);
            assert.ok(!(stdout + stderr).includes(DEFAULT_USER.password));
        }
    });
});
