import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { DEFAULT_USER, startEmulator } from "../../emulator";
import { CliStack } from "../../scripts/cli";
import { emulatorConfig } from "../support/consumer";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { exportedResources, installPlugin, PLUGIN_TYPE, programDir, yamlProgram } from "../support/pluginProject";

const JOB = "140b5236-88ad-43c8-811c-1268453jb101";

/** How soon after one Ctrl-C the plugin must have made its last DRS call. */
const CALLS_STOP_WITHIN_MS = 5_000;

async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("plugin door: Ctrl-C as a terminal sends it (SIGINT to the CLI's process group only)", function () {
    this.timeout(180_000);
    const engine = useEngine({ yamlHost: true });
    const cleanups = useCleanups(afterEach);

    it("stops the wait's DRS calls within 5 s, the CLI exits, and the next up adopts the job with no second start", async () => {
        // The full transfer takes 10 minutes: only the cancel can end this wait early.
        const emu = await startEmulator({ jobs: [{ id: JOB, name: "orders" }], timings: { startingMs: 50, fullTransferMs: 600_000, fullCompleteMs: 50 } });
        cleanups.push(() => emu.close());
        const program = programDir({ "Pulumi.yaml": yamlProgram([JOB]) });
        cleanups.push(program.remove);
        const stack = await CliStack.init(engine(), program.dir, "dev");
        cleanups.push(() => stack.remove());
        await installPlugin(engine(), stack);
        await stack.setConfig("drs:password", DEFAULT_USER.password, true);
        await stack.setConfigs(emulatorConfig(emu));

        // `detached`: the CLI leads a process group of its own, as a terminal's foreground job does.
        const cli = spawn(engine().command.command, ["up", "--yes", "--skip-preview", "--stack", "dev", "--non-interactive"], {
            cwd: program.dir,
            env: { ...process.env, ...stack.env },
            detached: true,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        cli.stdout.on("data", (d: Buffer) => (output += d.toString()));
        cli.stderr.on("data", (d: Buffer) => (output += d.toString()));
        const exited = new Promise<number | null>((resolve) => cli.once("close", (code) => resolve(code)));
        await until(() => emu.count("batch-status") >= 3);
        assert.equal(emu.count("batch-starting"), 1);

        const interruptedAt = Date.now();
        process.kill(-cli.pid!, "SIGINT");
        const code = await exited;
        const exitedAfterMs = Date.now() - interruptedAt;
        await new Promise((resolve) => setTimeout(resolve, CALLS_STOP_WITHIN_MS + 1_000));
        const after = emu.calls.filter((c) => c.operation !== "control" && c.at >= interruptedAt).map((c) => c.at - interruptedAt);
        const lastMs = after.length > 0 ? Math.max(...after) : 0;
        console.log(`      plugin door: the CLI exited ${exitedAfterMs} ms after one Ctrl-C (code ${code}); ${after.length} DRS calls after it, the last ${lastMs} ms after it`);
        assert.ok(lastMs < CALLS_STOP_WITHIN_MS, `DRS calls went on ${lastMs} ms after Ctrl-C`);
        assert.ok(exitedAfterMs < CALLS_STOP_WITHIN_MS, `the CLI exited ${exitedAfterMs} ms after Ctrl-C:\n${output}`);
        assert.match(output, new RegExp(`DRS job ${JOB}: wait for INCRE_TRANSFER_STARTED cancelled`));

        // The resource is in state with the status seen, so the next up waits on the started job.
        const [recorded] = await exportedResources(stack, PLUGIN_TYPE);
        assert.equal(recorded?.id, JOB);
        assert.equal(recorded.outputs.status, "FULL_TRANSFER_STARTED");
        emu.jobs.setStatus(JOB, "INCRE_TRANSFER_STARTED");
        await stack.run(["up", "--yes", "--skip-preview"]);
        assert.equal((await stack.outputs()).status0, "INCRE_TRANSFER_STARTED");
        assert.equal(emu.count("batch-starting"), 1, "the job was started once");
    });
});
