import { strict as assert } from "node:assert";
import { useEngineFixtures } from "../support/e2eFixture";
import { jobId } from "../support/env";

/** Ten jobs whose full transfer ends at different moments. */
const ids = Array.from({ length: 10 }, (_, i) => jobId(700 + i));
const seed = { jobs: ids.map((id, i) => ({ id, dbUseType: "migration" as const, fullTransferMs: 200 + 40 * i })) };
const jobs = ids.map((id, i) => ({ name: `job-${i}`, jobId: id, pollIntervalSeconds: 0.1, timeoutSeconds: 60 }));

describe("coalescing under the real engine (serialized provider, provider host module cache)", function () {
    this.timeout(180_000);
    const fixture = useEngineFixtures();

    it("pulumi up of 10 DrsJobStart resources: one batch-starting, one listing, shared status ticks", async () => {
        const f = await fixture(seed);
        await f.setJobs(jobs);
        const up = await f.stack.up({ parallel: 20 });
        assert.equal(up.summary.resourceChanges?.create, 11);
        for (const id of ids) assert.equal(f.emu.jobs.get(id)?.starts, 1);
        const calls = (op: string) => f.emu.count(op as never);
        console.log(`      10 resources: batch-starting ${calls("batch-starting")}, list-jobs ${calls("list-jobs")}, batch-status ${calls("batch-status")}, batch-progress ${calls("batch-progress")}`);
        assert.equal(calls("batch-starting"), 1, "the start window stays open while the engine hands creates over");
        assert.equal(calls("list-jobs"), 1, "one listing filtered by the ten job ids");
        assert.ok(calls("batch-status") <= 25, "one status call per tick for all jobs");
    });

    it("the same stack with DRS_COALESCE=off makes one call per job (the naive baseline)", async () => {
        const f = await fixture(seed, { DRS_COALESCE: "off" });
        await f.setJobs(jobs);
        await f.stack.up({ parallel: 20 });
        assert.equal(f.emu.count("batch-starting"), 10);
        assert.ok(f.emu.count("batch-status") >= 40, `${f.emu.count("batch-status")} batch-status calls`);
    });
});
