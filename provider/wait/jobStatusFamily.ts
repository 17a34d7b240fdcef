/**
 * DRS job statuses grouped into the families the provider acts on.
 *
 * The status vocabulary is the one of `batch-status` and the tenant job list
 * (see shared/drs-api). Which statuses count as "reached" is an input of the
 * resource (`targetStatuses`), so the family of a status depends on it.
 */

/** The family a job status belongs to, relative to a set of target statuses. */
export type JobStatusFamily =
    /** Not started yet: can (or will, once configured) be started. */
    | "notStarted"
    /** Scheduled start: batch-starting was accepted with a start time in the future. */
    | "scheduled"
    /** Starting or transferring: keep waiting. */
    | "inFlight"
    /** One of the target statuses: the job runs as wanted. */
    | "target"
    /** A failure status: the job needs an operator. */
    | "failed"
    /** Being stopped or stopped: the job will not reach a target by waiting. */
    | "stopped"
    /** A status this provider does not know (a newer API): treated as in flight. */
    | "unknown";

/** Statuses of a job that has not been started. */
export const NOT_STARTED_STATUSES = ["CREATING", "CONFIGURATION"] as const;

/** The status of a job whose start is scheduled for later. */
export const SCHEDULED_STATUS = "WAITING_FOR_START";

/** Statuses of a job that is starting or transferring. */
export const IN_FLIGHT_STATUSES = [
    "STARTJOBING",
    "FULL_TRANSFER_STARTED",
    "FULL_TRANSFER_COMPLETE",
    "INCRE_TRANSFER_STARTED",
    "CHILD_TRANSFER_STARTING",
    "CHILD_TRANSFER_STARTED",
    "CHILD_TRANSFER_COMPLETE",
    "CHANGE_JOB_STARTED",
    "PAUSEING",
] as const;

/** Statuses that mean the job failed. */
export const FAILED_STATUSES = [
    "CREATE_FAILED",
    "START_JOB_FAILED",
    "FULL_TRANSFER_FAILED",
    "INCRE_TRANSFER_FAILED",
    "RELEASE_RESOURCE_FAILED",
    "CHANGE_JOB_FAILED",
    "CHILD_TRANSFER_FAILED",
] as const;

/** Statuses of a job that is being stopped or is stopped. */
export const STOPPED_STATUSES = [
    "RELEASE_RESOURCE_STARTED",
    "RELEASE_RESOURCE_COMPLETE",
    "RELEASE_CHILD_TRANSFER_STARTED",
    "RELEASE_CHILD_TRANSFER_COMPLETE",
] as const;

/** Every status the DRS v3 API documents. */
export const KNOWN_STATUSES: readonly string[] = [
    ...NOT_STARTED_STATUSES,
    SCHEDULED_STATUS,
    ...IN_FLIGHT_STATUSES,
    ...FAILED_STATUSES,
    ...STOPPED_STATUSES,
];

/** Statuses a user may list in `targetStatuses`: running or completed states, never failures or stops. */
export const TARGETABLE_STATUSES: readonly string[] = [
    "FULL_TRANSFER_COMPLETE",
    "INCRE_TRANSFER_STARTED",
    "CHILD_TRANSFER_STARTED",
    "CHILD_TRANSFER_COMPLETE",
];

/** The default target: incremental replication is running. */
export const DEFAULT_TARGET_STATUSES: readonly string[] = ["INCRE_TRANSFER_STARTED"];

/** The status from which `batch-starting` may start a job. */
export const STARTABLE_STATUS = "CONFIGURATION";

const has = (list: readonly string[], status: string): boolean => list.includes(status);

/**
 * Classifies a job status. Targets win over every other family, so a user who
 * targets FULL_TRANSFER_COMPLETE (full-only jobs) gets "target" for it.
 */
export function jobStatusFamily(status: string, targets: readonly string[] = DEFAULT_TARGET_STATUSES): JobStatusFamily {
    if (has(targets, status)) return "target";
    if (has(NOT_STARTED_STATUSES, status)) return "notStarted";
    if (status === SCHEDULED_STATUS) return "scheduled";
    if (has(IN_FLIGHT_STATUSES, status)) return "inFlight";
    if (has(FAILED_STATUSES, status)) return "failed";
    if (has(STOPPED_STATUSES, status)) return "stopped";
    return "unknown";
}
