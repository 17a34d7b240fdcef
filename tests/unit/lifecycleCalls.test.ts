import { strict as assert } from "node:assert";
import type { DrsClient, EndRequest, PauseRequest } from "../../provider/drs/client";
import { DrsApiError, type DrsOperation } from "../../provider/drs/errors";
import type { JobActionResult } from "../../provider/drs/wire";
import { CoalescingJobsApi, START_WINDOW } from "../../provider/jobs/coalescingJobsApi";
import { DirectJobsApi } from "../../provider/jobs/directJobsApi";
import type { JobsApi } from "../../provider/jobs/jobsApi";
import { LIFECYCLE_BATCH_SIZE } from "../../provider/jobs/lifecycleAnswers";
import type { LifecycleResult } from "../../provider/jobs/lifecycleCalls";
import { ManualClock } from "../support/manualClock";

/** One lifecycle call the fake client received: its kind (with mode) and job ids. */
interface SentCall {
    readonly kind: string;
    readonly jobIds: string[];
}

/** How the fake DRS answers one call: results per job, or a thrown error. */
type Answer = (kind: string, jobIds: string[]) => JobActionResult[];

const ok: Answer = (_kind, jobIds) => jobIds.map((id) => ({ id, status: "success" }));

/** A DrsClient stand-in for the three lifecycle calls; records every call. */
class FakeLifecycleClient {
    readonly sent: SentCall[] = [];
    readonly requestTimeoutMs = 1000;
    constructor(public answer: Answer = ok) {}

    async batchPause(jobs: readonly PauseRequest[]): Promise<JobActionResult[]> {
        return this.#send(
            `pause:${jobs[0].pauseMode}`,
            jobs.map((j) => j.jobId),
            jobs.every((j) => j.pauseMode === jobs[0].pauseMode),
        );
    }

    async batchRetry(jobIds: readonly string[]): Promise<JobActionResult[]> {
        return this.#send("retry", [...jobIds], true);
    }

    async batchEnd(jobs: readonly EndRequest[]): Promise<JobActionResult[]> {
        return this.#send(
            `end:${jobs[0].deleteType}`,
            jobs.map((j) => j.jobId),
            jobs.every((j) => j.deleteType === jobs[0].deleteType),
        );
    }

    async #send(kind: string, jobIds: string[], oneMode: boolean): Promise<JobActionResult[]> {
        assert.ok(oneMode, "one call carries one mode");
        this.sent.push({ kind, jobIds });
        return this.answer(kind, jobIds);
    }
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const OPERATION: Record<string, DrsOperation> = { pause: "batch-pause-task", retry: "batch-retry-task", end: "batch-jobs" };

/** A refusal as the client throws it: `status` and vendor code, for `jobIds`. */
function refusal(kind: string, jobIds: readonly string[], httpStatus = 400, code = "DRS.M00002", vendorMessage = "Invalid parameter"): DrsApiError {
    return new DrsApiError({ operation: OPERATION[kind.split(":")[0]], httpStatus, code, vendorMessage, jobIds });
}

/** Each of the three kinds called for one job, by name. */
const KINDS: Record<string, (api: JobsApi, jobId: string) => Promise<LifecycleResult>> = {
    "pause:target": (api, id) => api.pause(id, "target"),
    retry: (api, id) => api.retry(id),
    "end:terminate": (api, id) => api.end(id, "terminate"),
};

/** Runs the clock until every promise settled; returns the settled values or errors. */
async function settleAll<T>(clock: ManualClock, promises: Promise<T>[]): Promise<(T | Error)[]> {
    const caught = promises.map((p) => p.catch((e: unknown) => e as Error));
    let done = false;
    void Promise.all(caught).then(() => (done = true));
    while (!done && (await clock.step()));
    return Promise.all(caught);
}

function coalescing(client: FakeLifecycleClient): { api: CoalescingJobsApi; clock: ManualClock } {
    const clock = new ManualClock();
    return { api: new CoalescingJobsApi(client as unknown as DrsClient, clock), clock };
}

describe("lifecycle calls: coalesced per kind and mode, each job answered on its own", () => {
    it("one window: ⌈N/100⌉ calls per kind and mode, never two modes in one call", async () => {
        const client = new FakeLifecycleClient();
        const { api, clock } = coalescing(client);
        const requests = [
            ...ids("t", 150).map((id) => api.pause(id, "target")),
            ...ids("a", 3).map((id) => api.pause(id, "all")),
            ...ids("r", 5).map((id) => api.retry(id)),
            ...ids("s", 2).map((id) => api.end(id, "terminate")),
            ...ids("f", 2).map((id) => api.end(id, "force_terminate")),
            ...ids("d", 4).map((id) => api.end(id, "delete")),
        ];
        const results = (await settleAll(clock, requests)) as LifecycleResult[];
        assert.ok(results.every((r) => r.status === "success"));
        assert.deepEqual(
            results.map((r) => r.id),
            [...ids("t", 150), ...ids("a", 3), ...ids("r", 5), ...ids("s", 2), ...ids("f", 2), ...ids("d", 4)],
            "each caller gets its own job's result",
        );
        const byKind = new Map<string, number[]>();
        for (const call of client.sent) byKind.set(call.kind, [...(byKind.get(call.kind) ?? []), call.jobIds.length]);
        assert.deepEqual(Object.fromEntries(byKind), { "pause:target": [100, 50], "pause:all": [3], retry: [5], "end:terminate": [2], "end:force_terminate": [2], "end:delete": [4] });
        assert.ok(client.sent.every((c) => c.jobIds.length <= LIFECYCLE_BATCH_SIZE));
    });

    it("gathers under the start window: a request after the window closed goes out in a second call", async () => {
        const client = new FakeLifecycleClient();
        const { api, clock } = coalescing(client);
        const first = settleAll(clock, [api.retry("r-1"), api.retry("r-2")]);
        await first;
        assert.equal(clock.now(), START_WINDOW.firstMs, "two requests together wait the start window's first span");
        await settleAll(clock, [api.retry("r-3")]);
        assert.deepEqual(
            client.sent.map((c) => c.jobIds),
            [["r-1", "r-2"], ["r-3"]],
        );
    });

    it("the same job asked twice in one window is sent once; both callers get its result", async () => {
        const client = new FakeLifecycleClient();
        const { api, clock } = coalescing(client);
        const [a, b] = (await settleAll(clock, [api.pause("j", "target"), api.pause("j", "target")])) as LifecycleResult[];
        assert.deepEqual([a.status, b.status], ["success", "success"]);
        assert.deepEqual(client.sent, [{ kind: "pause:target", jobIds: ["j"] }]);
    });

    for (const [kind, call] of Object.entries(KINDS)) {
        describe(kind, () => {
            it("a job's `failed` inside a 2xx is its own result; the others succeed", async () => {
                const client = new FakeLifecycleClient((_k, jobIds) => jobIds.map((id) => (id === "j-3" ? { id, status: "failed", errorCode: "DRS.M00304", errorMessage: "wrong status" } : { id, status: "success" })));
                const { api, clock } = coalescing(client);
                const results = (await settleAll(
                    clock,
                    ids("j", 6).map((id) => call(api, id)),
                )) as LifecycleResult[];
                assert.deepEqual(
                    results.map((r) => r.status),
                    ["success", "success", "success", "failed", "success", "success"],
                );
                assert.deepEqual([results[3].errorCode, results[3].errorMessage], ["DRS.M00304", "wrong status"]);
                assert.equal(client.sent.length, 1);
            });

            it("a bare 400 caused by one job is bisected: that job gets DRS's code as its `failed`, the others succeed", async () => {
                const culprit = "j-6";
                const client = new FakeLifecycleClient((k, jobIds) => {
                    if (jobIds.includes(culprit)) throw refusal(k, jobIds, 400, "DRS.M05004", "The task has been deleted.");
                    return ok(k, jobIds);
                });
                const { api, clock } = coalescing(client);
                const results = (await settleAll(
                    clock,
                    ids("j", 10).map((id) => call(api, id)),
                )) as LifecycleResult[];
                for (const r of results) {
                    if (r.id === culprit) assert.deepEqual(r, { id: culprit, status: "failed", errorCode: "DRS.M05004", errorMessage: "The task has been deleted." });
                    else assert.equal(r.status, "success", r.id);
                }
                assert.ok(client.sent.length > 2 && client.sent.length <= 1 + 2 * Math.ceil(Math.log2(10)), `${client.sent.length} calls`);
                assert.deepEqual(client.sent.filter((c) => c.jobIds.includes(culprit)).at(-1)?.jobIds, [culprit], "split down to the culprit alone");
            });

            it("a bare 400 DRS.M01503 (too frequent) is every job's `failed`, in one call, not bisected", async () => {
                const client = new FakeLifecycleClient((k, jobIds) => {
                    throw refusal(k, jobIds, 400, "DRS.M01503", "The operation is too frequent.");
                });
                const { api, clock } = coalescing(client);
                const results = (await settleAll(
                    clock,
                    ids("j", 8).map((id) => call(api, id)),
                )) as LifecycleResult[];
                assert.ok(results.every((r) => r.status === "failed" && r.errorCode === "DRS.M01503"));
                assert.deepEqual(
                    results.map((r) => r.id),
                    ids("j", 8),
                );
                assert.equal(client.sent.length, 1);
            });

            it("a 5xx (outcome unknown) rejects every job with the error, named for each, and is not re-sent", async () => {
                const client = new FakeLifecycleClient((k, jobIds) => {
                    throw new DrsApiError({ operation: OPERATION[k.split(":")[0]], httpStatus: 502, vendorMessage: "Bad gateway", jobIds });
                });
                const { api, clock } = coalescing(client);
                const errors = await settleAll(
                    clock,
                    ids("j", 3).map((id) => call(api, id)),
                );
                errors.forEach((e, i) => {
                    assert.ok(e instanceof DrsApiError);
                    assert.equal(e.httpStatus, 502);
                    assert.deepEqual(e.jobIds, [`j-${i}`]);
                });
                assert.equal(client.sent.length, 1);
            });

            it("a job the answer leaves out gets a `failed` naming the call", async () => {
                const client = new FakeLifecycleClient((k, jobIds) => ok(k, jobIds.slice(1)));
                const { api, clock } = coalescing(client);
                const [missing, answered] = (await settleAll(clock, [call(api, "j-0"), call(api, "j-1")])) as LifecycleResult[];
                assert.equal(answered.status, "success");
                assert.equal(missing.status, "failed");
                assert.match(missing.errorMessage ?? "", new RegExp(`${OPERATION[kind.split(":")[0]]} answered without a result for this job`));
            });

            it("direct mode: one call per job; a refusal of that call is the job's `failed`, a 5xx rejects", async () => {
                let fail: "refuse" | "5xx" | undefined;
                const client = new FakeLifecycleClient((k, jobIds) => {
                    if (fail === "refuse") throw refusal(k, jobIds, 400, "DRS.M00304", "This API cannot be called in the current task status.");
                    if (fail === "5xx") throw new DrsApiError({ operation: OPERATION[k.split(":")[0]], httpStatus: 500, vendorMessage: "Internal error", jobIds });
                    return ok(k, jobIds);
                });
                const api = new DirectJobsApi(client as unknown as DrsClient, new ManualClock());
                assert.deepEqual(await Promise.all([call(api, "a"), call(api, "b")]), [
                    { id: "a", status: "success" },
                    { id: "b", status: "success" },
                ]);
                assert.deepEqual(
                    client.sent.map((c) => c.jobIds),
                    [["a"], ["b"]],
                );
                fail = "refuse";
                assert.deepEqual(await call(api, "c"), { id: "c", status: "failed", errorCode: "DRS.M00304", errorMessage: "This API cannot be called in the current task status." });
                fail = "5xx";
                await assert.rejects(call(api, "d"), (e: DrsApiError) => e.httpStatus === 500 && e.jobIds.join() === "d");
            });
        });
    }

    it("a 401 or 403 is no job's refusal: it rejects, never a `failed` result", async () => {
        const client = new FakeLifecycleClient((k, jobIds) => {
            throw refusal(k, jobIds, 403, "DRS.M00102", "Insufficient permissions.");
        });
        const api = new DirectJobsApi(client as unknown as DrsClient, new ManualClock());
        await assert.rejects(api.end("j", "delete"), (e: DrsApiError) => e.httpStatus === 403);
    });
});
