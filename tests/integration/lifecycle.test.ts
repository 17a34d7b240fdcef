import { strict as assert } from "node:assert";
import { DrsJobError, type DrsJobStartInputs, type DrsJobStartOutputs } from "../../provider";
import type { EmulatorOptions } from "../../emulator";
import { jobId } from "../support/env";
import { type Harness, startHarness } from "../support/providerHarness";

const J = jobId(0x24_10);
const OTHER = jobId(0x24_11);
/** The full transfer takes 10 minutes: a job stays where it is seeded or paused. */
const SLOW: EmulatorOptions["timings"] = { startingMs: 50, fullTransferMs: 600_000, fullCompleteMs: 50, releaseMs: 100 };

/** DRS calls by kind (the emulator's operation names), except IAM. */
function callsByKind(h: Harness, since = 0): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of h.emu.calls.slice(since)) if (call.operation !== "iam-token" && call.operation !== "control") counts[call.operation] = (counts[call.operation] ?? 0) + 1;
    return counts;
}

async function rejection(work: Promise<unknown>): Promise<DrsJobError> {
    const outcome = await work.then(
        () => undefined,
        (e: unknown) => e,
    );
    assert.ok(outcome instanceof DrsJobError, `expected a DrsJobError, got ${String(outcome)}`);
    return outcome;
}

describe("the declared lifecycle against the emulator (provider core, real HTTP)", function () {
    this.timeout(30_000);
    let h: Harness;
    afterEach(() => h?.emu.close());
    const log: string[] = [];
    after(() => log.length > 0 && console.log(`      DRS calls by kind:\n${log.map((l) => `        ${l}`).join("\n")}`));

    it("pause -> resume round trip of 1 resource: one batch-pause-task, one batch-retry-task, never a second batch-starting; calls by kind recorded", async () => {
        h = await startHarness({ jobs: [{ id: J, status: "INCRE_TRANSFER_STARTED" }], timings: SLOW });
        const running = await h.checked({ jobId: J });
        const created = await h.provider.create(running);
        const paused = await h.checked({ jobId: J, runState: "paused" });
        let mark = h.emu.calls.length;
        const afterPause = await h.provider.update(J, created.outs, paused);
        const pauseCalls = callsByKind(h, mark);
        assert.equal(afterPause.outs.status, "PAUSING");
        assert.equal(h.emu.jobs.get(J)?.pauses, 1);
        mark = h.emu.calls.length;
        const afterResume = await h.provider.update(J, afterPause.outs, running);
        const resumeCalls = callsByKind(h, mark);
        assert.equal(afterResume.outs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(afterResume.outs.pausedAt, undefined);
        assert.equal(h.emu.jobs.get(J)?.retries, 1);
        assert.equal(h.emu.count("batch-starting"), 0, "the job was running: adopted, paused, resumed, never started");
        assert.deepEqual([pauseCalls["batch-pause-task"], resumeCalls["batch-retry-task"]], [1, 1]);
        log.push(`pause (1 resource): ${JSON.stringify(pauseCalls)}`, `resume (1 resource): ${JSON.stringify(resumeCalls)}`);
    });

    it("10 resources paused, resumed and stopped at once share one call per kind; one job's refusal fails only that job", async () => {
        const ids = Array.from({ length: 10 }, (_, i) => jobId(0x24_40 + i));
        const refusing = ids[3];
        h = await startHarness({ jobs: ids.map((id) => ({ id, status: "INCRE_TRANSFER_STARTED", pausable: id !== refusing })), timings: SLOW });
        const declared = (extra: Partial<DrsJobStartInputs>) => Promise.all(ids.map((id) => h.checked({ jobId: id, ...extra })));
        const created = await Promise.all((await declared({})).map((inputs) => h.provider.create(inputs)));
        const paused = await declared({ runState: "paused", deletePolicy: "stop" });
        let mark = h.emu.calls.length;
        const pauses = await Promise.allSettled(created.map((c, i) => h.provider.update(ids[i], c.outs, paused[i])));
        const pauseCalls = callsByKind(h, mark);
        for (const [i, r] of pauses.entries()) assert.equal(r.status, ids[i] === refusing ? "rejected" : "fulfilled", ids[i]);
        assert.equal(pauseCalls["batch-pause-task"], 1, JSON.stringify(pauseCalls));
        const running = await declared({ deletePolicy: "stop" });
        const resumable = pauses.flatMap((r, i) => (r.status === "fulfilled" ? [{ i, outs: r.value.outs }] : []));
        mark = h.emu.calls.length;
        const resumed = await Promise.all(resumable.map(({ i, outs }) => h.provider.update(ids[i], outs, running[i])));
        const resumeCalls = callsByKind(h, mark);
        assert.equal(resumeCalls["batch-retry-task"], 1, JSON.stringify(resumeCalls));
        mark = h.emu.calls.length;
        await Promise.all(resumed.map(({ outs }, k) => h.provider.delete(ids[resumable[k].i], outs)));
        const stopCalls = callsByKind(h, mark);
        assert.equal(stopCalls["batch-jobs"], 1, JSON.stringify(stopCalls));
        for (const { i } of resumable) assert.equal(h.emu.jobs.get(ids[i])?.status, "RELEASE_RESOURCE_COMPLETE");
        log.push(`pause (10 resources, 1 refused): ${JSON.stringify(pauseCalls)}`, `resume (9): ${JSON.stringify(resumeCalls)}`, `stop (9): ${JSON.stringify(stopCalls)}`);
    });

    it("PAUSEING (the OTC spelling) is paused too: refresh shows no drift for runState paused", async () => {
        h = await startHarness({ jobs: [{ id: J, status: "INCRE_TRANSFER_STARTED" }], timings: SLOW, pausedStatusAnswer: "PAUSEING" });
        const paused = await h.checked({ jobId: J, runState: "paused" });
        const { outs } = await h.provider.create(paused);
        assert.equal(outs.status, "PAUSEING");
        const read = await h.provider.read(J, outs);
        assert.equal((read.inputs as unknown as Record<string, unknown>).jobStatus, "PAUSING or not started");
        assert.equal((await h.provider.diff(J, read.props!, paused)).changes, false);
    });

    it("a job whose engine pair DRS cannot pause: DRS's refusal reaches the user with job id, code and what to do; the other job pauses", async () => {
        h = await startHarness({
            jobs: [
                { id: J, status: "INCRE_TRANSFER_STARTED", pausable: false, engineType: "oracle-to-gaussdb" },
                { id: OTHER, status: "INCRE_TRANSFER_STARTED" },
            ],
            timings: SLOW,
        });
        const [refused, paused] = await Promise.allSettled([h.provider.create(await h.checked({ jobId: J, runState: "paused" })), h.provider.create(await h.checked({ jobId: OTHER, runState: "paused" }))]);
        assert.equal(paused.status, "fulfilled");
        assert.equal(refused.status, "rejected");
        const error = (refused as PromiseRejectedResult).reason as DrsJobError;
        for (const part of [J, "DRS refused to pause the job in its current status", "DRS.M00304", "oracle-to-gaussdb", "runState: running"]) assert.ok(error.message.includes(part), `${error.message} lacks ${part}`);
        assert.equal(h.emu.jobs.get(J)?.status, "INCRE_TRANSFER_STARTED");
    });

    it("a pause refused as busy (DRS.M01504) is re-sent with the start's backoff and lands", async () => {
        h = await startHarness({ jobs: [{ id: J, status: "INCRE_TRANSFER_STARTED" }], timings: SLOW });
        h.emu.jobs.actAsOther(J, { kind: "busy", times: 1, call: "pause" });
        const { outs } = await h.provider.create(await h.checked({ jobId: J, runState: "paused" }));
        assert.equal(outs.status, "PAUSING");
        assert.equal(h.emu.count("batch-pause-task"), 2);
    });

    it("retryFailed: one batch-retry-task; a job that fails again fails naming both failures", async () => {
        const failAgain = { phase: "FULL_TRANSFER_STARTED" as const, errorCode: "DRS.M04002", errorMessage: "Target disk full again", afterMs: 200 };
        h = await startHarness({ jobs: [{ id: J, status: "FULL_TRANSFER_FAILED", errorCode: "DRS.M04001", errorMessage: "Target disk full", failAfterRetry: failAgain }], timings: SLOW });
        const inputs = await h.checked({ jobId: J, retryFailed: true });
        const error = await rejection(h.provider.create(inputs));
        assert.equal(h.emu.count("batch-retry-task"), 1);
        for (const part of [J, "failed again after pulumi up retried it once", "first FULL_TRANSFER_FAILED (DRS error DRS.M04001: Target disk full)", "then FULL_TRANSFER_FAILED", "DRS.M04002"]) {
            assert.ok(error.message.includes(part), `${error.message} lacks ${part}`);
        }
        assert.equal(h.emu.count("batch-starting"), 0);
    });

    it("deletePolicy stop: batch-jobs terminate, then RELEASE_RESOURCE_COMPLETE; delete: force_terminate, delete, and the job is gone", async () => {
        h = await startHarness({
            jobs: [
                { id: J, status: "INCRE_TRANSFER_STARTED" },
                { id: OTHER, status: "PAUSING" },
            ],
            timings: SLOW,
        });
        const stop = await h.provider.create(await h.checked({ jobId: J, deletePolicy: "stop" }));
        const remove = await h.provider.create(await h.checked({ jobId: OTHER, deletePolicy: "delete", runState: "paused" }));
        assert.ok(
            h.progressLines.some((l) => l.includes(`drs job ${J}: warning: deletePolicy stop: pulumi destroy`)),
            h.progressLines.join("\n"),
        );
        let mark = h.emu.calls.length;
        await h.provider.delete(J, stop.outs);
        log.push(`destroy, deletePolicy stop: ${JSON.stringify(callsByKind(h, mark))}`);
        assert.equal(h.emu.jobs.get(J)?.status, "RELEASE_RESOURCE_COMPLETE");
        mark = h.emu.calls.length;
        await h.provider.delete(OTHER, remove.outs);
        log.push(`destroy, deletePolicy delete: ${JSON.stringify(callsByKind(h, mark))}`);
        assert.equal(h.emu.jobs.get(OTHER), undefined, "the job vanished from DRS");
        assert.deepEqual(
            h.emu.calls.filter((c) => c.operation === "batch-jobs").map((c) => (c.body as { jobs: { delete_type: string }[] }).jobs[0].delete_type),
            ["terminate", "force_terminate", "delete"],
        );
        // Destroying again (a job already stopped, or gone) calls nothing that changes DRS.
        mark = h.emu.calls.length;
        await h.provider.delete(J, stop.outs);
        await h.provider.delete(OTHER, remove.outs);
        assert.equal(callsByKind(h, mark)["batch-jobs"], undefined);
    });

    it("delete where DRS lists a deleted job as DELETED; a stop that fails (RELEASE_RESOURCE_FAILED) fails naming job and code", async () => {
        h = await startHarness({
            jobs: [
                { id: J, status: "INCRE_TRANSFER_STARTED" },
                { id: OTHER, status: "INCRE_TRANSFER_STARTED", releaseFailure: { errorCode: "DRS.M07010", errorMessage: "Releasing the replication instance failed" } },
            ],
            timings: SLOW,
            deletedListingAnswer: "DELETED",
        });
        const outputs = async (jobId: string, deletePolicy: "stop" | "delete") => ({ ...(await h.checked({ jobId, deletePolicy })), status: "INCRE_TRANSFER_STARTED" }) as unknown as DrsJobStartOutputs;
        await h.provider.delete(J, await outputs(J, "delete"));
        assert.equal(h.emu.jobs.get(J)?.status, "DELETED");
        const error = await rejection(h.provider.delete(OTHER, await outputs(OTHER, "stop")));
        for (const part of [OTHER, "RELEASE_RESOURCE_FAILED", "DRS.M07010"]) assert.ok(error.message.includes(part), `${error.message} lacks ${part}`);
    });

    it("runState paused on a configured job holds it: no call but reads; runState running then starts it once", async () => {
        h = await startHarness({ jobs: [{ id: J }], timings: { startingMs: 50, fullTransferMs: 100, fullCompleteMs: 50 } });
        const held = await h.provider.create(await h.checked({ jobId: J, runState: "paused" }));
        assert.equal(held.outs.held, true);
        assert.deepEqual(
            Object.keys(callsByKind(h)).filter((k) => !["list-jobs", "batch-status", "batch-progress"].includes(k)),
            [],
        );
        const { outs } = await h.provider.update(J, held.outs, await h.checked({ jobId: J } as Partial<DrsJobStartInputs>));
        assert.equal(outs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(h.emu.count("batch-starting"), 1);
    });
});
