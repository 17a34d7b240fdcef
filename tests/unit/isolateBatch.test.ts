import { strict as assert } from "node:assert";
import { DrsApiError } from "../../provider/drs/errors";
import type { JobStatusResult } from "../../provider/drs/wire";
import { BatchWindow, fixedWindow } from "../../provider/jobs/batchWindow";
import { askEach, isolateBatch } from "../../provider/jobs/isolateBatch";
import { JobFailure } from "../../provider/jobs/jobAnswers";
import { StatusTicker } from "../../provider/jobs/statusTicker";
import { ManualClock } from "../support/manualClock";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `job-${i}`);
const refusal = (jobIds: readonly string[]) => new DrsApiError({ operation: "batch-status", httpStatus: 400, code: "DRS.M00002", vendorMessage: "Invalid parameter", jobIds });

/** A batch-status stand-in that DRS refuses (bare 400) whenever the batch holds one of `culprits`. */
function refusingCall(culprits: ReadonlySet<string>, error: (jobIds: readonly string[]) => Error = refusal) {
    const calls: string[][] = [];
    const call = async (batch: string[]) => {
        calls.push(batch);
        if (batch.some((id) => culprits.has(id))) throw error(batch);
        return new Map(batch.map((id): [string, JobStatusResult] => [id, { id, status: "FULL_TRANSFER_STARTED" }]));
    };
    return { calls, call };
}

/** The documented bound: 2·k·⌈log2 n⌉ extra calls, never more than 2·(n − 1). */
const bound = (n: number, k: number) => Math.min(2 * k * Math.ceil(Math.log2(n)), 2 * (n - 1));

function assertIsolated(answers: Map<string, JobStatusResult | JobFailure>, all: readonly string[], culprits: ReadonlySet<string>): void {
    assert.equal(answers.size, all.length);
    for (const id of all) {
        const answer = answers.get(id);
        if (!culprits.has(id)) {
            assert.equal((answer as JobStatusResult).status, "FULL_TRANSFER_STARTED", `${id} got its own status`);
            continue;
        }
        assert.ok(answer instanceof JobFailure, `${id} failed`);
        assert.ok(answer.error instanceof DrsApiError);
        assert.deepEqual(answer.error.jobIds, [id], "its error names it alone");
    }
}

describe("isolateBatch: one bad job never fails another", () => {
    it("one call when DRS answers", async () => {
        const { calls, call } = refusingCall(new Set());
        const answers = await isolateBatch(ids(10), call, 100);
        assert.equal(calls.length, 1);
        assertIsolated(answers, ids(10), new Set());
    });

    for (const n of [2, 10, 100]) {
        it(`one refused job among ${n}, wherever it sits: only it fails, within ${bound(n, 1)} extra calls`, async () => {
            let worst = 0;
            for (const culprit of ids(n)) {
                const culprits = new Set([culprit]);
                const { calls, call } = refusingCall(culprits);
                assertIsolated(await isolateBatch(ids(n), call, 100), ids(n), culprits);
                worst = Math.max(worst, calls.length - 1);
            }
            assert.ok(worst <= bound(n, 1), `${worst} extra calls`);
            assert.ok(worst >= Math.ceil(Math.log2(n)), "and it really splits down to one job");
        });
    }

    it("several refused jobs: each fails alone, within 2·k·⌈log2 n⌉ extra calls", async () => {
        for (const k of [2, 3, 5, 10]) {
            const all = ids(100);
            const culprits = new Set(all.filter((_, i) => (i * 37) % 100 < k));
            assert.equal(culprits.size, k);
            const { calls, call } = refusingCall(culprits);
            assertIsolated(await isolateBatch(all, call, 100), all, culprits);
            assert.ok(calls.length - 1 <= bound(100, k), `k=${k}: ${calls.length - 1} extra calls`);
        }
    });

    it("every job refused: 2·(n − 1) extra calls, then each fails with its own error", async () => {
        const all = ids(10);
        const { calls, call } = refusingCall(new Set(all));
        assertIsolated(await isolateBatch(all, call, 100), all, new Set(all));
        assert.equal(calls.length - 1, 2 * (10 - 1));
    });

    for (const [what, error] of [
        ["a 5xx (the request may have been acted on)", new DrsApiError({ operation: "batch-starting", httpStatus: 502, vendorMessage: "Bad gateway" })],
        ["no response", new DrsApiError({ operation: "batch-starting", httpStatus: 0, vendorMessage: "network error ECONNRESET" })],
        ["a 401 (no job causes it)", new DrsApiError({ operation: "batch-starting", httpStatus: 401, vendorMessage: "token expired" })],
        ["a 429", new DrsApiError({ operation: "batch-starting", httpStatus: 429, vendorMessage: "throttled" })],
    ] as const) {
        it(`${what}: never re-sent, every job fails with it, named for itself`, async () => {
            const all = ids(10);
            const { calls, call } = refusingCall(new Set([all[3]]), () => error);
            const answers = await isolateBatch(all, call, 100);
            assert.equal(calls.length, 1);
            for (const id of all) {
                const answer = answers.get(id);
                assert.ok(answer instanceof JobFailure && answer.error instanceof DrsApiError);
                assert.deepEqual(answer.error.jobIds, [id]);
                assert.equal(answer.error.httpStatus, error.httpStatus);
            }
        });
    }

    it("serves chunks of maxBatch on their own: a refusal in one chunk costs nothing in the others", async () => {
        const all = ids(230);
        const culprits = new Set([all[150]]);
        const { calls, call } = refusingCall(culprits);
        assertIsolated(await isolateBatch(all, call, 100), all, culprits);
        assert.ok(calls.every((c) => c.length <= 100));
        assert.deepEqual(
            calls.slice(0, 2).map((c) => c.length),
            [100, 100],
        );
        assert.ok(calls.length - 3 <= bound(100, 1), `${calls.length - 3} extra calls`);
    });
});

describe("askEach", () => {
    it("gives each job its answer or its own failure; absent when nothing was found", async () => {
        const answers = await askEach(["found", "missing", "broken"], async (id) => {
            if (id === "broken") throw refusal([id]);
            return id === "found" ? { id } : undefined;
        });
        assert.deepEqual(answers.get("found"), { id: "found" });
        assert.equal(answers.has("missing"), false);
        const broken = answers.get("broken");
        assert.ok(broken instanceof JobFailure && broken.error instanceof DrsApiError);
        assert.deepEqual(broken.error.jobIds, ["broken"]);
    });
});

describe("per-job failures in shared batches", () => {
    it("BatchWindow rejects only the callers of a failed key", async () => {
        const clock = new ManualClock();
        const window = new BatchWindow<string, string>(
            clock,
            fixedWindow(25),
            async (keys) => new Map(keys.map((k) => [k, k === "bad" ? new JobFailure(new Error(`${k} failed`)) : k.toUpperCase()])),
            () => "missing",
        );
        const answers = Promise.allSettled(["a", "bad", "b", "bad"].map((k) => window.load(k)));
        await clock.step();
        const settled = await answers;
        assert.deepEqual(
            settled.map((s) => (s.status === "fulfilled" ? s.value : (s.reason as Error).message)),
            ["A", "bad failed", "B", "bad failed"],
        );
    });

    it("StatusTicker rejects only the waiters of a failed job", async () => {
        const clock = new ManualClock();
        const ticker = new StatusTicker(
            async (jobIds) => new Map(jobIds.map((id) => [id, id === "bad" ? new JobFailure(new Error("gone wrong")) : { id, status: "FULL_TRANSFER_STARTED" }])),
            clock,
            { gatherMs: 25, jitter: 0, maxPenalty: 8 },
            () => 0.5,
        );
        const answers = Promise.allSettled(["j1", "bad", "j2"].map((id) => ticker.next(id, 1000)));
        await clock.step();
        const settled = await answers;
        assert.deepEqual(
            settled.map((s) => (s.status === "fulfilled" ? s.value?.status : (s.reason as Error).message)),
            ["FULL_TRANSFER_STARTED", "gone wrong", "FULL_TRANSFER_STARTED"],
        );
        assert.equal(ticker.stats.ticks, 1);
    });
});
