import { strict as assert } from "node:assert";
import {
    FAILED_STATUSES,
    IN_FLIGHT_STATUSES,
    jobStatusFamily,
    KNOWN_STATUSES,
    STOPPED_STATUSES,
} from "../../provider/wait/jobStatusFamily";

describe("jobStatusFamily", () => {
    it("classifies every documented status into exactly one family", () => {
        assert.equal(KNOWN_STATUSES.length, 23);
        assert.equal(new Set(KNOWN_STATUSES).size, KNOWN_STATUSES.length);
        for (const s of KNOWN_STATUSES) assert.notEqual(jobStatusFamily(s, []), "unknown", s);
    });

    it("uses INCRE_TRANSFER_STARTED as the default target", () => {
        assert.equal(jobStatusFamily("INCRE_TRANSFER_STARTED"), "target");
        assert.equal(jobStatusFamily("FULL_TRANSFER_COMPLETE"), "inFlight");
    });

    it("lets the targets win: full-only jobs target FULL_TRANSFER_COMPLETE", () => {
        assert.equal(jobStatusFamily("FULL_TRANSFER_COMPLETE", ["FULL_TRANSFER_COMPLETE"]), "target");
        assert.equal(jobStatusFamily("INCRE_TRANSFER_STARTED", ["FULL_TRANSFER_COMPLETE"]), "inFlight");
    });

    it("maps not started, scheduled, failed and stopped statuses", () => {
        assert.equal(jobStatusFamily("CONFIGURATION"), "notStarted");
        assert.equal(jobStatusFamily("CREATING"), "notStarted");
        assert.equal(jobStatusFamily("WAITING_FOR_START"), "scheduled");
        for (const s of FAILED_STATUSES) assert.equal(jobStatusFamily(s), "failed", s);
        for (const s of STOPPED_STATUSES) assert.equal(jobStatusFamily(s), "stopped", s);
        for (const s of IN_FLIGHT_STATUSES.filter((x) => x !== "INCRE_TRANSFER_STARTED")) assert.equal(jobStatusFamily(s), "inFlight", s);
    });

    it("reports statuses it does not know as unknown", () => {
        assert.equal(jobStatusFamily("SOMETHING_NEW"), "unknown");
        assert.equal(jobStatusFamily(""), "unknown");
    });
});
