import { strict as assert } from "node:assert";
import { DrsApiError } from "../../provider/drs/errors";
import type { JobStatusResult } from "../../provider/drs/wire";
import { ArrivalPace } from "../../provider/jobs/arrivalPace";
import { BatchWindow, chunks, fixedWindow, HOLD_GAPS, type WindowTiming } from "../../provider/jobs/batchWindow";
import { LOOKUP_WINDOW, START_WINDOW } from "../../provider/jobs/coalescingJobsApi";
import { adaptiveInterval } from "../../provider/jobs/jobsApi";
import { StatusTicker } from "../../provider/jobs/statusTicker";
import { ManualClock, settle } from "../support/manualClock";

const NO_JITTER = { gatherMs: 25, jitter: 0, maxPenalty: 8 };
const running = (id: string): JobStatusResult => ({ id, status: "FULL_TRANSFER_STARTED" });

describe("coalescing: adaptive poll interval", () => {
    it("starts fast and doubles up to the configured interval", () => {
        assert.deepEqual(
            [0, 1, 2, 3, 4, 5].map((k) => adaptiveInterval(k, 10_000)),
            [500, 1000, 2000, 4000, 8000, 10_000],
        );
        assert.deepEqual(
            [0, 1, 9].map((k) => adaptiveInterval(k, 50)),
            [50, 50, 50],
            "never slower than configured",
        );
    });
});

describe("coalescing: BatchWindow", () => {
    it("serves every caller of a window with one flush of the distinct keys", async () => {
        const clock = new ManualClock();
        const flushes: string[][] = [];
        const window = new BatchWindow<string, string>(
            clock,
            fixedWindow(25),
            async (keys) => {
                flushes.push(keys);
                return new Map(keys.map((k) => [k, k.toUpperCase()]));
            },
            () => "missing",
        );
        const answers = Promise.all(["a", "b", "a", "c"].map((k) => window.load(k)));
        await clock.step();
        assert.deepEqual(await answers, ["A", "B", "A", "C"]);
        assert.deepEqual(flushes, [["a", "b", "c"]]);
        const late = window.load("d");
        await clock.step();
        assert.equal(await late, "D");
        assert.equal(flushes.length, 2, "a later call opens a new window");
    });

    it("gives each caller its own error", async () => {
        const clock = new ManualClock();
        const window = new BatchWindow<string, string>(
            clock,
            fixedWindow(25),
            async () => {
                throw new Error("boom");
            },
            () => "",
            (error, key) => new Error(`${key}: ${(error as Error).message}`),
        );
        const a = window.load("a").catch((e: Error) => e.message);
        const b = window.load("b").catch((e: Error) => e.message);
        await clock.step();
        assert.deepEqual([await a, await b], ["a: boom", "b: boom"]);
    });

    describe("adaptive window", () => {
        const timing: WindowTiming = { firstMs: 30, streamGapMs: 500, maxMs: 2000 };
        function adaptive(clock: ManualClock, windowTiming: WindowTiming = timing) {
            const flushes: { at: number; keys: string[] }[] = [];
            const window = new BatchWindow<string, string>(
                clock,
                windowTiming,
                async (keys) => {
                    flushes.push({ at: clock.now(), keys });
                    return new Map(keys.map((k) => [k, k]));
                },
                () => "missing",
            );
            return { window, flushes };
        }
        const runAll = async (clock: ManualClock) => {
            while (await clock.step());
        };

        it("a lone request waits only the first window", async () => {
            const clock = new ManualClock();
            const { window, flushes } = adaptive(clock);
            const a = window.load("a");
            await runAll(clock);
            assert.equal(await a, "a");
            assert.deepEqual(flushes, [{ at: 30, keys: ["a"] }]);
        });

        /** Wakes every timer due up to `t`, in order, and leaves the clock at `t`. */
        async function advanceTo(clock: ManualClock, t: number): Promise<void> {
            let reached = false;
            void clock.sleep(t - clock.now()).then(() => (reached = true));
            while (!reached && (await clock.step()));
        }

        /** Loads `k<i>` at each time of `times` (ascending); returns the flushes once all are answered, and when each key arrived. */
        async function arrivals(clock: ManualClock, times: readonly number[], windowTiming: WindowTiming = timing) {
            const { window, flushes } = adaptive(clock, windowTiming);
            const loads: Promise<string>[] = [];
            const arrivedAt = new Map<string, number>();
            for (const [i, t] of times.entries()) {
                await advanceTo(clock, t);
                arrivedAt.set(`k${i}`, t);
                loads.push(window.load(`k${i}`));
            }
            await runAll(clock);
            await Promise.all(loads);
            return { flushes, arrivedAt };
        }

        it("stays open while new keys keep coming at the pace seen, and closes HOLD_GAPS gaps after the last", async () => {
            const clock = new ManualClock();
            // 50 creates handed over 25 ms apart (the first window is 30 ms): the stream's pace holds the window open.
            const { flushes } = await arrivals(
                clock,
                Array.from({ length: 50 }, (_, i) => i * 25),
            );
            assert.deepEqual(flushes, [{ at: 49 * 25 + HOLD_GAPS * 25, keys: Array.from({ length: 50 }, (_, i) => `k${i}`) }]);
        });

        /** 200 arrivals 40-60 ms apart (deterministic spread), as the engine hands creates over one by one at N=500. */
        const oneByOne: number[] = [];
        for (let i = 0, t = 0; i < 200; i++, t += 40 + ((i * 7919) % 21)) oneByOne.push(t);
        /** The same 10 s in bursts under load: 8 creates at once, then a 400 ms pause. */
        const inBursts = Array.from({ length: 200 }, (_, i) => Math.floor(i / 8) * 400);

        for (const [pattern, times] of [
            ["one by one 40-60 ms apart", oneByOne],
            ["in bursts 400 ms apart", inBursts],
        ] as const) {
            it(`lookups and starts handed over ${pattern} for 10 s go out in at most 10 batches, none waiting past the bound`, async () => {
                for (const windowTiming of [LOOKUP_WINDOW, START_WINDOW]) {
                    const clock = new ManualClock();
                    const { flushes, arrivedAt } = await arrivals(clock, times, windowTiming);
                    assert.ok(flushes.length <= 10, `${flushes.length} batches: ${flushes.map((f) => f.keys.length).join(" ")}`);
                    assert.equal(
                        flushes.reduce((sum, f) => sum + f.keys.length, 0),
                        200,
                    );
                    for (const f of flushes) for (const k of f.keys) assert.ok(f.at - arrivedAt.get(k)! <= windowTiming.maxMs, `${k} waited ${f.at - arrivedAt.get(k)!} ms`);
                }
            });
        }

        it("a lone request waits 30 ms for its lookup and 10 ms for its start, as before", async () => {
            for (const [windowTiming, ms] of [
                [LOOKUP_WINDOW, 30],
                [START_WINDOW, 10],
            ] as const) {
                const clock = new ManualClock();
                const { flushes } = await arrivals(clock, [0], windowTiming);
                assert.deepEqual(flushes, [{ at: ms, keys: ["k0"] }]);
            }
        });

        it("a lone request after a stream waits only the first window again", async () => {
            const clock = new ManualClock();
            const times = [...Array.from({ length: 10 }, (_, i) => i * 50), 5000];
            const { flushes } = await arrivals(clock, times);
            assert.deepEqual(flushes[flushes.length - 1], { at: 5000 + 30, keys: ["k10"] }, "a pause longer than streamGapMs ends the stream");
        });

        it("closes at the hard bound however long requests keep coming", async () => {
            const clock = new ManualClock();
            const { flushes } = await arrivals(
                clock,
                Array.from({ length: 100 }, (_, i) => i * 24),
            );
            assert.deepEqual(flushes[0], { at: 2000, keys: Array.from({ length: 84 }, (_, i) => `k${i}`) }, "first flush at the bound");
            assert.equal(flushes.length, 2, "later requests open the next window");
            assert.equal(flushes[1].keys.length, 16);
        });

        it("closes at once when a full call's worth of keys waits; the next window keeps its own closing time", async () => {
            const clock = new ManualClock();
            const { flushes } = await arrivals(clock, [0, 0, 0, 20], { ...timing, fullAt: 3 });
            // k3 comes 20 ms after the stream's last: hold HOLD_GAPS × its longest recent gap (20 ms), not the closed window's 30 ms.
            const hold = Math.max(30, HOLD_GAPS * 20);
            assert.deepEqual(flushes, [
                { at: 0, keys: ["k0", "k1", "k2"] },
                { at: 20 + hold, keys: ["k3"] },
            ]);
        });

        it("a window never closes sooner than firstMs, even for a request in the same millisecond as the one before", async () => {
            const clock = new ManualClock();
            const { flushes } = await arrivals(clock, [0, 0, 0], { ...fixedWindow(25), fullAt: 2 });
            assert.deepEqual(flushes, [
                { at: 0, keys: ["k0", "k1"] },
                { at: 25, keys: ["k2"] },
            ]);
        });

        it("a repeated key does not extend the window", async () => {
            const clock = new ManualClock();
            const { window, flushes } = adaptive(clock);
            const a = window.load("a");
            clock.t = 20;
            const again = window.load("a");
            await runAll(clock);
            assert.deepEqual([await a, await again], ["a", "a"]);
            assert.deepEqual(flushes, [{ at: 30, keys: ["a"] }]);
        });
    });

    describe("arrival pace", () => {
        it("is unknown for the first arrival and after a pause, the longest of the latest gaps within a stream", () => {
            const pace = new ArrivalPace(500);
            assert.equal(pace.arrive(0), undefined);
            assert.equal(pace.arrive(50), 50);
            assert.equal(pace.arrive(150), 100);
            assert.equal(pace.arrive(160), 100, "a short gap does not hide the pause before it");
            assert.equal(pace.arrive(1000), undefined, "840 ms > 500 ms: a new stream");
            assert.equal(pace.arrive(1040), 40);
            for (let t = 1050; t <= 1130; t += 10) pace.arrive(t);
            assert.equal(pace.arrive(1140), 10, "only the latest 8 gaps count");
        });
    });

    it("chunks lists", () => {
        assert.deepEqual(chunks([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
        assert.deepEqual(chunks([], 100), []);
    });
});

describe("coalescing: StatusTicker", () => {
    function ticker(clock: ManualClock, fetch?: (ids: string[]) => Promise<Map<string, JobStatusResult>>) {
        const calls: { at: number; ids: string[] }[] = [];
        const t = new StatusTicker(
            async (ids) => {
                calls.push({ at: clock.now(), ids });
                return fetch ? fetch(ids) : new Map(ids.map((id) => [id, running(id)]));
            },
            clock,
            NO_JITTER,
            () => 0.5,
            (error, jobId) => new DrsApiError({ operation: "batch-status", httpStatus: 503, vendorMessage: String((error as Error).message), jobIds: [jobId] }),
        );
        return { t, calls };
    }

    it("answers all waiters of a moment with one batch-status", async () => {
        const clock = new ManualClock();
        const { t, calls } = ticker(clock);
        const answers = Promise.all(["j1", "j2", "j3"].map((id) => t.next(id, 1000)));
        await clock.step();
        assert.deepEqual(
            (await answers).map((r) => r?.id),
            ["j1", "j2", "j3"],
        );
        assert.deepEqual(calls, [{ at: 25, ids: ["j1", "j2", "j3"] }]);
    });

    it("ticks when the most eager waiter is due, and answers everyone", async () => {
        const clock = new ManualClock();
        const { t, calls } = ticker(clock);
        await Promise.all([t.next("fast", 500), t.next("slow", 10_000), clock.step()]);
        const second = Promise.all([t.next("fast", 500), t.next("slow", 10_000)]);
        await clock.step();
        await second;
        assert.deepEqual(
            calls.map((c) => c.at),
            [25, 525],
        );
        assert.deepEqual(calls[1].ids, ["fast", "slow"]);
    });

    it("slows down for everyone after a 429, and recovers on quiet ticks", async () => {
        const clock = new ManualClock();
        const { t, calls } = ticker(clock);
        const poll = async () => {
            const p = t.next("j", 1000);
            await clock.step();
            await p;
        };
        await poll(); // t=25
        t.throttled();
        await poll(); // 1000 x2
        await poll(); // penalty halved by the quiet tick before: x1
        assert.deepEqual(
            calls.map((c) => c.at),
            [25, 2025, 3025],
        );
    });

    it("keeps a held waiter through the ticks whose answer it skips, at the pace it asks for, and answers it at the first other one", async () => {
        const clock = new ManualClock();
        let status = "FULL_TRANSFER_STARTED";
        const { t, calls } = ticker(clock, async (ids) => new Map(ids.map((id) => [id, { id, status }])));
        const intervals = [500, 1000, 2000];
        const skipped: string[] = [];
        const held = t.next("held", 0, {
            skip: (result) => {
                if (result?.status !== "FULL_TRANSFER_STARTED") return false;
                skipped.push(result.status);
                return true;
            },
            nextIntervalMs: () => intervals.shift() ?? 2000,
        });
        let answered: JobStatusResult | undefined;
        void held.then((r) => (answered = r));
        for (let tick = 0; tick < 3; tick++) await clock.step();
        assert.equal(answered, undefined, "not answered while its answers are skipped");
        assert.equal(skipped.length, 3);
        status = "INCRE_TRANSFER_STARTED";
        await clock.step();
        assert.equal((await held)?.status, "INCRE_TRANSFER_STARTED");
        assert.deepEqual(
            calls.map((c) => c.at),
            [25, 525, 1525, 3525],
            "paced by nextIntervalMs while held",
        );
    });

    it("reports a failed tick to each waiter as its own job's error", async () => {
        const clock = new ManualClock();
        const { t } = ticker(clock, async () => {
            throw new Error("Service unavailable");
        });
        const a = t.next("j1", 1000).catch((e: DrsApiError) => e);
        const b = t.next("j2", 1000).catch((e: DrsApiError) => e);
        await clock.step();
        const [ea, eb] = [await a, await b] as DrsApiError[];
        assert.deepEqual([ea.jobIds, eb.jobIds], [["j1"], ["j2"]]);
        await settle();
    });
});
