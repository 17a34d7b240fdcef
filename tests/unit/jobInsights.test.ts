import { strict as assert } from "node:assert";
import { NoLifecycleCalls } from "../support/noLifecycleCalls";
import type { StartRequest } from "../../provider/drs/client";
import { type JobInfo, type JobProgress, type JobStatusResult, readJobInfo, readPhases, readProgress, type StartJobResult } from "../../provider/drs/wire";
import { ensureRunning } from "../../provider/ensureRunning";
import { DrsJobError } from "../../provider/jobError";
import type { JobsApi } from "../../provider/jobs/jobsApi";
import { progressLine } from "../../provider/progressReport";
import { judgeDrift, observedJobStatus, startOverdue } from "../../provider/drift";
import { checkInputs } from "../../provider/validate";
import { jobStatusFamily } from "../../provider/wait/jobStatusFamily";
import { jobId } from "../support/env";
import { FakeClock } from "../support/fakeClock";

const J = jobId(9);
const ENV = { OS_PROJECT_ID: "054ba152d480d55b2f5dc0069e7ddef0", DRS_ENDPOINT: "http://127.0.0.1:9" };
const checked = (news: Record<string, unknown>) => checkInputs(undefined, { jobId: J, ...news }, ENV, Date.now());

describe("waitFor: milestones in words", () => {
    it("maps each milestone to its target status; replicating is the default", () => {
        const targets = (waitFor?: string) => {
            const outcome = checked(waitFor ? { waitFor, ...(waitFor === "scheduled" ? { startTime: Date.now() + 3_600_000 } : {}) } : {});
            assert.ok(outcome.ok);
            return outcome.inputs.targetStatuses;
        };
        assert.deepEqual(targets("scheduled"), ["WAITING_FOR_START"]);
        assert.deepEqual(targets("transferStarted"), ["FULL_TRANSFER_STARTED"]);
        assert.deepEqual(targets("fullTransferComplete"), ["FULL_TRANSFER_COMPLETE"]);
        assert.deepEqual(targets("replicating"), ["INCRE_TRANSFER_STARTED"]);
        assert.deepEqual(targets(), ["INCRE_TRANSFER_STARTED"]);
    });

    it("is satisfied by later statuses of the progression, not by failures", () => {
        for (const status of ["FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED"]) assert.equal(jobStatusFamily(status, ["FULL_TRANSFER_STARTED"]), "target", status);
        assert.equal(jobStatusFamily("STARTJOBING", ["FULL_TRANSFER_STARTED"]), "inFlight");
        assert.equal(jobStatusFamily("FULL_TRANSFER_FAILED", ["FULL_TRANSFER_STARTED"]), "failed");
        for (const status of ["WAITING_FOR_START", "STARTJOBING", "FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED", "CHILD_TRANSFER_STARTED"]) assert.equal(jobStatusFamily(status, ["WAITING_FOR_START"]), "target", status);
        for (const [status, family] of [
            ["CONFIGURATION", "notStarted"],
            ["START_JOB_FAILED", "failed"],
            ["PAUSING", "paused"],
            ["RELEASE_RESOURCE_COMPLETE", "stopped"],
        ])
            assert.equal(jobStatusFamily(status, ["WAITING_FOR_START"]), family, status);
        assert.equal(jobStatusFamily("WAITING_FOR_START", ["FULL_TRANSFER_STARTED"]), "scheduled", "scheduled only satisfies itself");
    });

    it("scheduled needs a startTime, and a start time passed by more than the grace is a missed start", () => {
        const missing = checked({ waitFor: "scheduled" });
        assert.ok(!missing.ok && /set startTime too/.test(missing.failures[0].reason));
        const at = Date.parse("2026-12-05T01:00:00Z");
        assert.equal(startOverdue("WAITING_FOR_START", at, at + 900_000, 900_000), false, "at the end of the grace");
        assert.equal(startOverdue("WAITING_FOR_START", at, at + 900_001, 900_000), true);
        assert.equal(startOverdue("INCRE_TRANSFER_STARTED", at, at + 9_000_000, 900_000), false, "started");
        assert.equal(startOverdue("WAITING_FOR_START", undefined, at, 0), false, "no start time");
        const seen = (status: string, now = at) => observedJobStatus(judgeDrift({ status, startTime: at }, ["WAITING_FOR_START"], now, { startGraceMs: 900_000, recoveryGraceMs: 0 }), ["WAITING_FOR_START"]);
        assert.equal(seen("WAITING_FOR_START"), "WAITING_FOR_START or started");
        assert.equal(seen("INCRE_TRANSFER_STARTED", at + 9_000_000), "WAITING_FOR_START or started");
        assert.equal(seen("WAITING_FOR_START", at + 900_001), "WAITING_FOR_START after its startTime 2026-12-05T01:00:00.000Z");
        assert.equal(seen("START_JOB_FAILED"), "START_JOB_FAILED");
    });

    it("rejects an unknown milestone and waitFor together with targetStatuses", () => {
        const bad = checked({ waitFor: "done" });
        assert.ok(!bad.ok && /waitFor must be one of scheduled, transferStarted, fullTransferComplete, replicating/.test(bad.failures[0].reason));
        const both = checked({ waitFor: "replicating", targetStatuses: ["FULL_TRANSFER_COMPLETE"] });
        assert.ok(!both.ok && /Set waitFor or targetStatuses, not both/.test(both.failures[0].reason));
        const again = checked({ waitFor: "replicating", targetStatuses: ["INCRE_TRANSFER_STARTED"] });
        assert.ok(again.ok, "checked inputs (waitFor plus its derived targets) pass a second check");
    });
});

describe("isAutoCreateCompare", () => {
    it("stays absent unless set (DRS's default applies), and must be a boolean", () => {
        const absent = checked({});
        assert.ok(absent.ok && !("isAutoCreateCompare" in absent.inputs));
        const off = checked({ isAutoCreateCompare: false });
        assert.ok(off.ok && off.inputs.isAutoCreateCompare === false);
        const bad = checked({ isAutoCreateCompare: "no" });
        assert.ok(!bad.ok && /isAutoCreateCompare must be true or false/.test(bad.failures[0].reason));
    });
});

describe("batch-progress and job list extras", () => {
    it("reads progress_map as the documented object and as an array", () => {
        const object = { struct: { completed: "94%", remaining_time: null }, data: { completed: "100%" }, index: { completed: "0%" }, other: { completed: "5%" } };
        assert.deepEqual(readPhases(object), { structure: 94, data: 100, index: 0 });
        assert.deepEqual(
            readPhases([
                { type: "data", completed: "40%" },
                { name: "struct", completed: "100" },
            ]),
            { structure: 100, data: 40 },
        );
        assert.equal(readPhases(undefined), undefined);
        assert.equal(readPhases({ data: { completed: "n/a" } }), undefined);
    });

    it("reads remaining time verbatim and the delay in milliseconds (-1 = n/a)", () => {
        const p = readProgress({ job_id: "j", remaining_time: "10", incre_trans_delay_millis: "2500" });
        assert.equal(p.remainingTime, "10");
        assert.equal(p.increTransDelayMillis, 2500);
        assert.equal(readProgress({ job_id: "j", incre_trans_delay_millis: "-1" }).increTransDelayMillis, undefined);
    });

    it("reads job_action from the tenant list entry", () => {
        const job = readJobInfo({ id: "j", status: "CONFIGURATION", job_action: { available_actions: ["START", "DELETE"], current_action: "" } });
        assert.deepEqual(job.availableActions, ["START", "DELETE"]);
        assert.equal(job.currentAction, undefined);
        assert.equal(readJobInfo({ id: "j" }).availableActions, undefined, "absent when DRS does not report it");
    });

    it("progress lines show the remaining time", () => {
        assert.equal(progressLine(J, "FULL_TRANSFER_STARTED", { jobId: J, progress: 42, remainingTime: "120" }, 5000), `drs job ${J}: FULL_TRANSFER_STARTED, full transfer 42 %, remaining 120 (waiting 5s)`);
    });
});

/** A job in CONFIGURATION with the given available actions; records start requests. */
class Configured extends NoLifecycleCalls implements JobsApi {
    readonly requestTimeoutMs = 1000;
    readonly starts: StartRequest[] = [];
    constructor(private readonly actions?: string[]) {
        super();
    }
    findJobsNamed(name: string): Promise<JobInfo[]> {
        return Promise.reject(new Error(`unexpected lookup of the name ${name}`));
    }

    async findJob(): Promise<JobInfo | undefined> {
        return { id: J, name: "orders", status: this.starts.length > 0 ? "STARTJOBING" : "CONFIGURATION", availableActions: this.actions, currentAction: this.actions ? "CHANGE" : undefined };
    }
    async start(job: StartRequest): Promise<StartJobResult> {
        this.starts.push(job);
        return { id: J, status: "success" };
    }
    async status(): Promise<JobStatusResult | undefined> {
        return { id: J, status: "INCRE_TRANSFER_STARTED" };
    }
    poller(): () => Promise<JobStatusResult | undefined> {
        return () => this.status();
    }
    async progress(): Promise<JobProgress | undefined> {
        return { jobId: J, progress: 100, phases: { structure: 100, data: 100, index: 100 }, remainingTime: "0", increTransDelayMillis: 800 };
    }
}

describe("startability from DRS's available actions", () => {
    const inputs = (news: Record<string, unknown> = {}) => {
        const outcome = checked(news);
        assert.ok(outcome.ok);
        return { ...outcome.inputs, jobId: J };
    };

    it("starts when DRS offers START (or says nothing), sending the comparison choice", async () => {
        for (const actions of [["START", "DELETE"], undefined]) {
            const api = new Configured(actions);
            const state = await ensureRunning(api, inputs({ isAutoCreateCompare: false }), new FakeClock(), {});
            assert.deepEqual(api.starts, [{ jobId: J, startTime: undefined, autoCreateCompare: false }]);
            assert.deepEqual(state.phaseProgress, { structure: 100, data: 100, index: 100 });
            assert.equal(state.increTransDelayMillis, 800);
        }
    });

    it("refuses to start when DRS does not offer START, saying what DRS allows instead", async () => {
        const api = new Configured(["EDIT", "DELETE"]);
        const error = await ensureRunning(api, inputs(), new FakeClock(), {}).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(error instanceof DrsJobError);
        assert.match(error.message, new RegExp(`DRS job ${J}: cannot be started now: DRS does not offer START for it \\(status CONFIGURATION\\)`));
        assert.match(error.message, /current action CHANGE/);
        assert.match(error.message, /DRS allows: EDIT, DELETE\./);
        assert.equal(api.starts.length, 0);
    });
});

describe("DrsJobError message", () => {
    it("ends DRS's own message with one period, not two", () => {
        const error = new DrsJobError({ jobId: "j", summary: "has failed", errorCode: "DRS.M03001", errorMessage: "Cannot connect to the source database.", action: "Fix it." });
        assert.match(error.message, /DRS error DRS\.M03001: Cannot connect to the source database\. Fix it\./);
        assert.doesNotMatch(error.message, /\.\./);
    });
});
