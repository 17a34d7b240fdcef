import { strict as assert } from "node:assert";
import { NoLifecycleCalls } from "../support/noLifecycleCalls";
import type { StartRequest } from "../../provider/drs/client";
import { DrsApiError } from "../../provider/drs/errors";
import type { JobInfo, JobProgress, JobStatusResult, StartJobResult } from "../../provider/drs/wire";
import { startOnce } from "../../provider/ensureRunning";
import { REFUSED_ATTEMPTS as REFUSED_START_ATTEMPTS, REFUSED_BACKOFF_MS as REFUSED_START_BACKOFF_MS } from "../../provider/refusals";
import type { CheckedInputs } from "../../provider/inputs";
import type { JobsApi } from "../../provider/jobs/jobsApi";
import { jobId } from "../support/env";
import { FakeClock } from "../support/fakeClock";

const J = jobId(5);
const INPUTS: CheckedInputs = { jobId: J, projectId: "054ba152d480d55b2f5dc0069e7ddef0", endpoint: "http://127.0.0.1:9", targetStatuses: ["INCRE_TRANSFER_STARTED"], timeoutSeconds: 3600, pollIntervalSeconds: 10 };
const LOST = new DrsApiError({ operation: "batch-starting", httpStatus: 0, vendorMessage: "no response within 30000 ms", jobIds: [J] });

/**
 * A start whose response is lost: the first start lands after `landsAfterMs`
 * (Infinity: never); the job shows CONFIGURATION until then.
 */
class LostStart extends NoLifecycleCalls implements JobsApi {
    readonly requestTimeoutMs = 30_000;
    starts = 0;
    looks = 0;
    #landsAt = Infinity;
    constructor(
        private readonly clock: FakeClock,
        private readonly landsAfterMs: number,
    ) {
        super();
    }

    findJobsNamed(name: string): Promise<JobInfo[]> {
        return Promise.reject(new Error(`unexpected lookup of the name ${name}`));
    }

    async findJob(): Promise<JobInfo | undefined> {
        return undefined;
    }
    async start(job: StartRequest): Promise<StartJobResult> {
        this.starts++;
        if (this.starts === 1) {
            this.#landsAt = this.clock.now() + this.landsAfterMs;
            throw LOST;
        }
        return this.clock.now() >= this.#landsAt ? { id: job.jobId, status: "failed", errorCode: "DRS.M00304", errorMessage: "This API cannot be called in the current task status (STARTJOBING)." } : { id: job.jobId, status: "success" };
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

/** A job in CONFIGURATION whose starts DRS refuses with `codes` in turn (then accepts); `startedBy` another actor after `othersStartAt` refusals. */
class RefusedStart extends NoLifecycleCalls implements JobsApi {
    readonly requestTimeoutMs = 30_000;
    starts = 0;
    status_ = "CONFIGURATION";
    constructor(
        private readonly codes: (string | DrsApiError)[],
        private readonly othersStartAt = Infinity,
    ) {
        super();
    }

    findJobsNamed(name: string): Promise<JobInfo[]> {
        return Promise.reject(new Error(`unexpected lookup of the name ${name}`));
    }

    async findJob(): Promise<JobInfo | undefined> {
        return undefined;
    }
    async start(job: StartRequest): Promise<StartJobResult> {
        const n = this.starts++;
        if (n === this.othersStartAt) this.status_ = "STARTJOBING";
        const code = this.codes[n];
        if (code instanceof DrsApiError) throw code;
        if (code === undefined) {
            this.status_ = "STARTJOBING";
            return { id: job.jobId, status: "success" };
        }
        return { id: job.jobId, status: "failed", errorCode: code, errorMessage: `refused with ${code}.` };
    }
    async status(): Promise<JobStatusResult | undefined> {
        return { id: J, status: this.status_ };
    }
    poller(): () => Promise<JobStatusResult | undefined> {
        return () => this.status();
    }
    async progress(): Promise<JobProgress | undefined> {
        return undefined;
    }
}

describe("startOnce after DRS refuses the start (vendor codes)", () => {
    it("DRS.M01504 because someone else started the job first: adopted, not started again", async () => {
        const clock = new FakeClock();
        const api = new RefusedStart(["DRS.M01504"], 0);
        assert.equal(await startOnce(api, INPUTS, clock), "startedElsewhere");
        assert.equal(api.starts, 1);
        assert.deepEqual(clock.sleeps, []);
    });

    it("DRS.M00304 (wrong task status) with the job already running: adopted", async () => {
        const api = new RefusedStart(["DRS.M00304"], 0);
        assert.equal(await startOnce(api, INPUTS, new FakeClock()), "startedElsewhere");
    });

    it("DRS.M01504 with the job still in CONFIGURATION: sent again with backoff until DRS accepts", async () => {
        const clock = new FakeClock();
        const api = new RefusedStart(["DRS.M01504", "DRS.M01504"]);
        assert.equal(await startOnce(api, INPUTS, clock), "started");
        assert.equal(api.starts, 3);
        assert.deepEqual(clock.sleeps, [REFUSED_START_BACKOFF_MS, 2 * REFUSED_START_BACKOFF_MS]);
    });

    it("DRS.M01504 every time: bounded, then fails naming the code and saying nothing was started", async () => {
        const clock = new FakeClock();
        const api = new RefusedStart(Array(10).fill("DRS.M01504"));
        await assert.rejects(startOnce(api, INPUTS, clock), (e: Error) => {
            assert.match(e.message, new RegExp(`DRS job ${J}: DRS refused the start ${REFUSED_START_ATTEMPTS} times: another operation runs on the job \\(status CONFIGURATION\\)\\. DRS error DRS\\.M01504`));
            assert.match(e.message, /Nothing was started/);
            return true;
        });
        assert.equal(api.starts, REFUSED_START_ATTEMPTS);
    });

    it("DRS.M01503 (too frequent), in a 202 or as a 400: backs off twice as long and retries", async () => {
        const clock = new FakeClock();
        const throttled = new DrsApiError({ operation: "batch-starting", httpStatus: 400, code: "DRS.M01503", vendorMessage: "The operation is too frequent.", jobIds: [J] });
        const api = new RefusedStart(["DRS.M01503", throttled]);
        assert.equal(await startOnce(api, INPUTS, clock), "started");
        assert.deepEqual(clock.sleeps, [2 * REFUSED_START_BACKOFF_MS, 4 * REFUSED_START_BACKOFF_MS]);
    });

    it("other codes fail at once with advice that fits them", async () => {
        const cases: [string, RegExp][] = [
            ["DRS.M00304", /refused to start the job in its current status.*must be CONFIGURATION with START allowed/],
            ["DRS.M05003", /no longer knows the job.*point jobId at an existing job/],
            ["DRS.M05010", /DRS refused to start the job.*Fix the cause DRS names/],
        ];
        for (const [code, advice] of cases) {
            const api = new RefusedStart([code]);
            await assert.rejects(startOnce(api, INPUTS, new FakeClock()), (e: Error) => advice.test(e.message) && e.message.includes(code), code);
            assert.equal(api.starts, 1, code);
        }
    });
});
