import { DrsApiError } from "./drs/errors";
import { DB_USE_TYPES, JobInfo, JobProgress, JobStatusResult } from "./drs/wire";
import { adaptiveInterval, JobsApi } from "./jobs/jobsApi";
import { consoleSink, ProgressReporter, ProgressSink } from "./progressReport";
import { CheckedInputs, JobState } from "./inputs";
import { DEFAULT_START_GRACE_SECONDS, startOverdue } from "./drift";
import { DrsJobError } from "./jobError";
import { OperationDeadline, WaitBound, waitBound } from "./operationDeadline";
import { strip } from "./validate";
import { Clock } from "./wait/clock";
import { isDeadEnd, jobStatusFamily, satisfiesTargets, SCHEDULED_STATUS, STARTABLE_STATUS } from "./wait/jobStatusFamily";
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
 * without a start call; a job in flight, scheduled, recovering or in a
 * status nobody knows is only waited on; a job in CONFIGURATION is started
 * (once: see {@link startOnce}) and waited on. A failed, paused or stopped
 * job fails at once; a deleted or unlisted one is "not found". Create and
 * the update after drift both come here. Failures, stops and timeouts throw
 * {@link DrsJobError}; those that leave an existing job carry
 * `stateOnError` plus the observed status, so the engine keeps the resource
 * with what DRS said (next `up` updates instead of starting again). An
 * aborted `options.signal` (the engine's Cancel) ends the wait the same way.
 */
export async function ensureRunning(
    api: JobsApi,
    inputs: CheckedInputs,
    clock: Clock,
    stateOnError: Readonly<Record<string, unknown>>,
    previous?: JobState,
    options: RunOptions = {},
): Promise<JobState> {
    const { signal } = options;
    const say = options.sink ?? consoleSink;
    const { jobId } = inputs;
    const job = await api.findJob(jobId, searchScope(inputs));
    const family = job ? jobStatusFamily(job.status, inputs.targetStatuses) : "gone";
    if (!job || family === "gone") throw notFound(inputs, job?.status);
    const withState = (state: JobState) => ({ ...stateOnError, ...strip(state) });
    let startedAt = previous?.startedAt;
    if (isDeadEnd(family)) {
        // The list entry has DRS's message but not its code: batch-status has both.
        const seen = await api.status(jobId).catch(() => undefined);
        const observation = { status: job.status, errorCode: seen?.errorCode, errorMessage: job.errorMessage ?? seen?.errorMessage };
        throw outcomeError(inputs, { kind: "failed", family, observation, polls: 0 }, withState({ ...stateOf(job, startedAt), ...strip(observation) }), job.availableActions);
    }
    if (family === "notStarted") {
        if (job.status !== STARTABLE_STATUS) {
            throw new DrsJobError({ jobId, summary: "is not fully configured yet", status: job.status, action: `Finish configuring the job in DRS (it must be ${STARTABLE_STATUS}), then run pulumi up again.${allowed(job.availableActions)}` });
        }
        if (job.availableActions && !job.availableActions.includes(START_ACTION)) {
            throw new DrsJobError({ jobId, summary: `cannot be started now: DRS does not offer ${START_ACTION} for it`, status: job.status, action: `Finish what DRS is doing with the job${job.currentAction ? ` (current action ${job.currentAction})` : ""}, then run pulumi up again.${allowed(job.availableActions)}` });
        }
        if (signal?.aborted) throw cancelledBeforeStart(jobId);
        if ((await startOnce(api, inputs, clock)) === "started") startedAt = new Date(clock.now()).toISOString();
        else say(`drs job ${jobId}: started elsewhere (another stack, pipeline or the DRS console) before this start: adopted, not started again`);
    }
    if (family !== "target") {
        // A wait past WAITING_FOR_START waits through the schedule; one that ends there does not.
        const scheduledDelay = inputs.startTime && !satisfiesTargets(SCHEDULED_STATUS, inputs.targetStatuses) ? Math.max(0, inputs.startTime - clock.now()) : 0;
        // The poller paces the polls (fast first, then the configured interval), so the loop does not sleep.
        const reporter = new ProgressReporter(jobId, clock, () => api.progress(jobId), options.sink, options.everyMs);
        const poll = api.poller(jobId, inputs.pollIntervalSeconds * 1000, signal);
        const targets = inputs.targetStatuses.join(" or ");
        // Held back until the status changes, the deadline, or the reporter's next periodic line.
        const observed: StatusSource = async (hold) => {
            const observation = observationOf(await poll(hold && { status: hold.status, until: Math.min(hold.until, reporter.nextLineAt) }));
            if (observation) {
                const unknown = jobStatusFamily(observation.status, inputs.targetStatuses) === "unknown";
                const reported = reporter.observe(observation, unknown ? `a status pulumi-drs does not know; still waiting for ${targets}` : undefined);
                if (reported) await reported;
            }
            return observation;
        };
        const bound = waitBound(inputs.timeoutSeconds, scheduledDelay, options.deadline, clock.now());
        const outcome = await waitForTarget(observed, clock, {
            targets: inputs.targetStatuses,
            timeoutMs: bound.timeoutMs,
            pollIntervalMs: 0,
            signal,
        });
        if (outcome.kind !== "reached") {
            const last = outcome.kind === "failed" ? outcome.observation : outcome.last;
            // The list entry's actions describe the job before the wait: not stored as if they were current.
            const waited = { ...stateOf(job, startedAt), availableActions: undefined, currentAction: undefined, ...last };
            throw outcomeError(inputs, outcome, outcome.kind === "gone" ? undefined : withState(waited), undefined, bound);
        }
        // The list entry's actions describe the job before the wait: a refresh reads them anew.
        const state = await describe(api, { ...job, status: outcome.observation.status, availableActions: undefined, currentAction: undefined }, startedAt);
        reporter.reached(state.status, state);
        if (state.status === SCHEDULED_STATUS && inputs.startTime) say(`drs job ${jobId}: DRS starts it at ${new Date(inputs.startTime).toISOString()}; pulumi up returns now (waitFor: scheduled), a later pulumi up --refresh checks that it started`);
        return state;
    }
    // A job already in a target status: adopted by a create, kept by an update.
    if (startOverdue(job.status, inputs.startTime, clock.now(), options.startGraceMs ?? DEFAULT_START_GRACE_SECONDS * 1000)) {
        throw startMissed(inputs, withState(stateOf(job, startedAt)), job.availableActions);
    }
    if (!previous) say(`drs job ${jobId}: already ${job.status}: adopted, not started`);
    return describe(api, job, startedAt);
}

/** Where and how often a wait reports progress (defaults: stdout, every 30 s), and what cancels it. */
export interface RunOptions {
    readonly sink?: ProgressSink;
    readonly everyMs?: number;
    /** Aborted when the engine cancels the operation: the wait ends at once and no start is sent after it. */
    readonly signal?: AbortSignal;
    /** How long after `startTime` a job still `WAITING_FOR_START` is a missed start (default {@link DEFAULT_START_GRACE_SECONDS}). */
    readonly startGraceMs?: number;
    /** The engine's deadline for the whole operation (`customTimeouts`): a wait ends by it even when `timeoutSeconds` allows longer. */
    readonly deadline?: OperationDeadline;
}

/** How a start ended: this resource's start landed, or DRS refused it because someone else had started the job. */
export type StartOutcome = "started" | "startedElsewhere";

/** Vendor codes of a refused start (per-job result of a 202, or a 400). */
export const START_REFUSALS = {
    /** Another operation runs on the task (or it is abnormal): transient. */
    busy: "DRS.M01504",
    /** Operation too frequent: throttling, like a 429. */
    tooFrequent: "DRS.M01503",
    /** The task's status does not allow the call. */
    wrongStatus: "DRS.M00304",
    /** Task information not found. */
    notFound: "DRS.M05003",
    /** The task was deleted or its resources released. */
    deleted: "DRS.M05004",
} as const;

/** DRS's code and message for a start it refused. */
type StartRefusal = { readonly errorCode?: string; readonly errorMessage?: string };

/** How many times a start DRS refuses as transient (busy, too frequent) is sent in all. */
export const REFUSED_START_ATTEMPTS = 5;
/** First pause before a start refused as busy is sent again, doubled per refusal (too frequent: twice as long). */
export const REFUSED_START_BACKOFF_MS = 1_000;

/**
 * Calls batch-starting for one job and checks its result.
 *
 * A refused start (a per-job `failed` in the 202, or a 400 naming a vendor
 * code) is followed by a look at the job: one that left CONFIGURATION was
 * started, by an earlier attempt of ours or by someone else (another stack,
 * pipeline or the console): it is adopted, never started again. Still in
 * CONFIGURATION after `DRS.M01504` (busy) or `DRS.M01503` (too frequent),
 * the start is sent again with backoff, {@link REFUSED_START_ATTEMPTS} times
 * in all; any other refusal fails with advice that fits its code.
 *
 * If the call's outcome is unknown (5xx, reset, timeout after sending), the
 * request may have landed: the job is looked at at once and then paced, for
 * up to one request timeout. A job that left CONFIGURATION was started; one
 * still in CONFIGURATION after that window gets the start again. So a lost
 * response never leads to a second start of a started job.
 */
export async function startOnce(api: JobsApi, inputs: CheckedInputs, clock: Clock): Promise<StartOutcome> {
    const { jobId } = inputs;
    let mayHaveLanded = false;
    let refusals = 0;
    for (let attempt = 1; ; attempt++) {
        let refusal: StartRefusal;
        try {
            const result = await api.start({ jobId, startTime: inputs.startTime, autoCreateCompare: inputs.isAutoCreateCompare });
            if (result.status !== "failed") return "started";
            refusal = result;
        } catch (error) {
            if (error instanceof DrsApiError && isStartRefusal(error)) refusal = { errorCode: error.code, errorMessage: error.vendorMessage };
            else {
                if (!(error instanceof DrsApiError) || !isAmbiguous(error) || attempt >= START_ATTEMPTS) throw error;
                mayHaveLanded = true;
                if (await startLanded(api, jobId, clock, api.requestTimeoutMs, inputs.pollIntervalSeconds * 1000)) return "started";
                continue;
            }
        }
        const seen = await api.status(jobId);
        if (wasStarted(seen)) return mayHaveLanded ? "started" : "startedElsewhere";
        const transient = refusal.errorCode === START_REFUSALS.busy || refusal.errorCode === START_REFUSALS.tooFrequent;
        if (!transient || ++refusals >= REFUSED_START_ATTEMPTS) throw startRefused(jobId, refusal, seen?.status, refusals);
        const factor = refusal.errorCode === START_REFUSALS.tooFrequent ? 2 : 1;
        await clock.sleep(REFUSED_START_BACKOFF_MS * factor * 2 ** (refusals - 1));
    }
}

/** A 400 from batch-starting that names a vendor code: DRS answered and refused (nothing was started). */
function isStartRefusal(error: DrsApiError): boolean {
    return error.httpStatus === 400 && error.code !== undefined && error.code.startsWith("DRS.");
}

/** The error of a start DRS refused, with advice that fits its code. */
function startRefused(jobId: string, refusal: StartRefusal, status: string | undefined, refusals: number): DrsJobError {
    const common = { jobId, errorCode: refusal.errorCode, errorMessage: refusal.errorMessage, status };
    switch (refusal.errorCode) {
        case START_REFUSALS.busy:
            return new DrsJobError({ ...common, summary: `DRS refused the start ${refusals} times: another operation runs on the job`, action: "Wait until that operation ends (DRS console: the job's current action), then run pulumi up again. Nothing was started." });
        case START_REFUSALS.tooFrequent:
            return new DrsJobError({ ...common, summary: `DRS refused the start ${refusals} times as too frequent`, action: "Start fewer jobs at once (pulumi up --parallel, or split the rollout), then run pulumi up again. Nothing was started." });
        case START_REFUSALS.wrongStatus:
            return new DrsJobError({ ...common, summary: "DRS refused to start the job in its current status", action: "Check the job's status and available actions in DRS (it must be CONFIGURATION with START allowed), then run pulumi up again." });
        case START_REFUSALS.notFound:
        case START_REFUSALS.deleted:
            return new DrsJobError({ ...common, summary: "DRS no longer knows the job it was asked to start", action: "Check whether the job was deleted; point jobId at an existing job." });
        default:
            return new DrsJobError({ ...common, summary: "DRS refused to start the job", action: "Fix the cause DRS names (the job must be fully configured), then run pulumi up again." });
    }
}

/** True when DRS reports the job in a status other than CONFIGURATION: a start reached it. */
function wasStarted(seen: JobStatusResult | undefined): boolean {
    return seen !== undefined && seen.status !== "" && seen.status !== STARTABLE_STATUS;
}

/**
 * After a start whose response was lost: looks at the job at once, then
 * paced like a wait, until it left CONFIGURATION (true) or `windowMs`
 * passed with the job still there (false: the start did not land).
 */
async function startLanded(api: JobsApi, jobId: string, clock: Clock, windowMs: number, intervalMs: number): Promise<boolean> {
    const deadline = clock.now() + windowMs;
    for (let look = 0; ; look++) {
        if (wasStarted(await api.status(jobId))) return true;
        const left = deadline - clock.now();
        if (left <= 0) return false;
        await clock.sleep(Math.min(left, adaptiveInterval(look, intervalMs)));
    }
}

/**
 * A failure after which the request may or may not have been acted on: no
 * response, a 5xx, or a 2xx whose body could not be read.
 */
function isAmbiguous(error: DrsApiError): boolean {
    return error.httpStatus === 0 || error.httpStatus >= 500 || (error.httpStatus >= 200 && error.httpStatus < 300);
}

/**
 * A poller's result as the wait loop sees it: undefined when DRS left the
 * job out; an entry without a status (DRS's "does not exist" or "deleted",
 * family gone) keeps its error code and message for the user.
 */
export function observationOf(result: JobStatusResult | undefined): JobObservation | undefined {
    return result && { status: result.status, errorCode: result.errorCode, errorMessage: result.errorMessage };
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
        phaseProgress: progress?.phases,
        remainingTime: progress?.remainingTime,
        increTransDelaySeconds: progress?.increTransDelaySeconds,
        increTransDelayMillis: progress?.increTransDelayMillis,
        errorCode: progress?.errorCode,
        errorMessage: job.errorMessage ?? progress?.errorMessage,
    });
}

function stateOf(job: JobInfo, startedAt?: string): JobState {
    return { status: job.status, name: job.name, taskMode: job.taskType, errorMessage: job.errorMessage, availableActions: job.availableActions, currentAction: job.currentAction, startedAt };
}

/** The `job_action.available_actions` entry that allows batch-starting. */
export const START_ACTION = "START";

/** " DRS allows: A, B." when DRS reported the job's available actions. */
function allowed(actions?: readonly string[]): string {
    if (!actions) return "";
    return actions.length > 0 ? ` DRS allows: ${actions.join(", ")}.` : " DRS allows no action on it now.";
}

/** What the user does about a job in a family it never leaves by waiting. */
export const DEAD_END_ACTIONS: Readonly<Record<"failed" | "paused" | "stopped", string>> = {
    failed: "Fix the cause shown by DRS (job details and logs in the DRS console) and retry or reset the job there, then run pulumi up --refresh.",
    paused: "Resume the job in DRS, then run pulumi up --refresh.",
    stopped: "The job was stopped and its resources released: it cannot run again. Create a new DRS job and point jobId at it.",
};

function notFound(inputs: CheckedInputs, status?: string): DrsJobError {
    const where = `in project ${inputs.projectId} (searched db_use_type ${searchScope(inputs).join(", ")} at ${inputs.endpoint})`;
    return new DrsJobError({
        jobId: inputs.jobId,
        summary: status ? `was deleted in DRS ${where}` : `not found ${where}`,
        status,
        action: "Check jobId, projectId, region/endpoint and dbUseType; if the job was deleted, point jobId at an existing job. Nothing was started.",
    });
}

function outcomeError(inputs: CheckedInputs, outcome: Exclude<WaitOutcome, { kind: "reached" }>, properties?: Record<string, unknown>, availableActions?: readonly string[], bound?: WaitBound): DrsJobError {
    const { jobId } = inputs;
    const targets = inputs.targetStatuses.join(" or ");
    const obs: JobObservation | undefined = outcome.kind === "failed" ? outcome.observation : outcome.last;
    const common = { jobId, status: obs?.status, errorCode: obs?.errorCode, errorMessage: obs?.errorMessage, properties };
    switch (outcome.kind) {
        case "failed": {
            const family = outcome.family === "paused" || outcome.family === "stopped" ? outcome.family : "failed";
            const summary = family === "paused" ? `is paused in DRS and cannot reach ${targets}` : family === "stopped" ? `was stopped in DRS and cannot reach ${targets}` : `has failed in DRS and cannot reach ${targets}`;
            return new DrsJobError({ ...common, summary, action: DEAD_END_ACTIONS[family] + allowed(availableActions) });
        }
        case "timedOut":
            return new DrsJobError({
                ...common,
                summary: `did not reach ${targets} ${bound?.within ?? `within ${inputs.timeoutSeconds} s`}; last status seen ${obs?.status ?? "none"}`,
                action: `The job keeps running in DRS and its state is recorded: run pulumi up again to keep waiting (it is not started a second time), or raise ${bound?.raise ?? "timeoutSeconds"}.`,
            });
        case "gone":
            return new DrsJobError({ ...common, properties: undefined, summary: "disappeared from DRS while waiting", action: "Check whether the job was deleted; point jobId at an existing job." });
        case "cancelled":
            return new DrsJobError({
                ...common,
                summary: `wait for ${targets} cancelled (the deployment was interrupted); last status seen ${obs?.status ?? "none"}`,
                action: "The job keeps running in DRS and its state is recorded: run pulumi up again to keep waiting (it is not started a second time).",
            });
    }
}

/** A scheduled job still waits well after its start time: DRS did not start it. */
function startMissed(inputs: CheckedInputs, properties: Record<string, unknown>, availableActions?: readonly string[]): DrsJobError {
    const at = new Date(inputs.startTime ?? 0).toISOString();
    return new DrsJobError({
        jobId: inputs.jobId,
        summary: `did not start at its startTime ${at}: DRS still waits for the start`,
        status: SCHEDULED_STATUS,
        properties,
        action: `Look at the job in the DRS console (its schedule may have been changed or its start refused). Once it runs, run pulumi up --refresh; to start it at another time, reset it to ${STARTABLE_STATUS} in DRS and set a new startTime.${allowed(availableActions)}`,
    });
}

/** The deployment was cancelled before this resource sent its start: nothing happened in DRS. */
function cancelledBeforeStart(jobId: string): DrsJobError {
    return new DrsJobError({ jobId, summary: "cancelled before its start was sent", status: STARTABLE_STATUS, action: "Nothing was started: run pulumi up again to start the job." });
}
