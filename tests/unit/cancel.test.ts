import { strict as assert } from "node:assert";
import type { JobStatusResult } from "../../provider/drs/wire";
import type { JobFailure } from "../../provider/jobs/jobAnswers";
import { StatusTicker } from "../../provider/jobs/statusTicker";
import { type StatusSource, waitForTarget } from "../../provider/wait/waitForTarget";
import type { Clock } from "../../provider/wait/clock";
import { FakeClock } from "../support/fakeClock";

const opts = { targets: ["INCRE_TRANSFER_STARTED"], timeoutMs: 60_000, pollIntervalMs: 0 };

/** A clock whose sleeps are real but short, so a ticker runs without waiting long. */
const quickClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5))) };

describe("cancel (the engine's Cancel, as an AbortSignal)", () => {
    it("ends a wait during a look that never answers, reporting the last status seen", async () => {
        const controller = new AbortController();
        let looks = 0;
        const source: StatusSource = () => (++looks === 1 ? Promise.resolve({ status: "FULL_TRANSFER_STARTED" }) : new Promise(() => {}));
        const waiting = waitForTarget(source, new FakeClock(), { ...opts, signal: controller.signal });
        await new Promise((resolve) => setImmediate(resolve));
        controller.abort(new Error("cancelled"));
        assert.deepEqual(await waiting, { kind: "cancelled", last: { status: "FULL_TRANSFER_STARTED" }, polls: 1 });
    });

    it("ends a wait whose source rejects with the abort, and one cancelled before its first look", async () => {
        const controller = new AbortController();
        controller.abort(new Error("cancelled"));
        const rejecting: StatusSource = () => Promise.reject(controller.signal.reason);
        assert.deepEqual(await waitForTarget(rejecting, new FakeClock(), { ...opts, signal: controller.signal }), { kind: "cancelled", last: undefined, polls: 0 });
    });

    it("a wait without a signal, or whose signal never fires, is not changed by it", async () => {
        const source: StatusSource = async () => ({ status: "INCRE_TRANSFER_STARTED" });
        assert.equal((await waitForTarget(source, new FakeClock(), { ...opts, signal: new AbortController().signal })).kind, "reached");
    });

    it("the shared status tick drops a cancelled waiter at once and calls DRS no more for it", async () => {
        const asked: string[][] = [];
        const fetch = async (ids: string[]) => {
            asked.push(ids);
            return new Map<string, JobStatusResult | JobFailure>(ids.map((id) => [id, { id, status: "FULL_TRANSFER_STARTED" }]));
        };
        const ticker = new StatusTicker(fetch, quickClock, { gatherMs: 1, jitter: 0, maxPenalty: 8 });
        const controller = new AbortController();
        // Held forever: the waiter stays in the ticker until cancelled.
        const hold = { skip: () => true, nextIntervalMs: () => 10 };
        const cancelled = ticker.next("a", 10, hold, controller.signal);
        const other = ticker.next("b", 10);
        assert.equal((await other)?.status, "FULL_TRANSFER_STARTED");
        controller.abort(new Error("cancelled by the engine"));
        await assert.rejects(cancelled, /cancelled by the engine/);
        const callsAtCancel = asked.length;
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(asked.length, callsAtCancel, "no tick after the last waiter left");
        assert.ok(
            asked.some((ids) => ids.includes("a")),
            "the held waiter was polled before the cancel",
        );
    });

    it("a waiter already settled leaves no abort listener behind", async () => {
        const fetch = async (ids: string[]) => new Map<string, JobStatusResult | JobFailure>(ids.map((id) => [id, { id, status: "INCRE_TRANSFER_STARTED" }]));
        const ticker = new StatusTicker(fetch, quickClock, { gatherMs: 1, jitter: 0, maxPenalty: 8 });
        const controller = new AbortController();
        let listeners = 0;
        const signal = controller.signal;
        const add = signal.addEventListener.bind(signal);
        const remove = signal.removeEventListener.bind(signal);
        signal.addEventListener = ((...args: Parameters<typeof add>) => {
            listeners++;
            add(...args);
        }) as typeof signal.addEventListener;
        signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
            listeners--;
            remove(...args);
        }) as typeof signal.removeEventListener;
        for (let i = 0; i < 20; i++) await ticker.next("a", 1, undefined, signal);
        assert.equal(listeners, 0);
    });
});

describe("cancel while a tick is in flight", () => {
    it("a held waiter cancelled during its tick's call is not kept for the next tick", async () => {
        let calls = 0;
        let release: () => void = () => {};
        const fetch = async (ids: string[]) => {
            calls++;
            if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
            return new Map<string, JobStatusResult | JobFailure>(ids.map((id) => [id, { id, status: "FULL_TRANSFER_STARTED" }]));
        };
        const ticker = new StatusTicker(fetch, quickClock, { gatherMs: 1, jitter: 0, maxPenalty: 8 });
        const controller = new AbortController();
        const waiting = ticker.next("a", 10, { skip: () => true, nextIntervalMs: () => 10 }, controller.signal);
        while (calls === 0) await new Promise((resolve) => setTimeout(resolve, 1));
        controller.abort(new Error("cancelled by the engine"));
        release();
        await assert.rejects(waiting, /cancelled by the engine/);
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(calls, 1, "no tick after the cancelled waiter's call came back");
    });
});
