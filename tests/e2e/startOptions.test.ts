import { strict as assert } from "node:assert";
import { FAST, useEngineFixtures } from "../support/e2eFixture";
import { jobId } from "../support/env";

describe("waitFor, isAutoCreateCompare and the job's details through the real Pulumi engine", function () {
    this.timeout(180_000);
    const fixture = useEngineFixtures();

    it("up returns once the long full transfer started, sends the comparison choice, and exports progress; refresh after replication shows no drift", async () => {
        const J = jobId(8);
        const f = await fixture({ jobs: [{ id: J, increDelaySeconds: 2 }], timings: { startingMs: 50, fullTransferMs: 120_000, fullCompleteMs: 50 } });
        await f.setJobs([{ name: "bulk", jobId: J, waitFor: "transferStarted", isAutoCreateCompare: false, details: true, ...FAST }]);
        const up = await f.stack.up();
        assert.equal(up.outputs.bulk.value.status, "FULL_TRANSFER_STARTED");
        const details = up.outputs.bulkDetails.value;
        assert.equal(details.waitFor, "transferStarted");
        assert.deepEqual(details.targetStatuses, ["FULL_TRANSFER_STARTED"]);
        assert.equal(details.isAutoCreateCompare, false);
        assert.equal(typeof details.phaseProgress.data, "number");
        assert.ok(Number(details.remainingTime) > 0, `remaining ${details.remainingTime}`);
        assert.equal(f.emu.jobs.get(J)?.autoCreateCompare, false, "DRS got is_auto_create_compare: false");

        f.emu.jobs.setStatus(J, "INCRE_TRANSFER_STARTED");
        const refreshed = await f.stack.up({ refresh: true });
        assert.equal(refreshed.summary.resourceChanges?.update, undefined, "replicating satisfies transferStarted: no drift");
        assert.equal(refreshed.outputs.bulk.value.status, "INCRE_TRANSFER_STARTED");
        assert.equal(refreshed.outputs.bulkDetails.value.increTransDelayMillis, 2000);
        assert.deepEqual(refreshed.outputs.bulkDetails.value.availableActions, ["PAUSE", "STOP"]);
        assert.equal(f.emu.count("batch-starting"), 1);
    });
});
