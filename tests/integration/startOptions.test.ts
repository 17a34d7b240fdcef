import { strict as assert } from "node:assert";
import { jobId } from "../support/env";
import { type Harness, startHarness } from "../support/providerHarness";

describe("start options and job insights against the emulator (real HTTP)", function () {
    this.timeout(20_000);
    let h: Harness;
    afterEach(() => h?.emu.close());

    it("one coalesced batch-starting carries each job's own comparison choice", async () => {
        const ids = [jobId(700), jobId(701), jobId(702)];
        h = await startHarness({ jobs: ids.map((id) => ({ id })) });
        const choices = [true, false, undefined];
        const inputs = await Promise.all(ids.map((id, i) => h.checked({ jobId: id, ...(choices[i] === undefined ? {} : { isAutoCreateCompare: choices[i] }) })));
        await Promise.all(inputs.map((i) => h.provider.create(i)));
        assert.equal(h.emu.count("batch-starting"), 1, "different choices share one call");
        const sent = (h.emu.calls.find((c) => c.operation === "batch-starting")?.body as { jobs: Record<string, unknown>[] } | undefined)?.jobs ?? [];
        assert.deepEqual(
            ids.map((id) => sent.find((j) => j.job_id === id)?.is_auto_create_compare),
            [true, false, undefined],
            "absent stays absent: DRS's default applies",
        );
        assert.deepEqual(
            ids.map((id) => h.emu.jobs.get(id)?.autoCreateCompare),
            [true, false, true],
        );
    });

    it("waitFor transferStarted returns once the full transfer runs, with phase progress and remaining time", async () => {
        h = await startHarness({ jobs: [{ id: jobId(703) }], timings: { startingMs: 50, fullTransferMs: 60_000, fullCompleteMs: 50 } });
        const result = await h.provider.create(await h.checked({ jobId: jobId(703), waitFor: "transferStarted" }));
        const outs = result.outs!;
        assert.equal(outs.status, "FULL_TRANSFER_STARTED");
        assert.deepEqual(outs.targetStatuses, ["FULL_TRANSFER_STARTED"]);
        assert.equal(outs.waitFor, "transferStarted");
        assert.ok(outs.phaseProgress && typeof outs.phaseProgress.data === "number", JSON.stringify(outs));
        assert.ok(Number(outs.remainingTime) > 50, `remaining ${outs.remainingTime}`);
        assert.equal(outs.availableActions, undefined, "the list entry's actions predate the start: left to the next refresh");
        assert.equal(h.emu.jobs.get(jobId(703))?.status, "FULL_TRANSFER_STARTED", "the job keeps transferring in DRS");
        // Once it replicates, a refresh still counts it as done (no drift), with the delay in ms.
        h.emu.jobs.setStatus(jobId(703), "INCRE_TRANSFER_STARTED");
        const read = await h.provider.read(jobId(703), outs);
        assert.equal(read.props?.status, "INCRE_TRANSFER_STARTED");
        assert.equal(read.props?.increTransDelayMillis, 0);
        assert.deepEqual(read.props?.availableActions, ["PAUSE", "STOP"]);
        assert.equal((await h.provider.diff(jobId(703), read.props!, await h.checked({ jobId: jobId(703), waitFor: "transferStarted" }))).changes, false);
    });

    it("refuses to start a job whose list entry does not offer START, naming what DRS allows", async () => {
        h = await startHarness({ jobs: [{ id: jobId(704), availableActions: ["EDIT", "DELETE"] }] });
        const error = await h.provider.create(await h.checked({ jobId: jobId(704) })).then(
            () => undefined,
            (e: Error) => e,
        );
        assert.match(String(error?.message), /DRS does not offer START for it .*DRS allows: EDIT, DELETE\./);
        assert.equal(h.emu.count("batch-starting"), 0);
    });
});
