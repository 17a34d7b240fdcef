import { DrsApiError } from "./drs/errors";
import { DB_USE_TYPES, type JobInfo, type JobProgress, type JobStatusResult } from "./drs/wire";
import { adaptiveInterval, type JobsApi } from "./jobs/jobsApi";
import { consoleSink, type ProgressSink } from "./progressReport";
import type { CheckedInputs, JobState } from "./inputs";
import { DEFAULT_START_GRACE_SECONDS, startOverdue } from "./drift";
import { DrsJobError } from "./jobError";
import { LIFECYCLE_SETTLE_MS, pauseFamily, settling, waitOnJob, type WaitGoal, type WaitReporting } from "./jobWait";
import { backOffAfter, refusalError, refusalOf, type Refusal, type RefusedCall, type Sent, sendRefusable } from "./refusals";
import { allowedActions, DEAD_END_ACTIONS, type Declaration, decideRun, type RunRefusal } from "./runDecision";
import { type WaitBound, waitBound } from "./operationDeadline";
import { strip } from "./validate";
import type { Clock } from "./wait/clock";
import { PAUSED_STATUSES, satisfiesTargets, SCHEDULED_STATUS, STARTABLE_STATUS } from "./wait/jobStatusFamily";
import type { JobObservation, WaitOutcome } from "./wait/waitForTarget";

/** How many times a start whose response was lost is checked and re-sent. */
export const START_ATTEMPTS = 3;

/** How long a job may stay paused before refresh and up warn that the source's logs may have expired (the vendor manual: about 24 h). */
export const LONG_PAUSE_MS = 24 * 3600_000;

/** Where the job is looked up: the given scenario, or all three. */
export function searchScope(inputs: Pick<CheckedInputs, "dbUseType">) {
    return inputs.dbUseType ? [inputs.dbUseType] : DB_USE_TYPES;
}

/** The declaration {@link decideRun} reads, from checked inputs. */
export function declarationOf(inputs: CheckedInputs): Declaration {
    return { runState: inputs.runState, pauseMode: inputs.pauseMode, retryFailed: inputs.retryFailed, targetStatuses: inputs.targetStatuses };
}

/**
 * Brings the job to its declared run state and reports its state.
 *
 * Looks at the job first and carries out what {@link decideRun} decides:
 * a job in a target status is adopted without a call; one in flight,
 * scheduled, recovering or in a status nobody knows is only waited on; one
 * in CONFIGURATION is started (once: see {@link startOnce}) and waited on;
 * a paused one is resumed (batch-retry-task) and a failed one retried when
 * `retryFailed` is set, each once; with `runState: paused` a running job is
 * paused (batch-pause-task) and a never-started one held. Refusals throw
 * {@link DrsJobError}; those that leave an existing job carry
 * `stateOnError` plus the observed status, so the engine keeps the resource
 * with what DRS said (next `up` updates instead of starting again). An
 * aborted `options.signal` (the engine's Cancel) ends a wait the same way.
 */
export async function ensureRunning(api: JobsApi, inputs: CheckedInputs, clock: Clock, stateOnError: Readonly<Record<string, unknown>>, previous?: JobState, options: RunOptions = {}): Promise<JobState> {
    const { signal } = options;
    const say = options.sink ?? consoleSink;
    const { jobId } = inputs;
    const job = await api.findJob(jobId, searchScope(inputs));
    const decision = decideRun(job, declarationOf(inputs));
    if (!job || decision.family === "gone") throw notFound(inputs, job?.status);
    const withState = (state: JobState) => ({ ...stateOnError, ...strip(state) });
    let startedAt = previous?.startedAt;
    const targets = inputs.targetStatuses.join(" or ");
    const startGoal: WaitGoal = { wanted: targets, targets: inputs.targetStatuses, timeoutMs: inputs.timeoutSeconds * 1000 };
    switch (decision.action) {
        case "refuse":
            throw await refused(api, inputs, job, decision.refusal, withState(stateOf(job, startedAt)));
        case "hold":
            say(`drs job ${jobId}: ${job.status}, held: runState is paused, so pulumi up does not start it (set runState: running to start it)`);
            return strip({ ...stateOf(job, startedAt), held: true });
        case "none":
            if (decision.family === "paused") return keptPaused(api, job, startedAt, previous, clock, say);
            // A job already in a target status: adopted by a create, kept by an update.
            if (startOverdue(job.status, inputs.startTime, clock.now(), options.startGraceMs ?? DEFAULT_START_GRACE_SECONDS * 1000)) {
                throw startMissed(inputs, withState(stateOf(job, startedAt)), job.availableActions);
            }
            if (!previous) say(`drs job ${jobId}: already ${job.status}: adopted, not started`);
            return describe(api, job, startedAt);
        case "pause": {
            await lifecycleCall(inputs, clock, job, PAUSE_CALL, () => api.pause(jobId, inputs.pauseMode ?? "target"), withState(stateOf(job, startedAt)), signal);
            say(`drs job ${jobId}: pause sent (batch-pause-task, pauseMode ${inputs.pauseMode ?? "target"}); waiting for ${PAUSED_STATUSES.join(" or ")}`);
            const goal: WaitGoal = { wanted: PAUSED_STATUSES.join(" or "), targets: PAUSED_STATUSES, familyOf: pauseFamily, timeoutMs: inputs.timeoutSeconds * 1000 };
            const state = await waitThen(api, inputs, clock, job, startedAt, goal, options, withState);
            return { ...state, pausedAt: new Date(clock.now()).toISOString() };
        }
        case "resume":
        case "retry": {
            const before = decision.action === "retry" ? await firstFailure(api, job) : undefined;
            const call = decision.action === "retry" ? RETRY_CALL : RESUME_CALL;
            await lifecycleCall(inputs, clock, job, call, () => api.retry(jobId), withState(stateOf(job, startedAt)), signal);
            say(`drs job ${jobId}: ${decision.action === "retry" ? `${job.status}: retry sent (batch-retry-task, retryFailed)` : "resume sent (batch-retry-task)"}; waiting for ${targets}`);
            const goal: WaitGoal = { ...startGoal, familyOf: settling(decision.family, inputs.targetStatuses, clock, LIFECYCLE_SETTLE_MS) };
            return waitThen(api, inputs, clock, job, startedAt, goal, options, withState, before);
        }
        case "start":
            if (signal?.aborted) throw cancelledBeforeStart(jobId);
            if ((await startOnce(api, inputs, clock, signal)) === "started") startedAt = new Date(clock.now()).toISOString();
            else say(`drs job ${jobId}: started elsewhere (another stack, pipeline or the DRS console) before this start: adopted, not started again`);
            break;
        case "wait":
            break;
    }
    // A wait past WAITING_FOR_START waits through the schedule; one that ends there does not.
    const scheduledDelay = inputs.startTime && !satisfiesTargets(SCHEDULED_STATUS, inputs.targetStatuses) ? Math.max(0, inputs.startTime - clock.now()) : 0;
    const state = await waitThen(api, inputs, clock, job, startedAt, { ...startGoal, timeoutMs: inputs.timeoutSeconds * 1000 + scheduledDelay }, options, withState);
    if (state.status === SCHEDULED_STATUS && inputs.startTime) say(`drs job ${jobId}: DRS starts it at ${new Date(inputs.startTime).toISOString()}; pulumi up returns now (waitFor: scheduled), a later pulumi up --refresh checks that it started`);
    return state;
}

/** Waits for `goal` and describes the job reached, or throws what the wait ended on (`before`: the failure a retry was sent for). */
async function waitThen(api: JobsApi, inputs: CheckedInputs, clock: Clock, job: JobInfo, startedAt: string | undefined, goal: WaitGoal, options: RunOptions, withState: (state: JobState) => Record<string, unknown>, before?: JobObservation): Promise<JobState> {
    // The goal's time beyond timeoutSeconds is a scheduled start's delay; the engine's deadline may end the wait sooner.
    const bound = waitBound(inputs.timeoutSeconds, goal.timeoutMs - inputs.timeoutSeconds * 1000, options.deadline, clock.now());
    const { outcome, reporter } = await waitOnJob(api, inputs, clock, { ...goal, timeoutMs: bound.timeoutMs }, options);
    if (outcome.kind !== "reached") {
        const last = outcome.kind === "failed" ? outcome.observation : outcome.last;
        // The list entry's actions describe the job before the wait: not stored as if they were current.
        const waited = { ...stateOf(job, startedAt), availableActions: undefined, currentAction: undefined, ...last };
        throw outcomeError(inputs, goal.wanted, outcome, outcome.kind === "gone" ? undefined : withState(waited), before, bound);
    }
    // The list entry's actions describe the job before the wait: a refresh reads them anew.
    const state = await describe(api, { ...job, status: outcome.observation.status, availableActions: undefined, currentAction: undefined }, startedAt);
    reporter.reached(state.status, state);
    return state;
}

/** A job paused as declared: its state, with when it was paused (kept from before, else now) and a warning once that is long ago. */
async function keptPaused(api: JobsApi, job: JobInfo, startedAt: string | undefined, previous: JobState | undefined, clock: Clock, say: ProgressSink): Promise<JobState> {
    const pausedAt = previous?.pausedAt ?? new Date(clock.now()).toISOString();
    const warning = longPauseWarning(job.id, pausedAt, clock.now());
    if (warning) say(warning);
    return { ...(await describe(api, job, startedAt)), pausedAt };
}

/** The warning for a job paused since `pausedAt` when that is more than {@link LONG_PAUSE_MS} ago; undefined otherwise. */
export function longPauseWarning(jobId: string, pausedAt: string | undefined, now: number): string | undefined {
    const since = pausedAt ? Date.parse(pausedAt) : NaN;
    if (!Number.isFinite(since) || now - since <= LONG_PAUSE_MS) return undefined;
    const hours = Math.floor((now - since) / 3600_000);
    return `drs job ${jobId}: warning: paused since ${pausedAt} (${hours} h): after about 24 h the source database's logs may have expired and a resume can fail. Resume it soon (runState: running), or plan a new full transfer.`;
}

/** The failure a retry is sent for, with DRS's code (batch-status has it; the list entry only the message). */
async function firstFailure(api: JobsApi, job: JobInfo): Promise<JobObservation> {
    const seen = await api.status(job.id).catch(() => undefined);
    return strip({ status: job.status, errorCode: seen?.errorCode, errorMessage: job.errorMessage ?? seen?.errorMessage });
}

/** How the lifecycle calls of `up` are named in refusals. */
const PAUSE_CALL: RefusedCall = {
    noun: "the pause",
    verb: "pause",
    nothingDone: "The job was not paused.",
    wrongStatusFix:
        "Check the job's status and available actions in DRS (DRS pauses FULL_TRANSFER_STARTED, FULL_TRANSFER_COMPLETE and INCRE_TRANSFER_STARTED jobs, and only for some engine pairs: see docs/configuration.md), then run pulumi up again, or set runState: running.",
    otherFix: "Fix the cause DRS names (pause exists only for some engine pairs, e.g. MySQL to MySQL: see docs/configuration.md), or set runState: running, then run pulumi up again.",
};
const RESUME_CALL: RefusedCall = {
    noun: "the resume",
    verb: "resume",
    nothingDone: "The job stays paused.",
    wrongStatusFix: "Check the job's status and available actions in DRS (it must be paused), then run pulumi up again, or set runState: paused to keep it paused.",
    otherFix: "Fix the cause DRS names (after a long pause the source's logs may have expired: the job then needs a new full transfer), then run pulumi up again, or set runState: paused.",
};
const RETRY_CALL: RefusedCall = {
    noun: "the retry",
    verb: "retry",
    nothingDone: "The job stays failed.",
    wrongStatusFix: "Check the job's status and available actions in DRS, fix the cause of its failure there, then run pulumi up --refresh.",
    otherFix: "Fix the cause DRS names and of the job's failure (DRS console: job details and logs), then run pulumi up --refresh.",
};

/**
 * Sends one lifecycle call for the job (at most once per `up`, busy and
 * too-frequent refusals re-sent with the start's backoff) and fails with
 * DRS's code when it refuses; a call whose outcome is unknown fails too,
 * without a second send: the next `pulumi up --refresh` looks again.
 */
async function lifecycleCall(inputs: CheckedInputs, clock: Clock, job: JobInfo, call: RefusedCall, send: () => ReturnType<JobsApi["pause"]>, properties: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
    let sent: Sent;
    try {
        sent = await sendRefusable(send, clock, signal);
    } catch (error) {
        if (signal?.aborted) {
            throw new DrsJobError({ jobId: inputs.jobId, summary: `${call.noun} cancelled (the deployment was interrupted) while DRS refused it as busy`, status: job.status, properties, action: `${call.nothingDone} Run pulumi up again.` });
        }
        if (!(error instanceof DrsApiError)) throw error;
        throw new DrsJobError({
            jobId: inputs.jobId,
            summary: `${call.noun} (${error.operation}) did not get an answer DRS stood by: ${error.message}`,
            status: job.status,
            errorCode: error.code,
            errorMessage: error.vendorMessage,
            properties,
            action: "Run pulumi up --refresh: it looks at the job again and sends the call again only if it is still needed.",
        });
    }
    if (!sent.accepted) throw refusalError(inputs.jobId, call, sent.refusal, job.status, sent.refusals, properties);
}

/** The error for a job {@link decideRun} refused; a failed, paused or stopped one carries its state and DRS's code (read from batch-status). */
async function refused(api: JobsApi, inputs: CheckedInputs, job: JobInfo, refusal: RunRefusal, state: Record<string, unknown>): Promise<DrsJobError> {
    const { jobId } = inputs;
    if (refusal.kind === "notConfigured" || refusal.kind === "startNotOffered") return new DrsJobError({ jobId, summary: refusal.summary, status: job.status, action: refusal.fix });
    if (refusal.kind === "notPausable") return new DrsJobError({ jobId, summary: refusal.summary, status: job.status, properties: state, action: refusal.fix });
    // The list entry has DRS's message but not its code: batch-status has both.
    const seen = await api.status(jobId).catch(() => undefined);
    const observation = strip({ status: job.status, errorCode: seen?.errorCode, errorMessage: job.errorMessage ?? seen?.errorMessage });
    return new DrsJobError({ jobId, summary: refusal.summary, ...observation, properties: { ...state, ...observation }, action: refusal.fix });
}

/** Where and how often a wait reports progress (defaults: stdout, every 30 s), and what cancels it. */
export interface RunOptions extends WaitReporting {
    /** How long after `startTime` a job still `WAITING_FOR_START` is a missed start (default {@link DEFAULT_START_GRACE_SECONDS}). */
    readonly startGraceMs?: number;
}

/** How a start ended: this resource's start landed, or DRS refused it because someone else had started the job. */
export type StartOutcome = "started" | "startedElsewhere";

/**
 * Calls batch-starting for one job and checks its result.
 *
 * A refused start (a per-job `failed` in the 202, or a 400 naming a vendor
 * code) is followed by a look at the job: one that left CONFIGURATION was
 * started, by an earlier attempt of ours or by someone else (another stack,
 * pipeline or the console): it is adopted, never started again. Still in
 * CONFIGURATION after `DRS.M01504` (busy) or `DRS.M01503` (too frequent),
 * the start is sent again with backoff, {@link REFUSED_ATTEMPTS} times
 * in all; any other refusal fails with advice that fits its code.
 *
 * If the call's outcome is unknown (5xx, reset, timeout after sending), the
 * request may have landed: the job is looked at at once and then paced, for
 * up to one request timeout. A job that left CONFIGURATION was started; one
 * still in CONFIGURATION after that window gets the start again. So a lost
 * response never leads to a second start of a started job.
 */
export async function startOnce(api: JobsApi, inputs: CheckedInputs, clock: Clock, signal?: AbortSignal): Promise<StartOutcome> {
    const { jobId } = inputs;
    let mayHaveLanded = false;
    let refusals = 0;
    for (let attempt = 1; ; attempt++) {
        let refusal: Refusal;
        try {
            const result = await api.start({ jobId, startTime: inputs.startTime, autoCreateCompare: inputs.isAutoCreateCompare });
            if (result.status !== "failed") return "started";
            refusal = result;
        } catch (error) {
            const refused = refusalOf(error);
            if (refused) refusal = refused;
            else {
                if (!(error instanceof DrsApiError) || !isAmbiguous(error) || attempt >= START_ATTEMPTS) throw error;
                mayHaveLanded = true;
                if (await startLanded(api, jobId, clock, api.requestTimeoutMs, inputs.pollIntervalSeconds * 1000)) return "started";
                continue;
            }
        }
        const seen = await api.status(jobId);
        if (wasStarted(seen)) return mayHaveLanded ? "started" : "startedElsewhere";
        let again: boolean;
        try {
            again = await backOffAfter(refusal, ++refusals, clock, signal);
        } catch (error) {
            if (signal?.aborted) throw cancelledBeforeStart(jobId);
            throw error;
        }
        if (!again) throw refusalError(jobId, START_CALL, refusal, seen?.status, refusals);
    }
}

/** How the start is named in its refusals. */
const START_CALL: RefusedCall = {
    noun: "the start",
    verb: "start",
    nothingDone: "Nothing was started.",
    wrongStatusFix: "Check the job's status and available actions in DRS (it must be CONFIGURATION with START allowed), then run pulumi up again.",
    otherFix: "Fix the cause DRS names (the job must be fully configured), then run pulumi up again.",
};

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

function notFound(inputs: CheckedInputs, status?: string): DrsJobError {
    const where = `in project ${inputs.projectId} (searched db_use_type ${searchScope(inputs).join(", ")} at ${inputs.endpoint})`;
    return new DrsJobError({
        jobId: inputs.jobId,
        summary: status ? `was deleted in DRS ${where}` : `not found ${where}`,
        status,
        action: "Check jobId, projectId, region/endpoint and dbUseType; if the job was deleted, point jobId at an existing job. Nothing was started.",
    });
}

function outcomeError(inputs: CheckedInputs, wanted: string, outcome: Exclude<WaitOutcome, { kind: "reached" }>, properties?: Record<string, unknown>, before?: JobObservation, bound?: WaitBound): DrsJobError {
    const { jobId } = inputs;
    const obs: JobObservation | undefined = outcome.kind === "failed" ? outcome.observation : outcome.last;
    const common = { jobId, status: obs?.status, errorCode: obs?.errorCode, errorMessage: obs?.errorMessage, properties };
    switch (outcome.kind) {
        case "failed": {
            const family = outcome.family === "paused" || outcome.family === "stopped" ? outcome.family : "failed";
            if (before && family === "failed") {
                const first = `${before.status}${before.errorCode || before.errorMessage ? ` (DRS error ${before.errorCode ?? "(no code)"}: ${(before.errorMessage ?? "(no message)").replace(/[.\s]+$/, "")})` : ""}`;
                return new DrsJobError({ ...common, summary: `failed again after pulumi up retried it once (batch-retry-task): first ${first}, then ${obs?.status}`, action: `pulumi up does not retry again. ${DEAD_END_ACTIONS.failed}` });
            }
            const summary = family === "paused" ? `is paused in DRS and cannot reach ${wanted}` : family === "stopped" ? `was stopped in DRS and cannot reach ${wanted}` : `has failed in DRS and cannot reach ${wanted}`;
            return new DrsJobError({ ...common, summary, action: DEAD_END_ACTIONS[family] });
        }
        case "timedOut":
            return new DrsJobError({
                ...common,
                summary: `did not reach ${wanted} ${bound?.within ?? `within ${inputs.timeoutSeconds} s`}; last status seen ${obs?.status ?? "none"}`,
                action: `The job keeps running in DRS and its state is recorded: run pulumi up again to keep waiting (it is not started a second time), or raise ${bound?.raise ?? "timeoutSeconds"}.`,
            });
        case "gone":
            return new DrsJobError({ ...common, properties: undefined, summary: "disappeared from DRS while waiting", action: "Check whether the job was deleted; point jobId at an existing job." });
        case "cancelled":
            return new DrsJobError({
                ...common,
                summary: `wait for ${wanted} cancelled (the deployment was interrupted); last status seen ${obs?.status ?? "none"}`,
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
        action: `Look at the job in the DRS console (its schedule may have been changed or its start refused). Once it runs, run pulumi up --refresh; to start it at another time, reset it to ${STARTABLE_STATUS} in DRS and set a new startTime.${allowedActions(availableActions)}`,
    });
}

/** The deployment was cancelled before this resource sent its start: nothing happened in DRS. */
function cancelledBeforeStart(jobId: string): DrsJobError {
    return new DrsJobError({ jobId, summary: "cancelled before its start was sent", status: STARTABLE_STATUS, action: "Nothing was started: run pulumi up again to start the job." });
}
