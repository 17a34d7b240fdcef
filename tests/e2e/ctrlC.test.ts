import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { startEmulator } from "../../emulator";
import type { Engine } from "../../scripts/engine";
import { CliStack } from "../../scripts/cli";
import { setEmulatorConfig } from "../support/consumer";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { dynamicProgramDir, exportedResources, PLUGIN_TYPE, pluginStack, programDir, yamlProgram } from "../support/pluginProject";
import { until } from "../support/until";

const JOB = "140b5236-88ad-43c8-811c-1268453jb101";

/** How soon after one Ctrl-C the plugin must have made its last DRS call. */
const CALLS_STOP_WITHIN_MS = 5_000;

/** `pulumi up` started as a terminal's foreground job: the CLI leads a process group of its own. */
function upInOwnGroup(engine: Engine, stack: CliStack): { pid: number; exited: Promise<number | null>; output: () => string } {
    const cli = spawn(engine.command.command, ["up", "--yes", "--skip-preview", "--stack", stack.name, "--non-interactive"], {
        cwd: stack.dir,
        env: { ...process.env, ...stack.env },
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    cli.stdout.on("data", (d: Buffer) => (output += d.toString()));
    cli.stderr.on("data", (d: Buffer) => (output += d.toString()));
    return { pid: cli.pid!, exited: new Promise((resolve) => cli.once("close", (code) => resolve(code))), output: () => output };
}

describe("Ctrl-C as a terminal sends it (SIGINT to the CLI's process group only, not to the plugins' groups)", function () {
    this.timeout(180_000);
    const engine = useEngine({ languageHost: true, yamlHost: true });
    const cleanups = useCleanups(afterEach);

    it("plugin door: stops the wait's DRS calls within 5 s, the CLI exits, and the next up adopts the job with no second start", async () => {
        // The full transfer takes 10 minutes: only the cancel can end this wait early.
        const emu = await startEmulator({ jobs: [{ id: JOB, name: "orders" }], timings: { startingMs: 50, fullTransferMs: 600_000, fullCompleteMs: 50 } });
        cleanups.push(() => emu.close());
        const program = programDir({ "Pulumi.yaml": yamlProgram([JOB]) });
        cleanups.push(program.remove);
        const stack = await pluginStack(engine(), program.dir, emu);
        cleanups.push(() => stack.remove());

        const cli = upInOwnGroup(engine(), stack);
        await until(() => emu.count("batch-status") >= 3);
        assert.equal(emu.count("batch-starting"), 1);

        const interruptedAt = Date.now();
        process.kill(-cli.pid!, "SIGINT");
        const code = await cli.exited;
        const exitedAfterMs = Date.now() - interruptedAt;
        await new Promise((resolve) => setTimeout(resolve, CALLS_STOP_WITHIN_MS + 1_000));
        const after = emu.calls.filter((c) => c.operation !== "control" && c.at >= interruptedAt).map((c) => c.at - interruptedAt);
        const lastMs = after.length > 0 ? Math.max(...after) : 0;
        console.log(`      plugin door: the CLI exited ${exitedAfterMs} ms after one Ctrl-C (code ${code}); ${after.length} DRS calls after it, the last ${lastMs} ms after it`);
        assert.ok(lastMs < CALLS_STOP_WITHIN_MS, `DRS calls went on ${lastMs} ms after Ctrl-C`);
        assert.ok(exitedAfterMs < CALLS_STOP_WITHIN_MS, `the CLI exited ${exitedAfterMs} ms after Ctrl-C:\n${cli.output()}`);
        assert.match(cli.output(), new RegExp(`DRS job ${JOB}: wait for INCRE_TRANSFER_STARTED cancelled`));

        // The resource is in state with the status seen, so the next up waits on the started job.
        const [recorded] = await exportedResources(stack, PLUGIN_TYPE);
        assert.equal(recorded?.id, JOB);
        assert.equal(recorded.outputs.status, "FULL_TRANSFER_STARTED");
        emu.jobs.setStatus(JOB, "INCRE_TRANSFER_STARTED");
        await stack.run(["up", "--yes", "--skip-preview"]);
        assert.equal((await stack.outputs()).status0, "INCRE_TRANSFER_STARTED");
        assert.equal(emu.count("batch-starting"), 1, "the job was started once");
    });

    it("dynamic door: the host ignores the engine's Cancel, so the wait goes on until the job replicates; the CLI then exits and nothing is started twice", async () => {
        // The job replicates 8 s after its start: with the dynamic door a ^C cannot end the wait sooner.
        const emu = await startEmulator({ jobs: [{ id: JOB, name: "orders" }], timings: { startingMs: 50, fullTransferMs: 8_000, fullCompleteMs: 50 } });
        cleanups.push(() => emu.close());
        const program = dynamicProgramDir("drs-ctrl-c", JOB, 0.5);
        cleanups.push(program.remove);
        const stack = await CliStack.init(engine(), program.dir, "dev", { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
        cleanups.push(() => stack.remove());
        await setEmulatorConfig(stack, emu);

        const cli = upInOwnGroup(engine(), stack);
        await until(() => emu.count("batch-status") >= 3);
        const started = emu.calls.find((c) => c.operation === "batch-starting")!.at;
        const interruptedAt = Date.now();
        process.kill(-cli.pid, "SIGINT");
        await cli.exited;
        const exitedAfterMs = Date.now() - interruptedAt;
        const after = emu.calls.filter((c) => c.operation !== "control" && c.at >= interruptedAt).map((c) => c.at - interruptedAt);
        const lastMs = after.length > 0 ? Math.max(...after) : 0;
        console.log(`      dynamic door: DRS calls went on ${lastMs} ms after one Ctrl-C (${after.length} calls; the job replicated ${started + 8_100 - interruptedAt} ms after it); the CLI exited ${exitedAfterMs} ms after it`);
        assert.ok(lastMs > 2_000, "the dynamic provider host kept waiting (the engine's Cancel does not reach it)");
        assert.equal(emu.count("batch-starting"), 1);
        assert.equal(emu.jobs.get(JOB)?.status, "INCRE_TRANSFER_STARTED");
    });
});
