import { strict as assert } from "node:assert";
import { startEmulator } from "../../emulator";
import { FAST, useEngine, useEngineFixtures } from "../support/e2eFixture";
import { jobId } from "../support/env";
import { useCleanups } from "../support/cleanups";
import { exportedResources, PLUGIN_TYPE, pluginStack, programDir } from "../support/pluginProject";

const JOB = "d54691d2-f105-434d-a75d-809b017jb101";

/** A YAML program of one JobStart with `customTimeouts.create` (and a wait of its own far longer). */
function timedProgram(create: string): string {
    return [
        "name: drs-custom-timeouts",
        "runtime: yaml",
        "resources:",
        "  dr:",
        "    type: drs:index:JobStart",
        "    properties:",
        `      jobId: ${JOB}`,
        "      dbUseType: cloudDataGuard",
        "      pollIntervalSeconds: 0.2",
        "      timeoutSeconds: 600",
        "    options:",
        "      customTimeouts:",
        `        create: ${create}`,
        "outputs:",
        `  status: $${"{dr.status}"}`,
        "",
    ].join("\n");
}

describe("plugin door: customTimeouts through the CLI (Pulumi YAML)", function () {
    this.timeout(180_000);
    const engine = useEngine({ yamlHost: true });
    const cleanups = useCleanups(afterEach);

    it("customTimeouts.create: 2s on a job 7 s from its target fails at about 2 s naming the bound; the next up adopts it, one start in all", async () => {
        // Started, the job replicates about 7 s later (50 ms starting, 6.9 s full transfer, 50 ms complete).
        const emu = await startEmulator({ jobs: [{ id: JOB, name: "orders-dr", dbUseType: "cloudDataGuard" }], timings: { startingMs: 50, fullTransferMs: 6_900, fullCompleteMs: 50 } });
        cleanups.push(() => emu.close());
        const program = programDir({ "Pulumi.yaml": timedProgram("2s") });
        cleanups.push(program.remove);
        const stack = await pluginStack(engine(), program.dir, emu);
        cleanups.push(() => stack.remove());

        const began = Date.now();
        const failed = await stack.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
        const tookMs = Date.now() - began;
        const started = emu.calls.find((c) => c.operation === "batch-starting");
        const lastPoll = emu.calls.filter((c) => c.operation === "batch-status").at(-1);
        assert.ok(started && lastPoll);
        const waitedMs = lastPoll.at - started.at;
        const output = failed.stdout + failed.stderr;
        console.log(`      failed ${waitedMs} ms after the start (last status poll), the CLI after ${tookMs} ms in all; the error:\n        ${/DRS job [^\n]*/.exec(output)?.[0] ?? output}`);
        assert.notEqual(failed.code, 0);
        assert.match(output, new RegExp(`DRS job ${JOB}: did not reach INCRE_TRANSFER_STARTED within 2 s \\(customTimeouts\\.create ran out\\)`));
        assert.match(output, /keeps running in DRS and its state is recorded/);
        assert.ok(waitedMs >= 1_500 && waitedMs < 3_500, `the wait ended ${waitedMs} ms after the start`);
        const [recorded] = await exportedResources(stack, PLUGIN_TYPE);
        assert.equal(recorded?.id, JOB);
        assert.equal(recorded.outputs.status, "FULL_TRANSFER_STARTED");

        const before = emu.calls.length;
        const next = await stack.run(["up", "--yes", "--skip-preview"]);
        const calls = emu.calls.slice(before).filter((c) => c.operation !== "control");
        const byKind: Record<string, number> = {};
        for (const c of calls) byKind[c.operation] = (byKind[c.operation] ?? 0) + 1;
        const counts = Object.entries(byKind)
            .map(([op, n]) => `${op} ${n}`)
            .join(", ");
        console.log(`      the next up: ${counts}`);
        assert.equal(next.code, 0);
        assert.equal((await stack.outputs()).status, "INCRE_TRANSFER_STARTED");
        assert.equal(emu.count("batch-starting"), 1, "one start in all");
    });
});

describe("dynamic door: customTimeouts cannot reach the provider, and the resource says so", function () {
    this.timeout(120_000);
    const fixture = useEngineFixtures();

    it("a DrsJobStart with customTimeouts warns pointing to timeoutSeconds; the wait is bounded by timeoutSeconds only", async () => {
        const f = await fixture({ jobs: [{ id: jobId(31), name: "orders" }] });
        await f.setJobs([{ name: "orders", jobId: jobId(31), customTimeouts: { create: "1ms" }, ...FAST }]);
        let printed = "";
        const up = await f.stack.up({ onOutput: (out) => (printed += out) });
        assert.equal(up.summary.result, "succeeded", "a 1 ms customTimeouts.create did not bound the wait");
        assert.match(printed, /DrsJobStart orders: customTimeouts \(create: 1ms\) do not reach a dynamic provider, so they do not bound the wait; set timeoutSeconds instead/);
    });
});
