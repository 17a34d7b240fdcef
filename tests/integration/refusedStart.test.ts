import { strict as assert } from "node:assert";
import { DrsJobError } from "../../provider";
import { clientFor } from "../../provider/settings";
import { jobId } from "../support/env";
import { type Harness, startHarness } from "../support/providerHarness";

describe("refused starts against the emulator: other actors and DRS's start codes", function () {
    this.timeout(30_000);
    let h: Harness;
    afterEach(async () => h?.emu.close());

    it("a job someone else starts just before this start (DRS.M01504 in the 202) is adopted: exit 0, no second start, a line says so", async () => {
        h = await startHarness({ jobs: [{ id: jobId(1) }] });
        h.emu.jobs.actAsOther(jobId(1), { kind: "startsFirst" });
        const created = await h.provider.create(await h.checked({ jobId: jobId(1) }));
        assert.equal(created.outs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(created.outs.startedAt, undefined, "this resource did not start the job");
        assert.equal(h.emu.jobs.get(jobId(1))?.starts, 0, "DRS accepted no start from this resource");
        assert.equal(h.emu.count("batch-starting"), 1, "the refused start was not sent again");
        assert.ok(
            h.progressLines.some((line) => line.includes(`drs job ${jobId(1)}: started elsewhere`)),
            h.progressLines.join("\n"),
        );
    });

    it("DRS busy with another operation (DRS.M01504) twice, the job still in CONFIGURATION: started on the third try", async () => {
        h = await startHarness({ jobs: [{ id: jobId(2) }] });
        h.emu.jobs.actAsOther(jobId(2), { kind: "busy", times: 2 });
        const created = await h.provider.create(await h.checked({ jobId: jobId(2) }));
        assert.equal(created.outs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(h.emu.count("batch-starting"), 3);
        assert.equal(h.emu.jobs.get(jobId(2))?.starts, 1);
    });

    it("DRS.M01503 (too frequent) once: backs off and starts", async () => {
        h = await startHarness({ jobs: [{ id: jobId(3) }] });
        h.emu.jobs.actAsOther(jobId(3), { kind: "throttles", times: 1 });
        const created = await h.provider.create(await h.checked({ jobId: jobId(3) }));
        assert.equal(created.outs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(h.emu.count("batch-starting"), 2);
    });

    it("busy for longer than the bound: fails naming the code; nothing was started", async () => {
        h = await startHarness({ jobs: [{ id: jobId(4) }] });
        h.emu.jobs.actAsOther(jobId(4), { kind: "busy", times: 100 });
        await assert.rejects(h.provider.create(await h.checked({ jobId: jobId(4) })), (e: unknown) => e instanceof DrsJobError && e.errorCode === "DRS.M01504" && /Nothing was started/.test(e.message));
        assert.equal(h.emu.jobs.get(jobId(4))?.starts, 0);
    });

    it("the emulator answers a start of a job not in CONFIGURATION with DRS.M00304 (wrong task status), as DRS does", async () => {
        h = await startHarness({ jobs: [{ id: jobId(5), status: "PAUSING" }] });
        const [result] = await clientFor({ projectId: h.emu.projectId, endpoint: h.emu.url }, h.env).batchStart([{ jobId: jobId(5) }]);
        assert.deepEqual({ status: result.status, errorCode: result.errorCode }, { status: "failed", errorCode: "DRS.M00304" });
    });
});
