import { strict as assert } from "node:assert";
import type { EmulatedOperation } from "../../emulator";
import { jobId } from "../support/env";
import { type Harness, startHarness } from "../support/providerHarness";

/** Starts `n` DrsJobStart creates at once through one provider, as the engine does. */
async function createAll(h: Harness, ids: string[]): Promise<PromiseSettledResult<unknown>[]> {
    const checked = await Promise.all(ids.map((id) => h.checked({ jobId: id, pollIntervalSeconds: 0.1 })));
    return Promise.allSettled(checked.map((inputs) => h.provider.create(inputs)));
}

const count = (h: Harness, op: EmulatedOperation) => h.emu.count(op);

describe("coalescing DRS calls across resources (real HTTP)", function () {
    this.timeout(20_000);
    let h: Harness;
    afterEach(() => h?.emu.close());

    it("10 concurrent creates: one batch-starting, one tenant listing, shared status ticks", async () => {
        const ids = Array.from({ length: 10 }, (_, i) => jobId(300 + i));
        h = await startHarness({ jobs: ids.map((id) => ({ id, dbUseType: "migration" as const })) });
        const results = await createAll(h, ids);
        assert.ok(results.every((r) => r.status === "fulfilled"));
        assert.equal(count(h, "batch-starting"), 1);
        assert.equal((h.emu.calls.find((c) => c.operation === "batch-starting")?.body as { jobs: unknown[] } | undefined)?.jobs.length, 10);
        assert.equal(count(h, "list-jobs"), 1, "one listing of the migration scope for all ten");
        assert.equal(count(h, "batch-progress"), 1);
        const ticks = count(h, "batch-status");
        assert.ok(ticks <= 12, `${ticks} batch-status calls for 10 jobs`);
        for (const id of ids) assert.equal(h.emu.jobs.get(id)?.starts, 1);
    });

    it("the naive mode (DRS_COALESCE=off) makes one call per job and per poll", async () => {
        const ids = Array.from({ length: 10 }, (_, i) => jobId(400 + i));
        h = await startHarness({ jobs: ids.map((id) => ({ id, dbUseType: "migration" as const })) }, { DRS_COALESCE: "off" });
        const results = await createAll(h, ids);
        assert.ok(results.every((r) => r.status === "fulfilled"));
        assert.equal(count(h, "batch-starting"), 10);
        assert.ok(count(h, "batch-status") >= 30, `${count(h, "batch-status")} batch-status calls`);
    });

    it("a batch of 10 where 1 start fails: that job alone fails, with its own code", async () => {
        const ids = Array.from({ length: 10 }, (_, i) => jobId(500 + i));
        const failing = ids[3];
        h = await startHarness({ jobs: ids.map((id) => (id === failing ? { id, startFailure: { errorCode: "DRS.M05010", errorMessage: "Source database unreachable." } } : { id })) });
        const results = await createAll(h, ids);
        assert.equal(count(h, "batch-starting"), 1, "all ten in one batch");
        for (const [i, r] of results.entries()) {
            if (ids[i] !== failing) {
                assert.equal(r.status, "fulfilled", `job ${ids[i]}`);
                continue;
            }
            assert.equal(r.status, "rejected");
            const message = ((r as PromiseRejectedResult).reason as Error).message;
            assert.ok(message.includes(failing) && /DRS\.M05010/.test(message), message);
            for (const other of ids.filter((id) => id !== failing)) assert.ok(!message.includes(other), "names only its own job");
        }
    });

    it("a status tick DRS refuses (bare 400) for every job fails each waiting job with its own error, and none is started twice", async () => {
        const ids = Array.from({ length: 5 }, (_, i) => jobId(600 + i));
        h = await startHarness({ jobs: ids.map((id) => ({ id })), timings: { startingMs: 50, fullTransferMs: 400, fullCompleteMs: 50 } });
        h.afterStart(() => h.emu.faults.add({ operation: "batch-status", action: { kind: "respond", status: 400, body: { error_code: "DRS.M00400", error_msg: "Bad request" } }, times: 1_000 }), 100);
        const results = await createAll(h, ids);
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        assert.equal(failed.length, 5, "every job's own call was refused too");
        for (const [i, r] of failed.entries()) assert.match((r.reason as Error).message, new RegExp(`batch-status for job ${ids[i]} failed \\(HTTP 400 DRS\\.M00400\\): Bad request\\. X-Request-Id: [0-9a-f-]{36}\\.$`));
        const refused = h.emu.calls.filter((c) => c.operation === "batch-status" && c.status === 400).length;
        assert.ok(refused >= 5 && refused <= 2 * 5 - 1, `bisected down to each job, at most 2n - 1 calls: ${refused}`);
        assert.equal(count(h, "batch-starting"), 1);
    });

    it("a status tick DRS refuses once (bare 400) fails nobody: the halves asked again answer", async () => {
        const ids = Array.from({ length: 5 }, (_, i) => jobId(650 + i));
        h = await startHarness({ jobs: ids.map((id) => ({ id })), timings: { startingMs: 50, fullTransferMs: 400, fullCompleteMs: 50 } });
        h.afterStart(() => h.emu.faults.add({ operation: "batch-status", action: { kind: "respond", status: 400, body: { error_code: "DRS.M00400", error_msg: "Bad request" } } }), 100);
        const results = await createAll(h, ids);
        assert.ok(
            results.every((r) => r.status === "fulfilled"),
            JSON.stringify(results.filter((r) => r.status === "rejected")),
        );
        assert.equal(h.emu.calls.filter((c) => c.operation === "batch-status" && c.status === 400).length, 1);
    });
});
