import { decideRun, isSettled, RunState } from "./runDecision";
import { satisfiesTargets, SCHEDULED_STATUS } from "./wait/jobStatusFamily";

/**
 * Drift: DRS reports a job outside the statuses its DrsJobStart declares.
 *
 * The dynamic provider protocol drops a provider's detailed diff, so the
 * engine shows an update's property diff from the old and new *inputs*. The
 * declaration therefore lives in one input, {@link JOB_STATUS_INPUT}: `check`
 * sets it to the statuses wanted, `read` to what DRS says when that is
 * outside them. A preview after a refresh then shows
 * `~ jobStatus: "INCRE_TRANSFER_FAILED" => "INCRE_TRANSFER_STARTED"`.
 */

/** The input that carries the declared status (and, after a refresh that found drift, the status seen). */
export const JOB_STATUS_INPUT = "jobStatus";

/**
 * The declaration as the engine shows it, e.g. `INCRE_TRANSFER_STARTED`,
 * `FULL_TRANSFER_COMPLETE or CHILD_TRANSFER_COMPLETE`, or, for a scheduled
 * start, `WAITING_FOR_START or started` (any later step satisfies it).
 */
export function declaredStatus(targets: readonly string[], runState?: RunState): string {
    if (runState === "paused") return PAUSED_DECLARATION;
    const declared = targets.join(" or ");
    return targets.length === 1 && targets[0] === SCHEDULED_STATUS ? `${declared} or started` : declared;
}

/** The declaration of a job kept paused: paused in DRS, or (held) never started. */
export const PAUSED_DECLARATION = "PAUSING or not started";

/**
 * True when `status` (from state) is a DRS status outside `targets` and
 * their later steps; with `runState: paused`, one that is neither paused
 * nor a never-started job held back.
 */
export function hasDrifted(status: unknown, targets: readonly string[], runState?: RunState): boolean {
    if (typeof status !== "string" || status === "") return false;
    if (runState === "paused") return !isSettled(decideRun({ status }, { runState, targetStatuses: targets }));
    return !satisfiesTargets(status, targets);
}

/**
 * How long after its `startTime` a job may still be `WAITING_FOR_START`
 * before that counts as drift (DRS starts a scheduled job within minutes of
 * its time). `DRS_START_GRACE_SECONDS` overrides it.
 */
export const DEFAULT_START_GRACE_SECONDS = 900;

/** True when the job still waits for a start time that passed more than `graceMs` ago: DRS did not start it. */
export function startOverdue(status: unknown, startTime: unknown, now: number, graceMs: number): boolean {
    return status === SCHEDULED_STATUS && typeof startTime === "number" && now > startTime + graceMs;
}

/** What `read` records for {@link JOB_STATUS_INPUT} for a job whose scheduled start did not happen: distinct from the declaration, so the preview shows it. */
export function overdueJobStatus(startTime: number): string {
    return `${SCHEDULED_STATUS} after its startTime ${new Date(startTime).toISOString()}`;
}

/**
 * The value `read` records for {@link JOB_STATUS_INPUT}: the declaration
 * while it holds, else the status seen (or, for a job whose start time
 * passed without a start, {@link overdueJobStatus}).
 */
export function observedJobStatus(status: string, targets: readonly string[], overdueSince?: number, runState?: RunState): string {
    if (overdueSince !== undefined) return overdueJobStatus(overdueSince);
    return hasDrifted(status, targets, runState) ? status : declaredStatus(targets, runState);
}
