import { strict as assert } from "node:assert";
import { startEmulator } from "../../emulator";
import { CliStack } from "../../scripts/cli";
import { setEmulatorConfig } from "../support/consumer";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { jobId } from "../support/env";
import { dynamicProgramDir } from "../support/pluginProject";

describe("two pipelines start one job at once: two CLI processes on two stacks, through the CLI", function () {
    this.timeout(240_000);
    const engine = useEngine({ languageHost: true });
    const cleanups = useCleanups(afterEach);

    it("both exit 0 and DRS accepts one start; the refused one adopts the job and says so", async () => {
        const job = jobId(21);
        const emu = await startEmulator({ jobs: [{ id: job, name: "orders" }], timings: { startingMs: 300, fullTransferMs: 1_500, fullCompleteMs: 50 } });
        cleanups.push(() => emu.close());
        const program = dynamicProgramDir("drs-race", job, 0.1);
        cleanups.push(program.remove);
        const stacks: CliStack[] = [];
        for (const name of ["pipeline-a", "pipeline-b"]) {
            const stack = await CliStack.init(engine(), program.dir, name, { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } });
            cleanups.push(() => stack.remove());
            await setEmulatorConfig(stack, emu);
            stacks.push(stack);
        }
        // DRS acts on each start 5 s after it arrives: the pipeline that looks second still sees
        // CONFIGURATION and sends its start too, as two pipelines racing on a real project do.
        emu.faults.add({ operation: "batch-starting", action: { kind: "delay", ms: 5_000 }, times: 2 });
        const results = await Promise.all(stacks.map((stack) => stack.run(["up", "--yes", "--skip-preview"], { allowFailure: true })));
        for (const [i, result] of results.entries()) assert.equal(result.code, 0, `${stacks[i].name}:\n${result.stdout}\n${result.stderr}`);
        for (const stack of stacks) assert.equal((await stack.outputs()).status, "INCRE_TRANSFER_STARTED");
        assert.equal(emu.jobs.get(job)?.starts, 1, "DRS accepted exactly one start");
        assert.equal(emu.count("batch-starting"), 2, "both pipelines sent a start");
        assert.equal(results.filter((r) => r.stdout.includes(`drs job ${job}: started elsewhere`)).length, 1, "the refused one says the job was started elsewhere");
    });
});
