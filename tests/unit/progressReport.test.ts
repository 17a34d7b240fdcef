import { strict as assert } from "node:assert";
import { progressLine, ProgressReporter } from "../../provider/progressReport";
import { ManualClock } from "../support/manualClock";

const J = "140b5236-88ad-43c8-811c-1268453jb101";

describe("progress reporting during long waits", () => {
    it("formats phase, progress, delay and time waited", () => {
        assert.equal(progressLine(J, "FULL_TRANSFER_STARTED", { jobId: J, progress: 42 }, 130_000), `drs job ${J}: FULL_TRANSFER_STARTED, full transfer 42 % (waiting 2m10s)`);
        assert.equal(progressLine(J, "INCRE_TRANSFER_STARTED", { jobId: J, progress: 100, increTransDelaySeconds: 3 }, 5_000), `drs job ${J}: INCRE_TRANSFER_STARTED, full transfer 100 %, incremental delay 3 s (waiting 5s)`);
        assert.equal(progressLine(J, "STARTJOBING", undefined, 0), `drs job ${J}: STARTJOBING (waiting 0s)`);
    });

    it("reports every phase change at once and a long phase every interval, fetching progress only for those", async () => {
        const clock = new ManualClock(0);
        const lines: string[] = [];
        let fetches = 0;
        const reporter = new ProgressReporter(
            J,
            clock,
            async () => {
                fetches++;
                return { jobId: J, progress: 10 * fetches };
            },
            (l) => lines.push(l),
            30_000,
        );
        await reporter.observe({ status: "STARTJOBING" });
        clock.t = 1_000;
        await reporter.observe({ status: "FULL_TRANSFER_STARTED" });
        clock.t = 20_000;
        await reporter.observe({ status: "FULL_TRANSFER_STARTED" });
        clock.t = 31_000;
        await reporter.observe({ status: "FULL_TRANSFER_STARTED" });
        reporter.reached("INCRE_TRANSFER_STARTED", { progress: 100, increTransDelaySeconds: 2 });
        assert.deepEqual(lines, [
            `drs job ${J}: STARTJOBING (waiting 0s)`,
            `drs job ${J}: FULL_TRANSFER_STARTED (waiting 1s)`,
            `drs job ${J}: FULL_TRANSFER_STARTED, full transfer 10 % (waiting 31s)`,
            `drs job ${J}: INCRE_TRANSFER_STARTED reached, full transfer 100 %, incremental delay 2 s (waiting 31s)`,
        ]);
        assert.equal(fetches, 1, "progress is read only for the periodic line");
    });

    it("a failing progress call does not fail the wait", async () => {
        const lines: string[] = [];
        const clock = new ManualClock();
        const reporter = new ProgressReporter(
            J,
            clock,
            () => Promise.reject(new Error("503")),
            (l) => lines.push(l),
            1_000,
        );
        await reporter.observe({ status: "FULL_TRANSFER_STARTED" });
        clock.t = 1_000;
        await reporter.observe({ status: "FULL_TRANSFER_STARTED" });
        assert.deepEqual(lines, [`drs job ${J}: FULL_TRANSFER_STARTED (waiting 0s)`, `drs job ${J}: FULL_TRANSFER_STARTED (waiting 1s)`]);
    });
});
