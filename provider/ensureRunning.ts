import { DrsApiError } from "./drs/errors";
import { DB_USE_TYPES, JobInfo, JobProgress, JobStatusResult } from "./drs/wire";
import { JobsApi } from "./jobs/jobsApi";
import { ProgressReporter, ProgressSink } from "./progressReport";
import { CheckedInputs, JobState } from "./inputs";
import { DrsJobError } from "./jobError";
import { strip } from "./validate";
import { Clock } from "./wait/clock";
import { jobStatusFamily, STARTABLE_STATUS } from "./wait/jobStatusFamily";
import { JobObservation, StatusSource, waitForTarget, WaitOutcome } from "./wait/waitForTarget";

/** How many times a start whose response was lost is checked and re-sent. */
export const START_ATTEMPTS = 3;

/** Where the job is looked up: the given scenario, or all three. */
export function searchScope(inputs: Pick<CheckedInputs, "dbUseType">) {
    return inputs.dbUseType ? [inputs.dbUseType] : DB_USE_TYPES;
}

/**
 * Brings the job to one of its target statuses and reports its state.
 *
 * Looks at the job first: a job already in a target status is adopted
 * without a start call; a job in flight (or scheduled) is only waited on; a
 * job in CONFIGURATION is started (once: see {@link startOnce}) and waited
 * on. Failures, stops and timeouts throw {@link DrsJobError}; those that
 * leave an existing job carry `stateOnError` so the engine keeps the
 * resource (next `up` updates instead of starting again).
 */
export async function ensureRunning(
    api: JobsApi,
    inputs: CheckedInputs,
    clock: Clock,
    stateOnError: Readonly<Record<string, unknown>>,
    previous?: JobState,
    report: ProgressOptions = {},
): Promise<JobState> {
    const { jobId } = inputs;
    const job = await api.findJob(jobId, searchScope(inputs));
    if (!job) {
        throw new DrsJobError({
            jobId,
            summary: `not found in project ${inputs.projectId} (searched db_use_type ${searchScope(inputs).join(", ")} at ${inputs.endpoint})`,
            action: "Check jobId, projectId, region/endpoint and dbUseType.",
        });
    }
    const withState = (state: JobState) => ({ ...stateOnError, ...strip(state) });
    let startedAt = previous?.startedAt;
    const family = jobStatusFamily(job.status, inputs.targetStatuses);
    if (family === "failed" || family === "stopped") {
        throw outcomeError(inputs, { kind: "failed", family, observation: { status: job.status, errorMessage: job.errorMessage }, polls: 0 }, withState(stateOf(job, startedAt)));
    }
    if (family === "notStarted") {
        if (job.status !== STARTABLE_STATUS) {
            throw new DrsJobError({ jobId, summary: "is not fully configured yet", status: job.status, action: `Finish configuring the job in DRS (it must be ${STARTABLE_STATUS}), then run pulumi up again.` });
        }
        await startOnce(api, inputs, clock);
        startedAt = new Date(clock.now()).toISOString();
    }
    if (family !== "target") {
        const scheduledDelay = inputs.startTime ? Math.max(0, inputs.startTime - clock.now()) : 0;
        // The poller paces the polls (fast first, then the configured interval), so the loop does not sleep.
        const reporter = new ProgressReporter(jobId, clock, () => api.progress(jobId), report.sink, report.everyMs);
        const poll = statusSource(api.poller(jobId, inputs.pollIntervalSeconds * 1000));
        const observed = async () => {
            const observation = await poll();
            if (observation) await reporter.observe(observation);
            return observation;
        };
        const outcome = await waitForTarget(observed, clock, {
            targets: inputs.targetStatuses,
            timeoutMs: inputs.timeoutSeconds * 1000 + scheduledDelay,
            pollIntervalMs: 0,
        });
        if (outcome.kind !== "reached") {
            const last = outcome.kind === "failed" ? outcome.observation : outcome.last;
            throw outcomeError(inputs, outcome, outcome.kind === "gone" ? undefined : withState({ ...stateOf(job, startedAt), ...last }));
        }
        const state = await describe(api, { ...job, status: outcome.observation.status }, startedAt);
        reporter.reached(state.status, state);
        return state;
    }
    return describe(api, job, startedAt);
}

/** Where and how often a wait reports progress (defaults: stdout, every 30 s). */
export interface ProgressOptions {
    readonly sink?: ProgressSink;
    readonly everyMs?: number;
}

/**
 * Calls batch-starting for one job and checks its per-job result. If the
 * call's outcome is unknown (5xx, reset, timeout after sending), the request
 * may still be in flight: wait one request timeout, then the job's status
 * decides: moved on means started, still CONFIGURATION means send again. A
 * re-sent start that DRS refuses because the first one landed late counts as
 * started. So a lost response never leads to a second start of a started job.
 */
export async function startOnce(api: JobsApi, inputs: CheckedInputs, clock: Clock): Promise<void> {
    const { jobId } = inputs;
    const startedMeanwhile = async () => {
        const seen = await api.status(jobId);
        return seen !== undefined && seen.status !== "" && seen.status !== STARTABLE_STATUS && jobStatusFamily(seen.status, inputs.targetStatuses) !== "failed";
    };
    for (let attempt = 1; ; attempt++) {
        let result;
        try {
            result = await api.start({ jobId, startTime: inputs.startTime });
        } catch (error) {
            if (!(error instanceof DrsApiError) || !isAmbiguous(error) || attempt >= START_ATTEMPTS) throw error;
            await clock.sleep(api.requestTimeoutMs);
            if (await startedMeanwhile()) return;
            continue;
        }
        if (result.status === "failed") {
            if (attempt > 1 && (await startedMeanwhile())) return;
            throw new DrsJobError({
                jobId,
                summary: "DRS refused to start the job",
                errorCode: result.errorCode,
                errorMessage: result.errorMessage,
                action: "Fix the cause in DRS (the job must be fully configured), then run pulumi up again.",
            });
        }
        return;
    }
}

/**
 * A failure after which the request may or may not have been acted on: no
 * response, a 5xx, or a 2xx whose body could not be read.
 */
function isAmbiguous(error: DrsApiError): boolean {
    return error.httpStatus === 0 || error.httpStatus >= 500 || (error.httpStatus >= 200 && error.httpStatus < 300);
}

/** A poller's results as the wait loop sees them; undefined when DRS no longer reports the job. */
export function statusSource(poll: () => Promise<JobStatusResult | undefined>): StatusSource {
    return async () => {
        const result = await poll();
        if (!result || result.status === "") return undefined;
        return { status: result.status, errorCode: result.errorCode, errorMessage: result.errorMessage };
    };
}

/** The job's state from the list entry plus best-effort progress. */
export async function describe(api: JobsApi, job: JobInfo, startedAt?: string): Promise<JobState> {
    let progress: JobProgress | undefined;
    try {
        progress = await api.progress(job.id);
    } catch {
        // Progress is informational: the job's status was already read; a failing
        // progress call must not fail a job that runs.
        progress = undefined;
    }
    return strip({
        ...stateOf(job, startedAt),
        taskMode: progress?.taskMode ?? job.taskType,
        progress: progress?.progress,
        increTransDelaySeconds: progress?.increTransDelaySeconds,
        errorCode: progress?.errorCode,
        errorMessage: job.errorMessage ?? progress?.errorMessage,
    });
}

function stateOf(job: JobInfo, startedAt?: string): JobState {
    return { status: job.status, name: job.name, taskMode: job.taskType, errorMessage: job.errorMessage, startedAt };
}

function outcomeError(inputs: CheckedInputs, outcome: Exclude<WaitOutcome, { kind: "reached" }>, properties?: Record<string, unknown>): DrsJobError {
    const { jobId } = inputs;
    const targets = inputs.targetStatuses.join(" or ");
    const obs: JobObservation | undefined = outcome.kind === "failed" ? outcome.observation : outcome.last;
    const common = { jobId, status: obs?.status, errorCode: obs?.errorCode, errorMessage: obs?.errorMessage, properties };
    switch (outcome.kind) {
        case "failed":
            return outcome.family === "stopped"
                ? new DrsJobError({ ...common, summary: "was stopped in DRS and cannot reach " + targets, action: "Create a new DRS job and point jobId at it." })
                : new DrsJobError({ ...common, summary: `failed before reaching ${targets}`, action: "Fix the cause shown by DRS (console: job details, logs), then run pulumi up again." });
        case "timedOut":
            return new DrsJobError({
                ...common,
                summary: `did not reach ${targets} within ${inputs.timeoutSeconds} s; last status seen ${obs?.status ?? "none"}`,
                action: "The job keeps running in DRS: run pulumi up again to keep waiting, or raise timeoutSeconds.",
            });
        case "gone":
            return new DrsJobError({ ...common, properties: undefined, summary: "disappeared from DRS while waiting", action: "Check whether the job was deleted; point jobId at an existing job." });
    }
}
