import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { type Emulator, startEmulator } from "../../emulator";
import { CliStack } from "../../scripts/cli";
import type { Engine } from "../../scripts/engine";
import { setEmulatorConfig } from "../support/consumer";
import { DRS_TYPE, useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { jobId } from "../support/env";
import { dynamicProgramDir, exportedResources, PLUGIN_TYPE, pluginStack, programDir, yamlProgram } from "../support/pluginProject";
import { until } from "../support/until";

/** The engine writes its checkpoint once, at the end of the update, instead of after every step. */
const SKIP_CHECKPOINTS = { PULUMI_EXPERIMENTAL: "true", PULUMI_SKIP_CHECKPOINTS: "true" };

/** Jobs whose full transfer takes 8 s (unless a job says otherwise): an up is still waiting on them when it is killed. */
const SLOW = { startingMs: 50, fullTransferMs: 8_000, fullCompleteMs: 50 };

/**
 * `pulumi up` with skipped checkpoints in a process group of its own, killed
 * with SIGKILL (CLI, language host and provider at once: a crashed runner)
 * once `killWhen` holds. Resolves when the CLI is gone.
 */
async function killedUp(engine: Engine, stack: CliStack, killWhen: () => boolean, env: Record<string, string> = SKIP_CHECKPOINTS): Promise<void> {
    const cli = spawn(engine.command.command, ["up", "--yes", "--skip-preview", "--stack", stack.name, "--non-interactive"], {
        cwd: stack.dir,
        env: { ...process.env, ...stack.env, ...env },
        detached: true,
        stdio: "ignore",
    });
    const exited = new Promise((resolve) => cli.once("close", resolve));
    await until(killWhen);
    process.kill(-cli.pid!, "SIGKILL");
    await exited;
}

/** How many times each job was named in a batch-starting, over the emulator's whole life. */
function startsPerJob(emu: Emulator): Map<string, number> {
    const starts = new Map<string, number>();
    for (const call of emu.calls.filter((c) => c.operation === "batch-starting")) {
        for (const job of (call.body as { jobs: { job_id: string }[] }).jobs) starts.set(job.job_id, (starts.get(job.job_id) ?? 0) + 1);
    }
    return starts;
}

describe("skipped checkpoints (PULUMI_SKIP_CHECKPOINTS): an up killed mid-wait leaves no record, not even of the resources it finished; after pulumi cancel the next up adopts every job, one start per job in all", function () {
    this.timeout(240_000);
    const engine = useEngine({ languageHost: true, yamlHost: true });
    const cleanups = useCleanups(afterEach);

    /** A YAML stack of 5 jobs (3 replicate at once, 2 copy for 8 s) whose up is killed a second after the fast 3 replicate; then `pulumi cancel`. */
    async function killedPluginUp(env: Record<string, string>) {
        const ids = [1, 2, 3, 4, 5].map((n) => jobId(n));
        const fast = ids.slice(0, 3);
        const emu = await startEmulator({ jobs: ids.map((id) => ({ id, ...(fast.includes(id) ? { fullTransferMs: 100 } : {}) })), timings: SLOW });
        cleanups.push(() => emu.close());
        const program = programDir({ "Pulumi.yaml": yamlProgram(ids, { pollIntervalSeconds: 0.2, timeoutSeconds: 60 }) });
        cleanups.push(program.remove);
        const stack = await pluginStack(engine(), program.dir, emu);
        cleanups.push(() => stack.remove());
        // Killed a second after the fast jobs replicate: their creates have ended, the engine has them as created.
        let fastDoneAt = 0;
        const killWhen = () => {
            if (!fastDoneAt && fast.every((id) => emu.jobs.get(id)?.status === "INCRE_TRANSFER_STARTED")) fastDoneAt = Date.now();
            return fastDoneAt > 0 && Date.now() - fastDoneAt > 1_000;
        };
        await killedUp(engine(), stack, killWhen, env);
        assert.ok(
            ids.slice(3).every((id) => emu.jobs.get(id)?.status === "FULL_TRANSFER_STARTED"),
            "killed while two jobs were still copying",
        );
        // A crash leaves the stack locked.
        await stack.run(["cancel", "--yes"]);
        return { ids, fast, emu, stack };
    }

    it("the trade, for contrast: with checkpoints written, the killed up recorded the 3 resources it had finished", async () => {
        const { fast, stack } = await killedPluginUp({});
        assert.deepEqual((await exportedResources(stack, PLUGIN_TYPE)).map((r) => r.id).sort(), [...fast].sort());
    });

    it("plugin door (Pulumi YAML, 5 jobs: 3 replicate at once, 2 are still copying when the up is killed)", async () => {
        const { ids, emu, stack } = await killedPluginUp(SKIP_CHECKPOINTS);
        assert.deepEqual(await exportedResources(stack, PLUGIN_TYPE), [], "the killed up left no record of its resources, not even the 3 it finished");

        await stack.run(["up", "--yes", "--skip-preview"]);
        const recorded = await exportedResources(stack, PLUGIN_TYPE);
        assert.deepEqual(recorded.map((r) => r.id).sort(), [...ids].sort(), "every resource recorded");
        assert.ok(recorded.every((r) => r.outputs.status === "INCRE_TRANSFER_STARTED"));
        assert.deepEqual(
            [...startsPerJob(emu).values()],
            ids.map(() => 1),
            "one start per job in all",
        );
    });

    it("dynamic door (TypeScript, 1 job)", async () => {
        const id = jobId(9);
        const emu = await startEmulator({ jobs: [{ id }], timings: SLOW });
        cleanups.push(() => emu.close());
        const program = dynamicProgramDir("drs-skip-checkpoints", id, 0.2);
        cleanups.push(program.remove);
        const stack = await CliStack.init(engine(), program.dir, "dev", { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
        cleanups.push(() => stack.remove());
        await setEmulatorConfig(stack, emu);

        await killedUp(engine(), stack, () => startsPerJob(emu).size === 1 && emu.count("batch-status") >= 3);
        assert.equal(emu.jobs.get(id)?.status, "FULL_TRANSFER_STARTED");
        await stack.run(["cancel", "--yes"]);
        assert.deepEqual(await exportedResources(stack, DRS_TYPE), [], "the killed up left no record of its resource");

        await stack.run(["up", "--yes", "--skip-preview"]);
        const [recorded] = await exportedResources(stack, DRS_TYPE);
        assert.equal(recorded?.id, id);
        assert.equal(recorded.outputs.status, "INCRE_TRANSFER_STARTED");
        assert.deepEqual([...startsPerJob(emu).values()], [1], "one start in all");
    });
});
