import { strict as assert } from "node:assert";
import { type JobObservation, type StatusHold, type StatusSource, waitForTarget } from "../../provider/wait/waitForTarget";
import { FakeClock } from "../support/fakeClock";

/** A status source replaying `statuses`, repeating the last one. */
function replay(...statuses: (string | JobObservation | undefined)[]) {
    let i = 0;
    const source = async () => {
        const s = statuses[Math.min(i++, statuses.length - 1)];
        return typeof s === "string" ? { status: s } : s;
    };
    return Object.assign(source, { calls: () => i });
}

const opts = { targets: ["INCRE_TRANSFER_STARTED"], timeoutMs: 60_000, pollIntervalMs: 10_000 };

describe("waitForTarget", () => {
    it("returns at once when the first look shows a target, without sleeping", async () => {
        const clock = new FakeClock();
        const outcome = await waitForTarget(replay("INCRE_TRANSFER_STARTED"), clock, opts);
        assert.equal(outcome.kind, "reached");
        assert.equal(outcome.polls, 1);
        assert.deepEqual(clock.sleeps, []);
    });

    it("tells the source, after each status seen, that the same status before the deadline needs no answer", async () => {
        const clock = new FakeClock();
        const holds: (StatusHold | undefined)[] = [];
        const statuses = ["STARTJOBING", "FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"];
        const source: StatusSource = async (hold) => {
            holds.push(hold);
            return { status: statuses[holds.length - 1] };
        };
        const outcome = await waitForTarget(source, clock, { ...opts, pollIntervalMs: 0 });
        assert.equal(outcome.kind, "reached");
        const deadline = clock.now() + opts.timeoutMs;
        assert.deepEqual(holds, [undefined, { status: "STARTJOBING", until: deadline }, { status: "FULL_TRANSFER_STARTED", until: deadline }]);
        assert.deepEqual(clock.sleeps, [], "a source that paces itself is not slept on");
    });

    it("polls through the lifecycle at the poll interval", async () => {
        const clock = new FakeClock();
        const outcome = await waitForTarget(replay("STARTJOBING", "FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED"), clock, opts);
        assert.equal(outcome.kind, "reached");
        assert.equal(outcome.polls, 4);
        assert.deepEqual(clock.sleeps, [10_000, 10_000, 10_000]);
    });

    it("waits through WAITING_FOR_START and CONFIGURATION", async () => {
        const outcome = await waitForTarget(replay("CONFIGURATION", "WAITING_FOR_START", "WAITING_FOR_START", "STARTJOBING", "INCRE_TRANSFER_STARTED"), new FakeClock(), opts);
        assert.equal(outcome.kind, "reached");
        assert.equal(outcome.polls, 5);
    });

    it("stops on a failure status and keeps the DRS code and message", async () => {
        const failure = { status: "FULL_TRANSFER_FAILED", errorCode: "DRS.M03001", errorMessage: "source down" };
        const outcome = await waitForTarget(replay("FULL_TRANSFER_STARTED", failure), new FakeClock(), opts);
        assert.equal(outcome.kind, "failed");
        assert.deepEqual(outcome.kind === "failed" && outcome.observation, failure);
    });

    it("treats a stopped job as failed", async () => {
        const outcome = await waitForTarget(replay("RELEASE_RESOURCE_STARTED"), new FakeClock(), opts);
        assert.equal(outcome.kind, "failed");
        assert.equal(outcome.kind === "failed" && outcome.family, "stopped");
    });

    it("times out naming the last status, never sleeping past the deadline", async () => {
        const clock = new FakeClock();
        const outcome = await waitForTarget(replay("FULL_TRANSFER_STARTED"), clock, { ...opts, timeoutMs: 25_000 });
        assert.equal(outcome.kind, "timedOut");
        assert.equal(outcome.kind === "timedOut" && outcome.last?.status, "FULL_TRANSFER_STARTED");
        assert.deepEqual(clock.sleeps, [10_000, 10_000, 5_000]);
        assert.equal(outcome.kind === "timedOut" && outcome.waitedMs, 25_000);
    });

    it("reports a job that disappears", async () => {
        const outcome = await waitForTarget(replay("FULL_TRANSFER_STARTED", undefined), new FakeClock(), opts);
        assert.equal(outcome.kind, "gone");
        assert.equal(outcome.kind === "gone" && outcome.last?.status, "FULL_TRANSFER_STARTED");
    });

    it("reports every observation with its family", async () => {
        const seen: string[] = [];
        await waitForTarget(replay("STARTJOBING", "INCRE_TRANSFER_STARTED"), new FakeClock(), { ...opts, onObservation: (o, f) => seen.push(`${o.status}:${f}`) });
        assert.deepEqual(seen, ["STARTJOBING:inFlight", "INCRE_TRANSFER_STARTED:target"]);
    });

    it("propagates errors of the status source", async () => {
        const source = async () => {
            throw new Error("boom");
        };
        await assert.rejects(waitForTarget(source, new FakeClock(), opts), /boom/);
    });
});
