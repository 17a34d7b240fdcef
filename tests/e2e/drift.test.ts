import { strict as assert } from "node:assert";
import { DRS_TYPE, FAST, type Fixture, useEngineFixtures } from "../support/e2eFixture";
import { jobId } from "../support/env";
import { type Run, run } from "../support/automationRun";

/** The DrsJobStart's recorded outputs. */
async function recorded(f: Fixture): Promise<Record<string, unknown>> {
    const deployment = (await f.stack.exportStack()).deployment as { resources: { type: string; outputs: Record<string, unknown> }[] };
    const resource = deployment.resources.find((r) => r.type === DRS_TYPE);
    assert.ok(resource, "the DrsJobStart is in state");
    return resource.outputs;
}

describe("day two: drift through the real Pulumi engine", function () {
    this.timeout(300_000);
    const fixture = useEngineFixtures();
    const J = jobId(1);
    /** Exit codes and batch-starting counts of each step, printed for the closing note. */
    const log: string[] = [];
    after(() => log.length > 0 && console.log(`      drift sequence:\n${log.map((l) => `        ${l}`).join("\n")}`));

    it("a failed, paused (resumed by up), reset, restarted, fixed and deleted job: preview shows it, up acts on it, never a stray start", async () => {
        const f = await fixture({ jobs: [{ id: J, name: "orders" }] });
        await f.setJobs([{ name: "orders", jobId: J, dbUseType: "migration", ...FAST }]);
        const step = (name: string, r: Run) => log.push(`${name}: exit ${r.code}, batch-starting ${f.emu.count("batch-starting")}`);

        const up = await run(f.stack.up());
        step("up", up);
        assert.equal(up.code, 0);
        assert.equal(f.emu.count("batch-starting"), 1);

        // The job fails in DRS after day one.
        f.emu.jobs.setStatus(J, "INCRE_TRANSFER_FAILED", { errorCode: "DRS.M04001", errorMessage: "Binlog purged on source" });
        const preview = await run(f.stack.preview({ refresh: true, diff: true }));
        step("preview --refresh --diff", preview);
        assert.equal(preview.code, 0);
        assert.match(preview.output, /~ pulumi-nodejs:dynamic\/drs:DrsJobStart: \(update\)/);
        assert.match(preview.output, /~ jobStatus\s*: "INCRE_TRANSFER_FAILED" => "INCRE_TRANSFER_STARTED"/);
        const gate = await run(f.stack.preview({ refresh: true, expectNoChanges: true }));
        step("preview --refresh --expect-no-changes", gate);
        assert.notEqual(gate.code, 0, "a drift check fails");

        const failed = await run(f.stack.up({ refresh: true }));
        step("up --refresh (failed job)", failed);
        assert.notEqual(failed.code, 0);
        for (const part of [J, "INCRE_TRANSFER_FAILED", "DRS.M04001", "Binlog purged on source", "then run pulumi up --refresh"]) assert.ok(failed.output.includes(part), `up output lacks ${part}:\n${failed.output}`);
        assert.equal(f.emu.count("batch-starting"), 1, "no start for a failed job");
        assert.equal((await recorded(f)).status, "INCRE_TRANSFER_FAILED", "state keeps the status seen");

        // Paused by an operator: drift too; the preview names the call, up resumes it (batch-retry-task, never batch-starting).
        f.emu.jobs.setStatus(J, "INCRE_TRANSFER_STARTED");
        f.emu.jobs.act(J, { action: "pause" });
        const pausedPreview = await run(f.stack.preview({ refresh: true, diff: true }));
        step("preview --refresh --diff (paused job)", pausedPreview);
        assert.match(pausedPreview.output, /~ jobStatus\s*: "PAUSING" => "INCRE_TRANSFER_STARTED"/);
        assert.ok(pausedPreview.output.includes(`drs job ${J}: PAUSING: pulumi up resumes it (batch-retry-task)`), pausedPreview.output);
        const paused = await run(f.stack.up({ refresh: true }));
        step("up --refresh (paused job)", paused);
        assert.equal(paused.code, 0, paused.output);
        assert.equal(f.emu.count("batch-retry-task"), 1, "one resume");
        assert.equal(f.emu.count("batch-starting"), 1, "a paused job is never started again");
        assert.equal((await recorded(f)).status, "INCRE_TRANSFER_STARTED");

        // The operator fixes it in DRS: the next up --refresh changes nothing and starts nothing.
        f.emu.jobs.setStatus(J, "INCRE_TRANSFER_STARTED");
        const fixed = await run(f.stack.up({ refresh: true }));
        step("up --refresh (fixed in DRS)", fixed);
        assert.equal(fixed.code, 0, fixed.output);
        assert.match(fixed.output, /2 unchanged/);
        const clean = await run(f.stack.preview({ refresh: true, expectNoChanges: true }));
        step("preview --refresh --expect-no-changes (fixed)", clean);
        assert.equal(clean.code, 0, clean.output);
        assert.equal(f.emu.count("batch-starting"), 1);

        // Reset to CONFIGURATION: started once, as create does.
        f.emu.jobs.setStatus(J, "CONFIGURATION");
        const reset = await run(f.stack.up({ refresh: true }));
        step("up --refresh (reset job)", reset);
        assert.equal(reset.code, 0, reset.output);
        assert.equal(f.emu.count("batch-starting"), 2, "one start for the reset job");
        assert.equal((await recorded(f)).status, "INCRE_TRANSFER_STARTED");

        // Fixed and restarted by an operator, still transferring: waited on, not started.
        f.emu.jobs.setStatus(J, "FULL_TRANSFER_STARTED");
        const restarted = await run(f.stack.up({ refresh: true }));
        step("up --refresh (restarted job)", restarted);
        assert.equal(restarted.code, 0, restarted.output);
        assert.equal(f.emu.count("batch-starting"), 2);
        assert.equal((await recorded(f)).status, "INCRE_TRANSFER_STARTED");

        // Deleted in DRS: the refresh drops the resource; the next up fails "not found" and starts nothing.
        f.emu.jobs.delete(J);
        const dropped = await run(f.stack.refresh());
        step("refresh (deleted job)", dropped);
        assert.equal(dropped.code, 0);
        assert.ok(!(await f.resourceTypes()).includes(DRS_TYPE), "the resource is dropped from state");
        const missing = await run(f.stack.up());
        step("up (deleted job)", missing);
        assert.notEqual(missing.code, 0);
        assert.match(missing.output, new RegExp(`DRS job ${J}: not found`));
        assert.equal(f.emu.count("batch-starting"), 2, "nothing started");
    });

    it("DRS's own maintenance: the drift gate stays green on a node rebuild, turns red past the grace, green again once DRS returns; never a start", async () => {
        /** drs:recoveryGraceSeconds of this stack: short, so that the test outlasts it. */
        const graceSeconds = 20;
        const R = jobId(2);
        const f = await fixture({ jobs: [{ id: R, name: "orders" }] });
        await f.setJobs([{ name: "orders", jobId: R, dbUseType: "migration", ...FAST }]);
        await f.stack.setConfig("drs:recoveryGraceSeconds", { value: String(graceSeconds) });
        const step = (name: string, r: Run) => log.push(`${name}: exit ${r.code}, batch-starting ${f.emu.count("batch-starting")}`);
        const gate = () => run(f.stack.preview({ refresh: true, expectNoChanges: true, diff: true }));

        const up = await run(f.stack.up());
        step("up", up);
        assert.equal(up.code, 0, up.output);
        assert.equal(f.emu.count("batch-starting"), 1);

        // DRS rebuilds the job's node: a refresh records since when, and warns.
        f.emu.jobs.setStatus(R, "REBUILD_NODE_STARTED");
        const refreshed = await run(f.stack.refresh());
        step("refresh (node rebuild)", refreshed);
        assert.equal(refreshed.code, 0, refreshed.output);
        assert.match(refreshed.output, new RegExp(`drs job ${R}: warning: REBUILD_NODE_STARTED since `));
        const state = await recorded(f);
        assert.equal(state.status, "REBUILD_NODE_STARTED");
        const since = Date.parse(String(state.statusSince));
        assert.ok(Number.isFinite(since), `statusSince recorded: ${String(state.statusSince)}`);
        const green = await gate();
        step("preview --refresh --expect-no-changes (node rebuild, within the grace)", green);
        assert.equal(green.code, 0, green.output);

        // Still rebuilding past the grace: drift.
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, since + graceSeconds * 1000 + 1000 - Date.now())));
        const red = await gate();
        step("preview --refresh --expect-no-changes (node rebuild past the grace)", red);
        assert.notEqual(red.code, 0, "past the grace the gate fails");
        assert.match(red.output, /~ jobStatus\s*: "REBUILD_NODE_STARTED since [^"]+" => "INCRE_TRANSFER_STARTED"/);

        // DRS finished the rebuild: green again.
        f.emu.jobs.setStatus(R, "INCRE_TRANSFER_STARTED");
        const back = await gate();
        step("preview --refresh --expect-no-changes (replicating again)", back);
        assert.equal(back.code, 0, back.output);
        assert.equal(f.emu.count("batch-starting"), 1, "no start call at any point");
    });
});
