import { strict as assert } from "node:assert";
import { FAILED_STATUSES, jobStatusFamily, KNOWN_STATUSES, PAUSED_STATUSES, RECOVERING_STATUSES, satisfiesTargets, STOPPED_STATUSES } from "../../provider/wait/jobStatusFamily";

describe("jobStatusFamily", () => {
    it("classifies every status of the pages and the vendor SDKs into a known family", () => {
        assert.equal(KNOWN_STATUSES.length, 30);
        assert.equal(new Set(KNOWN_STATUSES).size, KNOWN_STATUSES.length);
        for (const s of KNOWN_STATUSES) assert.notEqual(jobStatusFamily(s, []), "unknown", s);
    });

    it("uses INCRE_TRANSFER_STARTED as the default target", () => {
        assert.equal(jobStatusFamily("INCRE_TRANSFER_STARTED"), "target");
        assert.equal(jobStatusFamily("FULL_TRANSFER_COMPLETE"), "inFlight");
    });

    it("lets a later step of the progression satisfy an earlier target", () => {
        assert.equal(jobStatusFamily("FULL_TRANSFER_COMPLETE", ["FULL_TRANSFER_COMPLETE"]), "target");
        assert.equal(jobStatusFamily("INCRE_TRANSFER_STARTED", ["FULL_TRANSFER_COMPLETE"]), "target");
        assert.equal(jobStatusFamily("NODE_UPGRADE_COMPLETE", ["FULL_TRANSFER_COMPLETE"]), "target");
        assert.equal(jobStatusFamily("FULL_TRANSFER_STARTED", ["FULL_TRANSFER_COMPLETE"]), "inFlight");
        assert.equal(jobStatusFamily("CHILD_TRANSFER_COMPLETE", ["CHILD_TRANSFER_STARTED"]), "target");
        assert.equal(jobStatusFamily("CHILD_TRANSFER_STARTING", ["CHILD_TRANSFER_STARTED"]), "inFlight");
    });

    it("never lets one progression satisfy another's target", () => {
        assert.equal(satisfiesTargets("INCRE_TRANSFER_STARTED", ["CHILD_TRANSFER_COMPLETE"]), false);
        assert.equal(satisfiesTargets("CHILD_TRANSFER_COMPLETE", ["INCRE_TRANSFER_STARTED"]), false);
        assert.equal(satisfiesTargets("INCRE_TRANSFER_FAILED", ["FULL_TRANSFER_COMPLETE"]), false);
    });

    it("maps not started, scheduled, recovering, failed, paused, stopped and deleted statuses", () => {
        assert.equal(jobStatusFamily("CONFIGURATION"), "notStarted");
        assert.equal(jobStatusFamily("CREATING"), "notStarted");
        assert.equal(jobStatusFamily("WAITING_FOR_START"), "scheduled");
        for (const s of RECOVERING_STATUSES) assert.equal(jobStatusFamily(s), "recovering", s);
        for (const s of FAILED_STATUSES) assert.equal(jobStatusFamily(s), "failed", s);
        for (const s of PAUSED_STATUSES) assert.equal(jobStatusFamily(s), "paused", s);
        for (const s of STOPPED_STATUSES) assert.equal(jobStatusFamily(s), "stopped", s);
        assert.equal(jobStatusFamily("DELETED"), "gone");
        assert.equal(jobStatusFamily(""), "gone", "DRS answered without a status: the job does not exist");
    });

    it("treats any *_FAILED status as failed, even one it does not know", () => {
        assert.equal(jobStatusFamily("SUBSCRIPTION_FAILED"), "failed");
    });

    it("reports statuses it does not know as unknown", () => {
        assert.equal(jobStatusFamily("SOMETHING_NEW"), "unknown");
    });
});
