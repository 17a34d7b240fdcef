import { decideRun, isSettled, type RunState } from "./runDecision";
import { jobStatusFamily, satisfiesTargets, SCHEDULED_STATUS } from "./wait/jobStatusFamily";

/**
 * Drift: DRS reports a job outside the statuses its DrsJobStart declares.
 *
 * The dynamic provider protocol drops a provider's detailed diff, so the
 * engine shows an update's property diff from the old and new *inputs*. The
 * declaration therefore lives in one input, {@link JOB_STATUS_INPUT}: `check`
 * sets it to the statuses wanted, `read` to what DRS says when that is
 * outside them. A preview after a refresh then shows
 * `~ jobStatus: "INCRE_TRANSFER_FAILED" => "INCRE_TRANSFER_STARTED"`.
 * Two statuses outside the declaration are drift only after a grace: a
 * scheduled job still waiting after its start time, and DRS's own
 * maintenance of a running job ({@link judgeDrift} holds the rules).
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
 * How long DRS's own maintenance of a running job (node rebuild or upgrade,
 * job change: the `recovering` family) may last before it counts as drift.
 * `DRS_RECOVERY_GRACE_SECONDS` (or `drs:recoveryGraceSeconds`) overrides it.
 */
export const DEFAULT_RECOVERY_GRACE_SECONDS = 3600;

/** The status a running job returns to after maintenance: it must satisfy the declaration for maintenance to. */
const RUNNING_STATUS = "INCRE_TRANSFER_STARTED";

/**
 * True when `status` is DRS's own maintenance of a running job and the
 * declaration is one a replicating job satisfies (`replicating`,
 * `fullTransferComplete`, `transferStarted`, `scheduled`): the job returns
 * to that status by itself, so it is not drift while the grace lasts.
 */
export function isMaintenance(status: unknown, targets: readonly string[]): status is string {
    return typeof status === "string" && jobStatusFamily(status, targets) === "recovering" && satisfiesTargets(RUNNING_STATUS, targets);
}

/**
 * Since when (ISO time) the job has been in `status`: the previous record's
 * `statusSince` while the status is the same, else `now`.
 */
export function statusSince(status: string, previous: { readonly status?: unknown; readonly statusSince?: unknown } | undefined, now: number): string {
    const kept = previous?.status === status && typeof previous.statusSince === "string" ? Date.parse(previous.statusSince) : NaN;
    return new Date(Number.isFinite(kept) ? kept : now).toISOString();
}

/** What a recorded job state means for its declaration (see {@link judgeDrift}). */
export type DriftVerdict =
    /** The declaration holds. */
    | { readonly kind: "holds" }
    /** DRS maintains the job: the declaration holds until `until` (ms epoch), and a refresh warns. */
    | { readonly kind: "maintenance"; readonly status: string; readonly since: string; readonly until: number }
    /** Drift: `jobStatus` is what `read` records for the declaration's input, so the preview shows it. */
    | { readonly kind: "drift"; readonly jobStatus: string };

/** A recorded (or just read) state of a job, as the drift rules look at it. */
export interface RecordedState {
    readonly status?: unknown;
    readonly statusSince?: unknown;
    readonly startTime?: unknown;
}

/** The graces of the drift rules, in ms. */
export interface Graces {
    /** After `startTime`, for a job still `WAITING_FOR_START`. */
    readonly startGraceMs: number;
    /** For DRS's own maintenance of a running job. */
    readonly recoveryGraceMs: number;
}

/**
 * The drift rules in one place, for `read` (what to record) and `diff`
 * (whether to update): a status outside the declaration is drift, except
 * DRS's maintenance of a running job within its grace; a scheduled job still
 * waiting past its start time and grace is drift too.
 */
export function judgeDrift(state: RecordedState, targets: readonly string[], now: number, graces: Graces, runState?: RunState): DriftVerdict {
    const { status } = state;
    if (runState === "paused") return hasDrifted(status, targets, runState) ? { kind: "drift", jobStatus: status as string } : { kind: "holds" };
    if (startOverdue(status, state.startTime, now, graces.startGraceMs)) return { kind: "drift", jobStatus: overdueJobStatus(state.startTime as number) };
    if (isMaintenance(status, targets)) {
        const parsed = typeof state.statusSince === "string" ? Date.parse(state.statusSince) : NaN;
        const sinceMs = Number.isFinite(parsed) ? parsed : now;
        const since = new Date(sinceMs).toISOString();
        const until = sinceMs + graces.recoveryGraceMs;
        return now > until ? { kind: "drift", jobStatus: `${status} since ${since}` } : { kind: "maintenance", status, since, until };
    }
    return hasDrifted(status, targets) ? { kind: "drift", jobStatus: status as string } : { kind: "holds" };
}

/** The value `read` records for {@link JOB_STATUS_INPUT}: the declaration while it holds (maintenance within its grace included), else what the verdict shows. */
export function observedJobStatus(verdict: DriftVerdict, targets: readonly string[], runState?: RunState): string {
    return verdict.kind === "drift" ? verdict.jobStatus : declaredStatus(targets, runState);
}

/** The warning a refresh prints while DRS maintains a job whose declaration still holds. */
export function maintenanceWarning(jobId: string, verdict: Extract<DriftVerdict, { kind: "maintenance" }>, targets: readonly string[]): string {
    return `drs job ${jobId}: warning: ${verdict.status} since ${verdict.since}, DRS's own maintenance of the job (it returns by itself): counted as ${declaredStatus(targets)} until ${new Date(verdict.until).toISOString()} (DRS_RECOVERY_GRACE_SECONDS), drift after that`;
}
