/**
 * DRS job statuses grouped into the families the provider acts on.
 *
 * The vocabulary is the one of `batch-status` and the tenant job list: the
 * OTC pages plus what the vendors' SDKs and Terraform code add (see
 * shared/drs-api). Which statuses count as "reached" is an input of the
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
    /** DRS's own maintenance of a running job (node rebuild or upgrade, job change): it returns to replication by itself. */
    | "recovering"
    /** One of the target statuses, or a later step of the same progression: the job runs as wanted. */
    | "target"
    /** A failure status (any `*_FAILED`): the job needs an operator. */
    | "failed"
    /** Paused by an operator: it will not move on until resumed. */
    | "paused"
    /** Being stopped or stopped (resources released): the job will never run again. */
    | "stopped"
    /** Deleted in DRS (`DELETED`, or an answer without a status): as if DRS no longer listed the job. */
    | "gone"
    /** A status this provider does not know (a newer API): waited on, and reported by name. */
    | "unknown";

/** Statuses of a job that has not been started. */
export const NOT_STARTED_STATUSES = ["CREATING", "CONFIGURATION"] as const;

/** The status of a job whose start is scheduled for later. */
export const SCHEDULED_STATUS = "WAITING_FOR_START";

/** Statuses of a job that is starting, transferring or replicating (targets win over this list). */
export const IN_FLIGHT_STATUSES = ["STARTJOBING", "FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED", "CHILD_TRANSFER_STARTING", "CHILD_TRANSFER_STARTED", "CHILD_TRANSFER_COMPLETE", "NODE_UPGRADE_COMPLETE"] as const;

/**
 * DRS's own maintenance of a running job, which ends by itself in the
 * status the job had: node fault recovery (`REBUILD_NODE_STARTED`), node
 * upgrade (`NODE_UPGRADE_START`) and a change of the job's configuration
 * (`CHANGE_JOB_STARTED`), as the vendor SDKs' status enums describe them.
 * Their `*_FAILED` outcomes are failures: an operator has to act.
 */
export const RECOVERING_STATUSES = ["REBUILD_NODE_STARTED", "NODE_UPGRADE_START", "CHANGE_JOB_STARTED"] as const;

/** Statuses that mean the job failed. Any other `*_FAILED` status counts as failed too. */
export const FAILED_STATUSES = ["CREATE_FAILED", "START_JOB_FAILED", "FULL_TRANSFER_FAILED", "INCRE_TRANSFER_FAILED", "RELEASE_RESOURCE_FAILED", "CHANGE_JOB_FAILED", "CHILD_TRANSFER_FAILED", "REBUILD_NODE_FAILED", "NODE_UPGRADE_FAILED"] as const;

/** A paused job: the SDKs spell it `PAUSING`, the OTC pages `PAUSEING`. */
export const PAUSED_STATUSES = ["PAUSING", "PAUSEING"] as const;

/** Statuses of a job that is being stopped or is stopped. */
export const STOPPED_STATUSES = ["RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_COMPLETE", "RELEASE_CHILD_TRANSFER_STARTED", "RELEASE_CHILD_TRANSFER_COMPLETE"] as const;

/** The status of a job deleted in DRS. */
export const DELETED_STATUS = "DELETED";

/** Every status the DRS v3 pages and the vendors' SDKs name. */
export const KNOWN_STATUSES: readonly string[] = [...NOT_STARTED_STATUSES, SCHEDULED_STATUS, ...IN_FLIGHT_STATUSES, ...RECOVERING_STATUSES, ...FAILED_STATUSES, ...PAUSED_STATUSES, ...STOPPED_STATUSES, DELETED_STATUS];

/** Statuses a user may list in `targetStatuses`: running or completed states, never failures or stops. */
export const TARGETABLE_STATUSES: readonly string[] = ["FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED", "CHILD_TRANSFER_STARTED", "CHILD_TRANSFER_COMPLETE"];

/** The default target: incremental replication is running. */
export const DEFAULT_TARGET_STATUSES: readonly string[] = ["INCRE_TRANSFER_STARTED"];

/**
 * Milestones users wait for, in words: each stands for the first status of
 * the progression that reaches it. `scheduled` is the earliest: DRS accepted
 * a start with a `startTime` and waits for it (`WAITING_FOR_START`).
 */
export type WaitFor = "scheduled" | "transferStarted" | "fullTransferComplete" | "replicating";

/**
 * The target status of each {@link WaitFor} milestone. Later steps satisfy
 * it too: an incremental-only job that goes straight to replication has
 * "started its transfer".
 */
export const WAIT_FOR_TARGETS: Readonly<Record<WaitFor, string>> = {
    scheduled: SCHEDULED_STATUS,
    transferStarted: "FULL_TRANSFER_STARTED",
    fullTransferComplete: "FULL_TRANSFER_COMPLETE",
    replicating: "INCRE_TRANSFER_STARTED",
};

/** The status from which `batch-starting` may start a job. */
export const STARTABLE_STATUS = "CONFIGURATION";

/**
 * The normal progressions of a job, step by step. A later step satisfies a
 * target set on an earlier one: a job already replicating has completed its
 * full transfer, and a job that left `WAITING_FOR_START` for a transfer has
 * been scheduled. A node upgrade that completed leaves the job replicating.
 */
const PROGRESSIONS: readonly (readonly (readonly string[])[])[] = [
    [[SCHEDULED_STATUS], ["STARTJOBING"], ["FULL_TRANSFER_STARTED"], ["FULL_TRANSFER_COMPLETE"], ["INCRE_TRANSFER_STARTED", "NODE_UPGRADE_COMPLETE"]],
    [[SCHEDULED_STATUS], ["CHILD_TRANSFER_STARTING"], ["CHILD_TRANSFER_STARTED"], ["CHILD_TRANSFER_COMPLETE"]],
];

const has = (list: readonly string[], status: string): boolean => list.includes(status);

/** True when `status` is one of `targets` or a later step of the same progression as one of them. */
export function satisfiesTargets(status: string, targets: readonly string[]): boolean {
    if (has(targets, status)) return true;
    for (const steps of PROGRESSIONS) {
        const rank = steps.findIndex((step) => has(step, status));
        if (rank < 0) continue;
        if (
            targets.some((t) => {
                const targetRank = steps.findIndex((step) => has(step, t));
                return targetRank >= 0 && rank >= targetRank;
            })
        )
            return true;
    }
    return false;
}

/**
 * Classifies a job status. Targets (and later steps of their progression)
 * win over every other family, so a user who targets FULL_TRANSFER_COMPLETE
 * (full-only jobs) gets "target" for it and for INCRE_TRANSFER_STARTED.
 */
export function jobStatusFamily(status: string, targets: readonly string[] = DEFAULT_TARGET_STATUSES): JobStatusFamily {
    let known = familiesByTargets.get(targets);
    if (!known) {
        known = new Map();
        familiesByTargets.set(targets, known);
    }
    let family = known.get(status);
    if (family === undefined) {
        family = classify(status, targets);
        known.set(status, family);
    }
    return family;
}

/**
 * The families already worked out, per targets list (a resource's own list
 * lives as long as its wait) and status: a wait classifies each status it
 * sees on every look, and the answer never changes.
 */
const familiesByTargets = new WeakMap<readonly string[], Map<string, JobStatusFamily>>();

function classify(status: string, targets: readonly string[]): JobStatusFamily {
    if (satisfiesTargets(status, targets)) return "target";
    if (has(NOT_STARTED_STATUSES, status)) return "notStarted";
    if (status === SCHEDULED_STATUS) return "scheduled";
    if (has(IN_FLIGHT_STATUSES, status)) return "inFlight";
    if (has(RECOVERING_STATUSES, status)) return "recovering";
    if (has(FAILED_STATUSES, status) || status.endsWith("_FAILED")) return "failed";
    if (has(PAUSED_STATUSES, status)) return "paused";
    if (has(STOPPED_STATUSES, status)) return "stopped";
    // An empty status: DRS answered for the job without one (it does not exist or was deleted).
    if (status === DELETED_STATUS || status === "") return "gone";
    return "unknown";
}

/** Families a job never leaves by waiting: a wait ends on them, and `up` fails with the family's action. */
export const DEAD_END_FAMILIES: readonly JobStatusFamily[] = ["failed", "paused", "stopped"];

/** True for {@link DEAD_END_FAMILIES}. */
export function isDeadEnd(family: JobStatusFamily): boolean {
    return DEAD_END_FAMILIES.includes(family);
}
