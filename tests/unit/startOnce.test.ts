import { strict as assert } from "node:assert";
import { StartRequest } from "../../provider/drs/client";
import { DrsApiError } from "../../provider/drs/errors";
import { JobInfo, JobProgress, JobStatusResult, StartJobResult } from "../../provider/drs/wire";
import { startOnce } from "../../provider/ensureRunning";
import { CheckedInputs } from "../../provider/inputs";
import { JobsApi } from "../../provider/jobs/jobsApi";
import { jobId } from "../support/env";
import { FakeClock } from "../support/fakeClock";

const J = jobId(5);
const INPUTS: CheckedInputs = { jobId: J, projectId: "054ba152d480d55b2f5dc0069e7ddef0", endpoint: "http://127.0.0.1:9", targetStatuses: ["INCRE_TRANSFER_STARTED"], timeoutSeconds: 3600, pollIntervalSeconds: 10 };
const LOST = new DrsApiError({ operation: "batch-starting", httpStatus: 0, vendorMessage: "no response within 30000 ms", jobIds: [J] });

/**
 * A start whose response is lost: the first start lands after `landsAfterMs`
 * (Infinity: never); the job shows CONFIGURATION until then.
 */
class LostStart implements JobsApi {
    readonly requestTimeoutMs = 30_000;
    starts = 0;
    looks = 0;
    #landsAt = Infinity;
    constructor(private readonly clock: FakeClock, private readonly landsAfterMs: number) {}

    async findJob(): Promise<JobInfo | undefined> {
        return undefined;
    }
    async start(job: StartRequest): Promise<StartJobResult> {
        this.starts++;
        if (this.starts === 1) {
            this.#landsAt = this.clock.now() + this.landsAfterMs;
            throw LOST;
        }
        return this.clock.now() >= this.#landsAt ? { id: job.jobId, status: "failed", errorCode: "DRS.M05003", errorMessage: "The job cannot be started in status STARTJOBING." } : { id: job.jobId, status: "success" };
    }
    async status(): Promise<JobStatusResult | undefined> {
        this.looks++;
        return { id: J, status: this.clock.now() >= this.#landsAt ? "STARTJOBING" : "CONFIGURATION" };
    }
    poller(): () => Promise<JobStatusResult | undefined> {
        return () => this.status();
    }
    async progress(): Promise<JobProgress | undefined> {
        return undefined;
    }
}

describe("startOnce after a lost response", () => {
    it("looks at the job at once: a start that already landed costs no wait and no second start", async () => {
        const clock = new FakeClock();
        const api = new LostStart(clock, 0);
        await startOnce(api, INPUTS, clock);
        assert.equal(api.starts, 1);
        assert.equal(api.looks, 1);
        assert.deepEqual(clock.sleeps, [], "no request timeout waited out");
    });

    it("keeps looking while the job shows CONFIGURATION and stops as soon as the late start lands", async () => {
        const clock = new FakeClock();
        const api = new LostStart(clock, 3_000);
        const before = clock.now();
        await startOnce(api, INPUTS, clock);
        assert.equal(api.starts, 1, "never a second start");
        assert.ok(clock.now() - before < 10_000, `waited ${clock.now() - before} ms, not a full request timeout`);
    });

    it("sends the start again only after a whole request timeout with the job still in CONFIGURATION", async () => {
        const clock = new FakeClock();
        const api = new LostStart(clock, Infinity);
        const before = clock.now();
        await startOnce(api, INPUTS, clock);
        assert.equal(api.starts, 2);
        assert.equal(clock.now() - before, api.requestTimeoutMs, "the window is exactly one request timeout");
    });
});
