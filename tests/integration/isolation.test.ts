import { strict as assert } from "node:assert";
import { DEFAULT_PROJECT_ID, type DeletedJobAnswer, DELETED_JOB_ANSWERS, type EmulatedOperation, type Emulator, startEmulator, STATUS_ALL_ANSWERS } from "../../emulator";
import { StaticTokenSource } from "../../provider/drs/auth";
import { DrsClient } from "../../provider/drs/client";
import type { DrsApiError } from "../../provider/drs/errors";
import { CoalescingJobsApi } from "../../provider/jobs/coalescingJobsApi";
import { DirectJobsApi } from "../../provider/jobs/directJobsApi";
import type { JobsApi } from "../../provider/jobs/jobsApi";
import { systemClock } from "../../provider/wait/clock";
import { jobId } from "../support/env";
import { FAST_TRANSPORT } from "../support/fastTransport";
import { type Harness, startHarness } from "../support/providerHarness";

/**
 * One deleted job in a batch, answered each way DRS may answer it (in the
 * results of a 2xx, a 400 with per-job results, a bare 400), through both
 * JobsApi modes over real HTTP: every healthy job gets its own answer, only
 * the deleted one is gone or fails, and the extra calls stay within
 * `isolateBatch`'s bound (2·⌈log2 n⌉ for one culprit among n).
 */

const TOKEN = "isolation-test-token";
type ApiMode = "direct" | "coalesced";
const API_MODES: ApiMode[] = ["direct", "coalesced"];
const SIZES = [10, 100];

/** Extra calls `isolateBatch` may make for one refused job among n. */
const oneCulpritBound = (n: number) => 2 * Math.ceil(Math.log2(n));

function jobsApi(emu: Emulator, mode: ApiMode): JobsApi {
    const client = new DrsClient({ endpoint: emu.url, projectId: emu.projectId, auth: new StaticTokenSource(TOKEN), transport: FAST_TRANSPORT });
    return mode === "direct" ? new DirectJobsApi(client, systemClock) : new CoalescingJobsApi(client, systemClock);
}

/** `n` job ids; the one at `deletedAt` is deleted before the calls. */
function fleet(n: number, base: number) {
    const ids = Array.from({ length: n }, (_, i) => jobId(base + i));
    const deleted = ids[Math.floor(n * 0.37)];
    return { ids, deleted, healthy: ids.filter((id) => id !== deleted) };
}

/** Calls of `operation` with their HTTP statuses, for the printed summary. */
function measured(emu: Emulator, operation: EmulatedOperation): { calls: number; summary: string } {
    const statuses = emu.calls.filter((c) => c.operation === operation).map((c) => c.status);
    const by = new Map<number, number>();
    for (const s of statuses) by.set(s, (by.get(s) ?? 0) + 1);
    return { calls: statuses.length, summary: [...by].map(([s, k]) => `${k}×${s}`).join(" ") };
}

/**
 * Checks the call count: the direct mode makes one call per job; the
 * coalesced mode one call, plus the bisection's extra calls for a bare 400.
 */
function assertCalls(emu: Emulator, operation: EmulatedOperation, label: string, mode: ApiMode, answer: DeletedJobAnswer, n: number): void {
    const { calls, summary } = measured(emu, operation);
    const baseline = mode === "direct" ? n : 1;
    const extra = calls - baseline;
    const bound = mode === "coalesced" && answer === "400-bare" ? oneCulpritBound(n) : 0;
    console.log(`      ${label}, ${mode}, ${answer}, N=${n}: ${calls} calls (${summary}); ${extra} extra, bound ${bound}`);
    assert.ok(extra >= 0 && extra <= bound, `${extra} extra calls, bound ${bound}`);
    if (bound > 0) assert.ok(extra > 0, "the bare 400 was isolated by asking again");
}

describe("one bad job never fails another (real HTTP, every way DRS answers a deleted job)", function () {
    this.timeout(20_000);
    let emu: Emulator;
    afterEach(() => emu?.close());

    async function emulatorWith(answer: DeletedJobAnswer, ids: readonly string[], status: string, deleted: string): Promise<Emulator> {
        const started = await startEmulator({ tokens: { [TOKEN]: DEFAULT_PROJECT_ID }, deletedJobAnswer: answer, jobs: ids.map((id) => ({ id, status })) });
        assert.equal(started.jobs.delete(deleted), true);
        return started;
    }

    for (const answer of DELETED_JOB_ANSWERS) {
        for (const mode of API_MODES) {
            for (const n of SIZES) {
                describe(`${answer}, ${mode}, N=${n}`, () => {
                    it("batch-status (status checks): each healthy job gets its own status, the deleted one is gone", async () => {
                        const { ids, deleted, healthy } = fleet(n, 10_000);
                        emu = await emulatorWith(answer, ids, "INCRE_TRANSFER_STARTED", deleted);
                        const api = jobsApi(emu, mode);
                        const results = await Promise.all(ids.map((id) => api.status(id)));
                        for (const [i, id] of ids.entries()) assert.equal(results[i]?.id, id);
                        for (const [i, id] of ids.entries()) assert.equal(results[i]?.status, id === deleted ? "" : "INCRE_TRANSFER_STARTED", id);
                        assert.equal(results[ids.indexOf(deleted)]?.errorCode, "DRS.M05004");
                        assert.equal(healthy.length, n - 1);
                        assertCalls(emu, "batch-status", "batch-status", mode, answer, n);
                    });

                    it("batch-status (shared poll): each healthy waiter gets its own status, the deleted one is gone", async () => {
                        const { ids, deleted } = fleet(n, 20_000);
                        emu = await emulatorWith(answer, ids, "INCRE_TRANSFER_STARTED", deleted);
                        const api = jobsApi(emu, mode);
                        const results = await Promise.all(ids.map((id) => api.poller(id, 1000)()));
                        for (const [i, id] of ids.entries()) assert.equal(results[i]?.status ?? "", id === deleted ? "" : "INCRE_TRANSFER_STARTED", id);
                        assertCalls(emu, "batch-status", "batch-status poll", mode, answer, n);
                    });

                    it("batch-progress: each healthy job gets its progress, the deleted one none and its own error", async () => {
                        const { ids, deleted } = fleet(n, 30_000);
                        emu = await emulatorWith(answer, ids, "INCRE_TRANSFER_STARTED", deleted);
                        const api = jobsApi(emu, mode);
                        const results = await Promise.all(ids.map((id) => api.progress(id)));
                        for (const [i, id] of ids.entries()) {
                            const p = results[i];
                            if (id !== deleted) {
                                assert.equal(p?.jobId, id);
                                assert.equal(p?.progress, 100, id);
                                assert.equal(p?.errorCode, undefined);
                                continue;
                            }
                            assert.equal(p?.progress, undefined);
                            assert.equal(p?.errorCode, "DRS.M05004");
                        }
                        assertCalls(emu, "batch-progress", "batch-progress", mode, answer, n);
                    });

                    it("batch-starting: each healthy job is started exactly once, the deleted one fails with its own code", async () => {
                        const { ids, deleted, healthy } = fleet(n, 40_000);
                        emu = await emulatorWith(answer, ids, "CONFIGURATION", deleted);
                        const api = jobsApi(emu, mode);
                        const results = await Promise.allSettled(ids.map((jobId) => api.start({ jobId })));
                        for (const [i, id] of ids.entries()) {
                            const r = results[i];
                            if (id !== deleted) {
                                assert.equal(r.status === "fulfilled" && r.value.status, "success", id);
                                continue;
                            }
                            // Refused alone: a failed per-job result, or (bare 400) the refusal of its own call.
                            if (r.status === "fulfilled") assert.equal(r.value.status, "failed");
                            const code = r.status === "fulfilled" ? r.value.errorCode : (r.reason as DrsApiError).code;
                            assert.equal(code, "DRS.M05004");
                            if (r.status === "rejected") assert.match((r.reason as Error).message, new RegExp(`batch-starting for job ${deleted} failed \\(HTTP 400 DRS\\.M05004\\)`));
                        }
                        for (const id of healthy) assert.equal(emu.jobs.get(id)?.starts, 1, `${id} started once`);
                        assertCalls(emu, "batch-starting", "batch-starting", mode, answer, n);
                    });

                    it("list-jobs: each healthy job is found, the deleted one is not", async () => {
                        const { ids, deleted } = fleet(n, 50_000);
                        emu = await emulatorWith(answer, ids, "INCRE_TRANSFER_STARTED", deleted);
                        const api = jobsApi(emu, mode);
                        const results = await Promise.all(ids.map((id) => api.findJob(id, ["migration"])));
                        for (const [i, id] of ids.entries()) assert.equal(results[i]?.id, id === deleted ? undefined : id);
                        // Coalesced: one tenant listing (it does not name the deleted job); direct: one filtered lookup per job.
                        const { calls, summary } = measured(emu, "list-jobs");
                        console.log(`      list-jobs, ${mode}, ${answer}, N=${n}: ${calls} calls (${summary})`);
                        assert.equal(calls, mode === "direct" ? n : Math.ceil(n / 100));
                    });
                });
            }
        }
    }

    for (const answer of DELETED_JOB_ANSWERS) {
        for (const n of SIZES) {
            it(`${answer}, N=${n}: a refused tenant listing falls back to one lookup per job; only the deleted one is not found`, async () => {
                const { ids, deleted } = fleet(n, 60_000);
                emu = await emulatorWith(answer, ids, "INCRE_TRANSFER_STARTED", deleted);
                emu.faults.add({ operation: "list-jobs", action: { kind: "respond", status: 400, body: { error_code: "DRS.M00002", error_msg: "Invalid parameter" } } });
                const api = jobsApi(emu, "coalesced");
                const results = await Promise.all(ids.map((id) => api.findJob(id, ["migration"])));
                for (const [i, id] of ids.entries()) assert.equal(results[i]?.id, id === deleted ? undefined : id);
                const { calls, summary } = measured(emu, "list-jobs");
                console.log(`      list-jobs listing refused, coalesced, ${answer}, N=${n}: ${calls} calls (${summary}); ${calls - 1} extra, bound ${n}`);
                assert.equal(calls, 1 + n, "one lookup per job after the refused listing");
            });
        }
    }

    // More than one page of waiters: one batch-status call with per_page 0 while DRS answers it for all,
    // pages of 100 once it does not; a deleted job among them still fails alone, every way DRS may answer.
    for (const statusAll of STATUS_ALL_ANSWERS) {
        for (const answer of DELETED_JOB_ANSWERS) {
            it(`${answer}, per_page 0 ${statusAll}, N=250 waiters: each healthy waiter gets its own status, the deleted one is gone`, async () => {
                const { ids, deleted } = fleet(250, 65_000);
                emu = await emulatorWith(answer, ids, "INCRE_TRANSFER_STARTED", deleted);
                emu.statusAllAnswer = statusAll;
                const api = jobsApi(emu, "coalesced");
                const results = await Promise.all(ids.map((id) => api.poller(id, 1000)()));
                for (const [i, id] of ids.entries()) assert.equal(results[i]?.status ?? "", id === deleted ? "" : "INCRE_TRANSFER_STARTED", id);
                const { calls, summary } = measured(emu, "batch-status");
                // One call for all; "refused"/"capped" add the pages of 100 (3 at most); a bare 400 adds the
                // bisection, each half paged by 100: at most 2·⌈log2 n⌉ halves of at most 2 pages each.
                const expected = statusAll === "all" && answer !== "400-bare" ? 1 : undefined;
                const bound = 1 + 3 + (answer === "400-bare" ? 2 * oneCulpritBound(250) : 0);
                console.log(`      batch-status poll, per_page 0 ${statusAll}, ${answer}, N=250: ${calls} calls (${summary}); bound ${expected ?? bound}`);
                if (expected !== undefined) assert.equal(calls, expected);
                else assert.ok(calls > 1 && calls <= bound, `${calls} calls, bound ${bound}`);
            });
        }
    }

    it("an unknown job id (never known) is gone with DRS.M00289 in both modes", async () => {
        const ids = Array.from({ length: 5 }, (_, i) => jobId(70_000 + i));
        const unknown = jobId(79_999);
        emu = await startEmulator({ tokens: { [TOKEN]: DEFAULT_PROJECT_ID }, deletedJobAnswer: "400-bare", jobs: ids.map((id) => ({ id, status: "INCRE_TRANSFER_STARTED" })) });
        for (const mode of API_MODES) {
            const api = jobsApi(emu, mode);
            const results = await Promise.all([...ids, unknown].map((id) => api.status(id)));
            assert.deepEqual(
                results.map((r) => r?.status),
                [...ids.map(() => "INCRE_TRANSFER_STARTED"), ""],
            );
            assert.equal(results[5]?.errorCode, "DRS.M00289");
        }
    });

    it("a bare 400 that is not about a job fails each job of the batch with its own error, naming the request id", async () => {
        const ids = Array.from({ length: 4 }, (_, i) => jobId(80_000 + i));
        emu = await startEmulator({ tokens: { [TOKEN]: DEFAULT_PROJECT_ID }, jobs: ids.map((id) => ({ id, status: "INCRE_TRANSFER_STARTED" })) });
        emu.faults.add({ operation: "batch-progress", times: 1_000, action: { kind: "respond", status: 400, body: { error_code: "DRS.M00002", error_msg: "Invalid parameter" } } });
        const api = jobsApi(emu, "coalesced");
        const results = await Promise.allSettled(ids.map((id) => api.progress(id)));
        const calls = emu.calls.filter((c) => c.operation === "batch-progress");
        assert.equal(calls.length, 2 * ids.length - 1, "bisected down to every job: 2n - 1 calls");
        for (const [i, id] of ids.entries()) {
            const r = results[i];
            assert.equal(r.status, "rejected");
            const error = (r as PromiseRejectedResult).reason as DrsApiError;
            assert.deepEqual(error.jobIds, [id]);
            const own = calls.find((c) => JSON.stringify((c.body as { jobs: string[] }).jobs) === JSON.stringify([id]));
            assert.equal(error.requestId, own?.requestId, "the request id of the job's own call");
            assert.ok(error.message.endsWith(`(HTTP 400 DRS.M00002): Invalid parameter. X-Request-Id: ${own?.requestId}.`), error.message);
        }
    });
});

describe("one deleted job among 10 creates through the provider (real HTTP, bare 400)", function () {
    this.timeout(20_000);
    let h: Harness;
    afterEach(() => h?.emu.close());

    for (const coalesce of ["on", "off"]) {
        it(`DRS_COALESCE=${coalesce}: the deleted job fails as gone, naming only itself; the nine others reach their target`, async () => {
            const ids = Array.from({ length: 10 }, (_, i) => jobId(90_000 + i + (coalesce === "on" ? 0 : 100)));
            const deleted = ids[4];
            h = await startHarness({ jobs: ids.map((id) => ({ id })), deletedJobAnswer: "400-bare", timings: { startingMs: 50, fullTransferMs: 500, fullCompleteMs: 50 } }, { DRS_COALESCE: coalesce });
            h.afterStart(() => h.emu.jobs.delete(deleted), 100);
            const checked = await Promise.all(ids.map((id) => h.checked({ jobId: id, pollIntervalSeconds: 0.1 })));
            const results = await Promise.allSettled(checked.map((inputs) => h.provider.create(inputs)));
            for (const [i, id] of ids.entries()) {
                const r = results[i];
                if (id !== deleted) {
                    assert.equal(r.status, "fulfilled", `${id}: ${r.status === "rejected" ? (r.reason as Error).message : ""}`);
                    continue;
                }
                assert.equal(r.status, "rejected");
                const message = ((r as PromiseRejectedResult).reason as Error).message;
                assert.ok(message.includes(deleted) && /disappeared/.test(message), message);
                for (const other of ids.filter((x) => x !== deleted)) assert.ok(!message.includes(other), "names only its own job");
            }
            const refused = h.emu.calls.filter((c) => c.status === 400).length;
            console.log(`      provider, DRS_COALESCE=${coalesce}: batch-status ${h.emu.count("batch-status")} calls, ${refused} answered 400`);
        });
    }
});
