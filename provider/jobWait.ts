import type { OperationDeadline } from "./operationDeadline";
import type { JobStatusResult } from "./drs/wire";
import type { CheckedInputs } from "./inputs";
import type { JobsApi } from "./jobs/jobsApi";
import { ProgressReporter, type ProgressSink } from "./progressReport";
import type { Clock } from "./wait/clock";
import { jobStatusFamily, type JobStatusFamily, PAUSED_STATUSES } from "./wait/jobStatusFamily";
import { type JobObservation, type StatusSource, waitForTarget, type WaitOutcome } from "./wait/waitForTarget";
import { STOPPED_COMPLETE_STATUSES, STOP_FAILED_STATUSES } from "./runDecision";

/**
 * One wait on one job, with progress lines: for a start's targets, for a
 * pause to show, for a stop to complete, or for a deleted job to vanish.
 * The poller paces the looks (fast first, then the configured interval).
 */

/** What a wait ends on, and how a status counts for it. */
export interface WaitGoal {
    /** The statuses that end it, in words for messages ("INCRE_TRANSFER_STARTED", "PAUSING or PAUSEING"). */
    readonly wanted: string;
    /** The statuses that end it (for the wait's default classification and its messages). */
    readonly targets: readonly string[];
    /** How a status counts (default: its family relative to `targets`). */
    readonly familyOf?: (status: string) => JobStatusFamily;
    readonly timeoutMs: number;
}

/** Where the lines go and what cancels the wait. */
export interface WaitReporting {
    readonly sink?: ProgressSink;
    readonly everyMs?: number;
    readonly signal?: AbortSignal;
    /** The engine's deadline for the whole operation (`customTimeouts`): a wait ends by it even when `timeoutSeconds` allows longer. */
    readonly deadline?: OperationDeadline;
}

/** Polls the job until `goal` is reached, a dead end, gone, the deadline, or a cancel; reports progress as it goes. */
export async function waitOnJob(api: JobsApi, inputs: CheckedInputs, clock: Clock, goal: WaitGoal, reporting: WaitReporting): Promise<{ outcome: WaitOutcome; reporter: ProgressReporter }> {
    const { jobId } = inputs;
    const reporter = new ProgressReporter(jobId, clock, () => api.progress(jobId), reporting.sink, reporting.everyMs);
    const poll = api.poller(jobId, inputs.pollIntervalSeconds * 1000, reporting.signal);
    const familyOf = goal.familyOf ?? ((status: string) => jobStatusFamily(status, goal.targets));
    // Held back until the status changes, the deadline, or the reporter's next periodic line.
    const observed: StatusSource = async (hold) => {
        const observation = observationOf(await poll(hold && { status: hold.status, until: Math.min(hold.until, reporter.nextLineAt) }));
        if (observation) {
            const unknown = familyOf(observation.status) === "unknown";
            const reported = reporter.observe(observation, unknown ? `a status pulumi-drs does not know; still waiting for ${goal.wanted}` : undefined);
            if (reported) await reported;
        }
        return observation;
    };
    const outcome = await waitForTarget(observed, clock, { targets: goal.targets, timeoutMs: goal.timeoutMs, pollIntervalMs: 0, signal: reporting.signal, familyOf: goal.familyOf });
    return { outcome, reporter };
}

/**
 * A poller's result as the wait loop sees it: undefined when DRS left the
 * job out; an entry without a status (DRS's "does not exist" or "deleted",
 * family gone) keeps its error code and message for the user.
 */
function observationOf(result: JobStatusResult | undefined): JobObservation | undefined {
    return result && { status: result.status, errorCode: result.errorCode, errorMessage: result.errorMessage };
}

/** After a pause: the paused statuses are the goal; failures, stops and a vanished job end it; anything else is on its way. */
export function pauseFamily(status: string): JobStatusFamily {
    if ((PAUSED_STATUSES as readonly string[]).includes(status)) return "target";
    const family = jobStatusFamily(status, []);
    return family === "failed" || family === "stopped" || family === "gone" ? family : "inFlight";
}

/** After a stop: a completed stop is the goal, a failed stop a dead end, a vanished job gone; anything else is on its way. */
export function stopFamily(status: string): JobStatusFamily {
    if (STOPPED_COMPLETE_STATUSES.includes(status)) return "target";
    if (STOP_FAILED_STATUSES.includes(status)) return "failed";
    return jobStatusFamily(status, []) === "gone" ? "gone" : "inFlight";
}

/** After a delete: only a vanished (or DELETED) job ends the wait. */
export function deleteFamily(status: string): JobStatusFamily {
    return jobStatusFamily(status, []) === "gone" ? "gone" : "inFlight";
}

/** How long after a resume or retry the job may still show its old status (paused, failed) before that counts as the outcome. */
export const LIFECYCLE_SETTLE_MS = 120_000;

/**
 * A classification for the wait after a resume or retry: DRS may still
 * show the job as it was (paused, or failed) for a moment after accepting
 * the call. That family counts as on its way until the job shows anything
 * else or {@link LIFECYCLE_SETTLE_MS} passed; then it is the outcome (a
 * retried job that failed again, a resumed one that stayed paused).
 */
export function settling(before: JobStatusFamily, targets: readonly string[], clock: Clock, settleMs = LIFECYCLE_SETTLE_MS): (status: string) => JobStatusFamily {
    const until = clock.now() + settleMs;
    let moved = false;
    return (status) => {
        const family = jobStatusFamily(status, targets);
        if (family !== before) moved = true;
        return !moved && family === before && clock.now() < until ? "inFlight" : family;
    };
}
