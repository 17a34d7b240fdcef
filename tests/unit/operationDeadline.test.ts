import { strict as assert } from "node:assert";
import { operationDeadline, waitBound } from "../../provider/operationDeadline";

describe("operation deadline: the engine's customTimeouts against timeoutSeconds", () => {
    const now = 1_700_000_000_000;

    it("no deadline when the engine sends 0 (unset) or nothing usable", () => {
        for (const seconds of [0, undefined, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(operationDeadline("create", seconds, now), undefined);
    });

    it("a deadline counts from the operation's start and names its source", () => {
        assert.deepEqual(operationDeadline("update", 2.5, now), { atMs: now + 2500, seconds: 2.5, source: "customTimeouts.update" });
    });

    it("the smaller bound wins and is the one named", () => {
        const deadline = operationDeadline("create", 2, now);
        assert.deepEqual(waitBound(3600, 0, deadline, now), { timeoutMs: 2000, within: "within 2 s (customTimeouts.create ran out)", raise: "customTimeouts.create" });
        assert.deepEqual(waitBound(1, 0, deadline, now), { timeoutMs: 1000, within: "within 1 s", raise: "timeoutSeconds" });
        assert.deepEqual(waitBound(60, 0, undefined, now), { timeoutMs: 60_000, within: "within 60 s", raise: "timeoutSeconds" });
    });

    it("a wait that begins late gets only what is left of the deadline (never less than 0)", () => {
        const deadline = operationDeadline("create", 2, now);
        assert.equal(waitBound(3600, 0, deadline, now + 1500).timeoutMs, 500);
        assert.equal(waitBound(3600, 0, deadline, now + 5000).timeoutMs, 0);
    });

    it("a scheduled start's delay lengthens timeoutSeconds but not the engine's deadline", () => {
        const deadline = operationDeadline("create", 100, now);
        assert.equal(waitBound(60, 30_000, deadline, now).timeoutMs, 90_000);
        assert.equal(waitBound(60, 50_000, deadline, now).raise, "customTimeouts.create");
    });
});
