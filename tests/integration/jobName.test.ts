import { strict as assert } from "node:assert";
import type { DrsJobStartInputs, DrsJobStartOutputs } from "../../provider";
import { JobNameError } from "../../provider/jobName";
import { useCleanups } from "../support/cleanups";
import { jobId } from "../support/env";
import { startHarness } from "../support/providerHarness";

const FAST_TIMINGS = { startingMs: 20, fullTransferMs: 50, fullCompleteMs: 20 };

/** The error `work` rejects with (fails when it resolves). */
async function failure(work: Promise<unknown>): Promise<Error> {
    return work.then(
        () => assert.fail("expected a failure"),
        (error: unknown) => error as Error,
    );
}

describe("provider core: jobs by name (jobName) against the emulator", function () {
    this.timeout(30_000);
    const cleanups = useCleanups(afterEach);

    async function harness(jobs: { id: string; name: string; dbUseType?: "migration" | "sync" | "cloudDataGuard"; status?: string }[]) {
        const h = await startHarness({ jobs, timings: FAST_TIMINGS });
        cleanups.push(() => h.emu.close());
        return h;
    }

    it("a create by name finds the one job of exactly that name (not those whose names only contain it), starts it once, and keeps its id", async () => {
        const h = await harness([
            { id: jobId(1), name: "orders" },
            { id: jobId(2), name: "orders-archive" },
            { id: jobId(3), name: "audit" },
        ]);
        const inputs = await h.checked({ jobName: "orders", dbUseType: "migration" });
        assert.equal(inputs.jobId, undefined);
        const created = await h.provider.create(inputs);
        assert.equal(created.id, jobId(1));
        assert.equal(created.outs.jobId, jobId(1));
        assert.equal(created.outs.jobName, "orders");
        assert.equal(created.outs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(h.emu.count("batch-starting"), 1);
        assert.equal(h.emu.jobs.get(jobId(2))?.status, "CONFIGURATION");
        // One filtered listing found the name and answered the lookup of its id too.
        assert.equal(h.emu.count("list-jobs"), 1);
    });

    it("30 names among 250 jobs are resolved by one listing of the scenario (3 pages), then started in one call", async () => {
        const jobs = Array.from({ length: 250 }, (_, i) => ({ id: jobId(i + 1), name: `tenant-${String(i).padStart(3, "0")}` }));
        const h = await harness(jobs);
        const wanted = jobs.filter((_, i) => i % 8 === 0).slice(0, 30);
        const inputs = await Promise.all(wanted.map((job) => h.checked({ jobName: job.name, dbUseType: "migration" })));
        const created = await Promise.all(inputs.map((i) => h.provider.create(i)));
        assert.deepEqual(
            created.map((c) => c.id),
            wanted.map((j) => j.id),
        );
        const lists = h.emu.count("list-jobs");
        console.log(`      30 names among 250 jobs: ${lists} list-jobs, ${h.emu.count("batch-starting")} batch-starting, ${h.emu.count("batch-status")} batch-status, ${h.emu.count("batch-progress")} batch-progress`);
        assert.equal(lists, 3);
        assert.equal(h.emu.count("batch-starting"), 1);
    });

    it("a tenant listing DRS refuses (400) falls back to one filtered lookup per name; each name is still found", async () => {
        const h = await harness([
            { id: jobId(1), name: "orders" },
            { id: jobId(2), name: "audit" },
        ]);
        h.emu.faults.add({ operation: "list-jobs", action: { kind: "respond", status: 400, body: { error_code: "DRS.M00002", error_msg: "Invalid parameter" } } });
        const inputs = await Promise.all(["orders", "audit"].map((jobName) => h.checked({ jobName, dbUseType: "migration" })));
        const created = await Promise.all(inputs.map((i) => h.provider.create(i)));
        assert.deepEqual(
            created.map((c) => c.id),
            [jobId(1), jobId(2)],
        );
        assert.deepEqual(
            h.emu.calls.filter((c) => c.operation === "list-jobs").map((c) => [c.status, (c.body as { name?: string }).name ?? ""]),
            [
                [400, ""],
                [200, "orders"],
                [200, "audit"],
            ],
        );
    });

    it("no job of that name, or several: fails naming the name, the scenarios searched and each candidate; nothing is started", async () => {
        const h = await harness([
            { id: jobId(1), name: "orders", dbUseType: "cloudDataGuard", status: "INCRE_TRANSFER_STARTED" },
            { id: jobId(2), name: "orders", dbUseType: "sync" },
        ]);
        const none = await failure(h.provider.create(await h.checked({ jobName: "billing" })));
        assert.ok(none instanceof JobNameError);
        assert.match(none.message, /No DRS job is named "billing" in project [0-9a-f]{32} \(searched db_use_type migration, sync, cloudDataGuard at http:\/\/127\.0\.0\.1:\d+\)\. .*Nothing was started/);
        const several = await failure(h.provider.create(await h.checked({ jobName: "orders" })));
        console.log(`      the ambiguous name as a user reads it: ${several.message}`);
        assert.match(several.message, new RegExp(`2 DRS jobs are named "orders" .*: ${jobId(2)} \\(CONFIGURATION, sync\\), ${jobId(1)} \\(INCRE_TRANSFER_STARTED, cloudDataGuard\\)\\. Nothing was started\\.`));
        assert.match(several.message, /set jobId to the one you mean/);
        // With the scenario given, the name is unique there.
        const scoped = await h.provider.create(await h.checked({ jobName: "orders", dbUseType: "cloudDataGuard" }));
        assert.equal(scoped.id, jobId(1));
        assert.equal(h.emu.count("batch-starting"), 0);
    });

    it("a job renamed in DRS is drift on refresh; the update fails naming it, and another job taking the name is never adopted", async () => {
        const h = await harness([{ id: jobId(1), name: "orders" }]);
        const inputs = await h.checked({ jobName: "orders" });
        const created = await h.provider.create(inputs);
        assert.deepEqual(await h.provider.diff(created.id, created.outs, inputs), { changes: false, replaces: [], detailedDiff: {} });

        h.emu.jobs.get(jobId(1))!.name = "orders-old";
        h.emu.jobs.seed({ id: jobId(2), name: "orders" });
        const read = await h.provider.read(created.id, created.outs);
        assert.equal(read.id, jobId(1));
        assert.equal(read.props?.name, "orders-old");
        assert.equal(read.inputs?.jobName, "orders");
        assert.equal(read.inputs?.jobId, undefined, "the program's view: the job by name");
        const diff = await h.provider.diff(created.id, read.props as DrsJobStartOutputs, inputs);
        assert.deepEqual(diff, { changes: true, replaces: [], detailedDiff: { jobName: "update" } });
        const renamed = await failure(h.provider.update(created.id, read.props as DrsJobStartOutputs, inputs));
        assert.match(renamed.message, new RegExp(`DRS job ${jobId(1)}: is named "orders-old" in DRS now, not "orders" \\(jobName\\).*another job taking the name is never adopted`));
        assert.equal(h.emu.jobs.get(jobId(2))?.status, "CONFIGURATION");
        assert.equal(h.emu.count("batch-starting"), 1);

        // Taking the new name in the program keeps the job: an update in place, no replacement.
        const renamedInputs = await h.checked({ jobName: "orders-old" });
        assert.deepEqual(await h.provider.diff(created.id, read.props as DrsJobStartOutputs, renamedInputs), { changes: true, replaces: [], detailedDiff: { jobName: "update" } });
        const updated = await h.provider.update(created.id, read.props as DrsJobStartOutputs, renamedInputs);
        assert.deepEqual([updated.outs.jobId, updated.outs.jobName, updated.outs.name], [jobId(1), "orders-old", "orders-old"]);
        // A name the job does not have is another job: a replacement.
        assert.deepEqual((await h.provider.diff(created.id, updated.outs, inputs)).replaces, ["jobName"]);
        assert.equal(h.emu.count("batch-starting"), 1);
    });

    it("moving a resource from jobId to the job's name, and back, keeps the job: updates in place, no start", async () => {
        const h = await harness([{ id: jobId(1), name: "orders" }]);
        const byId = await h.checked({ jobId: jobId(1) });
        const created = await h.provider.create(byId);
        const byName = await h.checked({ jobName: "orders" });
        assert.deepEqual(await h.provider.diff(created.id, created.outs, byName), { changes: true, replaces: [], detailedDiff: { jobName: "add" } });
        const named = await h.provider.update(created.id, created.outs, byName);
        assert.equal(named.outs.jobId, jobId(1));
        assert.deepEqual(await h.provider.diff(created.id, named.outs, byId), { changes: true, replaces: [], detailedDiff: { jobName: "delete" } });
        assert.equal(h.emu.count("batch-starting"), 1);
    });

    it("an import by job name (read with no state) resolves the id and returns the name as the input", async () => {
        const h = await harness([{ id: jobId(1), name: "orders", status: "INCRE_TRANSFER_STARTED" }]);
        const read = await h.provider.read("orders");
        assert.equal(read.id, jobId(1));
        assert.equal(read.props?.jobId, jobId(1));
        assert.equal(read.inputs?.jobName, "orders");
        assert.equal(read.inputs?.jobId, undefined);
        const check = await h.provider.check({} as DrsJobStartInputs, read.inputs as DrsJobStartInputs);
        assert.deepEqual(check.failures ?? [], []);
    });
});
