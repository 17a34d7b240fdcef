import { strict as assert } from "node:assert";
import { DrsJobError, type DrsJobStartInputs, type DrsJobStartOutputs } from "../../provider";
import { jobId } from "../support/env";
import { type Harness, startHarness } from "../support/providerHarness";

const J = jobId(41);

/** `waitFor: "scheduled"` through the core against the emulator: return at WAITING_FOR_START, refresh quiet, a missed start is drift. */
describe("waitFor scheduled", () => {
    let h: Harness;
    afterEach(() => h?.emu.close());

    /** Creates the resource with a start `aheadMs` from now; DRS_START_GRACE_SECONDS as given. */
    async function scheduled(aheadMs: number, graceSeconds = "900"): Promise<{ outs: DrsJobStartOutputs; inputs: DrsJobStartInputs; at: number }> {
        h = await startHarness({ jobs: [{ id: J }] }, { DRS_START_GRACE_SECONDS: graceSeconds });
        const at = Date.now() + aheadMs;
        const inputs = await h.checked({ jobId: J, startTime: at, waitFor: "scheduled" });
        const outs = (await h.provider.create(inputs)).outs!;
        return { outs, inputs, at };
    }

    it("check refuses scheduled without a startTime, naming both inputs", async () => {
        h = await startHarness({ jobs: [{ id: J }] });
        const result = await h.provider.check({} as DrsJobStartInputs, { jobId: J, waitFor: "scheduled" } as DrsJobStartInputs);
        assert.equal(result.failures?.length, 1);
        assert.equal(result.failures?.[0].property, "waitFor");
        assert.match(result.failures?.[0].reason ?? "", /set startTime/);
        assert.deepEqual((await h.checked({ jobId: J, startTime: Date.now() + 60_000, waitFor: "scheduled" })).targetStatuses, ["WAITING_FOR_START"]);
    });

    it("create returns at WAITING_FOR_START after one start, days before the start time", async () => {
        const started = Date.now();
        const { outs, at } = await scheduled(3 * 24 * 3600_000);
        assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
        assert.equal(outs.status, "WAITING_FOR_START");
        assert.equal(outs.startTime, at);
        assert.equal(h.emu.count("batch-starting"), 1);
        assert.equal(h.emu.jobs.get(J)?.status, "WAITING_FOR_START");
        assert.ok(
            h.progressLines.some((l) => l.includes(`DRS starts it at ${new Date(at).toISOString()}`)),
            h.progressLines.join("\n"),
        );
    });

    it("refresh and diff are quiet while the job waits, and after it started", async () => {
        const { outs, inputs } = await scheduled(1_000, "0");
        const before = await h.provider.read(J, outs);
        assert.equal(before.props?.status, "WAITING_FOR_START");
        assert.equal(before.inputs?.jobStatus, "WAITING_FOR_START or started");
        assert.equal((await h.provider.diff(J, before.props as DrsJobStartOutputs, inputs)).changes, false);
        await new Promise((r) => setTimeout(r, 1_400)); // the emulator starts it at its time
        const after = await h.provider.read(J, outs);
        assert.notEqual(after.props?.status, "WAITING_FOR_START");
        assert.equal(after.inputs?.jobStatus, "WAITING_FOR_START or started", `status ${String(after.props?.status)} satisfies scheduled`);
        assert.equal((await h.provider.diff(J, after.props as DrsJobStartOutputs, inputs)).changes, false);
        assert.equal(h.emu.count("batch-starting"), 1);
    });

    it("a job still waiting after its start time and the grace is drift, and update fails without a second start", async () => {
        const { outs, inputs, at } = await scheduled(500, "0");
        h.emu.jobs.setStatus(J, "WAITING_FOR_START"); // DRS lost the schedule: the job waits for ever
        await new Promise((r) => setTimeout(r, 700));
        const read = await h.provider.read(J, outs);
        assert.equal(read.props?.status, "WAITING_FOR_START");
        assert.equal(read.inputs?.jobStatus, `WAITING_FOR_START after its startTime ${new Date(at).toISOString()}`);
        const diff = await h.provider.diff(J, read.props as DrsJobStartOutputs, inputs);
        assert.deepEqual(diff.detailedDiff, { jobStatus: "update" });
        const error = await h.provider.update(J, read.props as DrsJobStartOutputs, inputs).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(error instanceof DrsJobError, String(error));
        assert.match(error.message, new RegExp(`DRS job ${J}: did not start at its startTime ${new Date(at).toISOString()}.*status WAITING_FOR_START.*DRS console`));
        assert.equal(error.properties?.status, "WAITING_FOR_START", "state keeps the status seen");
        assert.equal(h.emu.count("batch-starting"), 1);
    });

    it("within the grace a job still waiting after its time is not drift", async () => {
        const { outs, inputs } = await scheduled(300, "900");
        h.emu.jobs.setStatus(J, "WAITING_FOR_START");
        await new Promise((r) => setTimeout(r, 500));
        const read = await h.provider.read(J, outs);
        assert.equal(read.inputs?.jobStatus, "WAITING_FOR_START or started");
        assert.equal((await h.provider.diff(J, read.props as DrsJobStartOutputs, inputs)).changes, false);
    });

    it("a scheduled job that failed is drift, shown with its failure status", async () => {
        const { outs, inputs } = await scheduled(60_000);
        h.emu.jobs.setStatus(J, "START_JOB_FAILED", { errorCode: "DRS.M00300", errorMessage: "Start failed." });
        const read = await h.provider.read(J, outs);
        assert.equal(read.inputs?.jobStatus, "START_JOB_FAILED");
        assert.deepEqual((await h.provider.diff(J, read.props as DrsJobStartOutputs, inputs)).detailedDiff, { jobStatus: "update" });
        await assert.rejects(h.provider.update(J, read.props as DrsJobStartOutputs, inputs), /has failed in DRS.*DRS\.M00300/);
    });

    it("switching waitFor to replicating later waits in place without a start", async () => {
        const { outs } = await scheduled(300);
        // The stored start time is in the past by now: checked against the old inputs, as the engine does.
        const checked = await h.provider.check(outs as unknown as DrsJobStartInputs, { jobId: J, startTime: outs.startTime, waitFor: "replicating", pollIntervalSeconds: 0.05 } as DrsJobStartInputs);
        assert.deepEqual(checked.failures ?? [], []);
        const news = checked.inputs!;
        assert.deepEqual((await h.provider.diff(J, outs, news)).replaces, []);
        const result = await h.provider.update(J, outs, news);
        assert.equal(result.outs?.status, "INCRE_TRANSFER_STARTED");
        assert.equal(h.emu.count("batch-starting"), 1);
    });
});
