import { strict as assert } from "node:assert";
import type { DrsClient } from "../../provider/drs/client";
import type { JobStatusResult } from "../../provider/drs/wire";
import { CoalescingJobsApi } from "../../provider/jobs/coalescingJobsApi";
import { DirectJobsApi } from "../../provider/jobs/directJobsApi";
import { heldBack, type JobsApi } from "../../provider/jobs/jobsApi";
import { ManualClock } from "../support/manualClock";

/** A DRS client that only answers batch-status, from `statusAt(now)`, and counts its calls. */
function statusClient(clock: ManualClock, statusAt: (now: number) => string) {
    const client = {
        calls: 0,
        statusAllAtOnce: true,
        async batchStatus(ids: readonly string[]): Promise<JobStatusResult[]> {
            client.calls++;
            return ids.map((id) => ({ id, status: statusAt(clock.now()) }));
        },
    };
    return client;
}

describe("status holds: a wait hears only what changes it", () => {
    it("heldBack: the same status before `until` is held back; a change, a missing job or the deadline is not", () => {
        const hold = { status: "FULL_TRANSFER_STARTED", until: 1000 };
        const result = (status: string) => ({ id: "j", status });
        assert.ok(heldBack(result("FULL_TRANSFER_STARTED"), hold, 999));
        assert.ok(!heldBack(result("FULL_TRANSFER_STARTED"), hold, 1000), "the deadline is answered");
        assert.ok(!heldBack(result("INCRE_TRANSFER_STARTED"), hold, 0));
        assert.ok(!heldBack(undefined, hold, 0), "a job DRS left out is answered");
        assert.ok(!heldBack(result("FULL_TRANSFER_STARTED"), undefined, 0), "no hold, every poll answered");
    });

    for (const mode of ["direct", "coalesced"] as const) {
        it(`${mode}: a held poller keeps polling at its pace and answers the first change`, async () => {
            const clock = new ManualClock();
            const client = statusClient(clock, (now) => (now < 3000 ? "FULL_TRANSFER_STARTED" : "INCRE_TRANSFER_STARTED"));
            const api: JobsApi = mode === "direct" ? new DirectJobsApi(client as unknown as DrsClient, clock) : new CoalescingJobsApi(client as unknown as DrsClient, clock);
            const poll = api.poller("j", 1000);
            const first = poll();
            while ((await clock.step()) && client.calls === 0);
            assert.equal((await first)?.status, "FULL_TRANSFER_STARTED", "the first poll is answered");
            const callsBefore = client.calls;
            let answer: JobStatusResult | undefined;
            void poll({ status: "FULL_TRANSFER_STARTED", until: 60_000 }).then((r) => (answer = r));
            while (answer === undefined && (await clock.step()));
            assert.equal(answer?.status, "INCRE_TRANSFER_STARTED");
            assert.ok(clock.now() >= 3000 && clock.now() < 4100, `answered at ${clock.now()} ms, the first poll after the change`);
            assert.ok(client.calls - callsBefore >= 3, `polled on while held (${client.calls - callsBefore} calls)`);
        });
    }
});
