import type { DeleteType, PauseMode } from "./jobs/lifecycleCalls";
import { jobStatusFamily, type JobStatusFamily, PAUSED_STATUSES, SCHEDULED_STATUS, STARTABLE_STATUS, STOPPED_STATUSES } from "./wait/jobStatusFamily";

/**
 * The one place that decides what `pulumi up` does with a job: the observed
 * status (and DRS's available actions) against the declared run state.
 * Pure: no call, no clock. `ensureRunning` carries the decision out, `diff`
 * and `read` use it to tell drift, `pulumi-drs doctor` prints it, and
 * docs/statuses.md lists it row by row (tests/unit/statusTable.test.ts).
 */

/** The declared run state of a job: replicating (the default) or paused. */
export type RunState = "running" | "paused";
/** The values of {@link RunState}. */
export const RUN_STATES: readonly RunState[] = ["running", "paused"];
/** The values of {@link PauseMode}. */
export const PAUSE_MODES: readonly PauseMode[] = ["target", "all"];
/** What destroying the resource does to the job: nothing, stop it for good, or stop and delete it. */
export type DeletePolicy = "leave" | "stop" | "delete";
/** The values of {@link DeletePolicy}. */
export const DELETE_POLICIES: readonly DeletePolicy[] = ["leave", "stop", "delete"];

/** What the user declared that the decision reads. Absent members take their defaults. */
export interface Declaration {
    /** Default `running`. */
    readonly runState?: RunState;
    /** Default `target`. */
    readonly pauseMode?: PauseMode;
    /** Default false. */
    readonly retryFailed?: boolean;
    /** The statuses that count as running (from `waitFor` or `targetStatuses`). */
    readonly targetStatuses: readonly string[];
}

/** The job as DRS showed it; undefined when DRS does not list it. */
export interface ObservedJob {
    readonly status: string;
    /** `job_action.available_actions`, where DRS reported them. */
    readonly availableActions?: readonly string[];
    /** `job_action.current_action`, where DRS reported it. */
    readonly currentAction?: string;
}

/** What `up` does with the job. */
export type RunAction =
    /** batch-starting, then wait for the targets. */
    | "start"
    /** batch-retry-task on a paused job, then wait for the targets. */
    | "resume"
    /** batch-retry-task on a failed job (retryFailed), then wait for the targets. */
    | "retry"
    /** batch-pause-task, then wait until DRS shows the job paused. */
    | "pause"
    /** No call: wait for the targets. */
    | "wait"
    /** No call, no wait: the job is as declared. */
    | "none"
    /** No call: `runState: paused` keeps a job that was never started from starting. */
    | "hold"
    /** No call: `up` fails with {@link RunDecision.summary} and {@link RunDecision.fix}. */
    | "refuse";

/** Why a refused job is refused (picks the wording and whether state is kept). */
export type RefusalKind = "notFound" | "notConfigured" | "startNotOffered" | "failed" | "paused" | "stopped" | "notPausable";

/** Why a refused job is refused, and what the user does about it. */
export interface RunRefusal {
    readonly kind: RefusalKind;
    readonly summary: string;
    readonly fix: string;
}

/** What {@link decideRun} decided. */
export type RunDecision = {
    /** The status family the decision was made on. */
    readonly family: JobStatusFamily;
    /** The DRS call the action makes, if any. */
    readonly call?: "batch-starting" | "batch-retry-task" | "batch-pause-task";
    /** What the wait after the call (or instead of it) ends on: the declared targets, or the paused status. */
    readonly waitFor?: "targets" | "paused";
    /** One line for plans and the doctor: what `pulumi up` does. */
    readonly plan: string;
} & (
    | { readonly action: Exclude<RunAction, "refuse">; readonly refusal?: undefined }
    /** `up` fails: why, and what the user does about it. */
    | { readonly action: "refuse"; readonly refusal: RunRefusal }
);

/** The `job_action.available_actions` entry that allows batch-starting. */
export const START_ACTION = "START";

/** Statuses from which DRS pauses a job (OTC API page; its failed ones are left to retryFailed). */
export const PAUSABLE_STATUSES: readonly string[] = ["FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED"];

/** Failed statuses that batch-retry-task retries (OTC manual), and so `retryFailed` acts on. */
export const RETRIABLE_STATUSES: readonly string[] = ["FULL_TRANSFER_FAILED", "INCRE_TRANSFER_FAILED"];

/** What the user does about a job in a family it never leaves by waiting. */
export const DEAD_END_ACTIONS: Readonly<Record<"failed" | "paused" | "stopped", string>> = {
    failed: "Fix the cause shown by DRS (job details and logs in the DRS console) and retry or reset the job there (or set retryFailed: true to have pulumi up retry it once), then run pulumi up --refresh.",
    paused: "The job was paused in DRS: run pulumi up again to resume it (batch-retry-task), or set runState: paused to keep it paused.",
    stopped: "The job was stopped and its resources released: it cannot run again. Create a new DRS job and point jobId at it.",
};

/** " DRS allows: A, B." when DRS reported the job's available actions. */
export function allowedActions(actions?: readonly string[]): string {
    if (!actions) return "";
    return actions.length > 0 ? ` DRS allows: ${actions.join(", ")}.` : " DRS allows no action on it now.";
}

function refuse(family: JobStatusFamily, kind: RefusalKind, summary: string, fix: string): RunDecision {
    return { action: "refuse", family, plan: `fails: ${summary}`, refusal: { kind, summary, fix } };
}

/**
 * Decides what `pulumi up` does with a job DRS shows as `observed`, given
 * what the resource declares. Every lifecycle call is made at most once
 * per `up`: a failed job is retried once (retryFailed), a paused one resumed
 * once, never in a loop.
 */
export function decideRun(observed: ObservedJob | undefined, declared: Declaration): RunDecision {
    const targets = declared.targetStatuses;
    const wanted = targets.join(" or ");
    const family: JobStatusFamily = observed ? jobStatusFamily(observed.status, targets) : "gone";
    const paused = declared.runState === "paused";
    if (!observed || family === "gone") {
        return refuse(family, "notFound", observed?.status ? "was deleted in DRS" : "not found", "Check jobId, projectId, region/endpoint and dbUseType; if the job was deleted, point jobId at an existing job. Nothing was started.");
    }
    const { status, availableActions } = observed;
    switch (family) {
        case "notStarted": {
            if (paused) return { action: "hold", family, plan: "holds it: nothing is started while runState is paused" };
            if (status !== STARTABLE_STATUS) {
                return refuse(family, "notConfigured", "is not fully configured yet", `Finish configuring the job in DRS (it must be ${STARTABLE_STATUS}), then run pulumi up again.${allowedActions(availableActions)}`);
            }
            if (availableActions && !availableActions.includes(START_ACTION)) {
                return refuse(
                    family,
                    "startNotOffered",
                    `cannot be started now: DRS does not offer ${START_ACTION} for it`,
                    `Finish what DRS is doing with the job${observed.currentAction ? ` (current action ${observed.currentAction})` : ""}, then run pulumi up again.${allowedActions(availableActions)}`,
                );
            }
            return { action: "start", family, call: "batch-starting", waitFor: "targets", plan: `starts it (batch-starting), then waits for ${wanted}` };
        }
        case "failed": {
            if (!paused && declared.retryFailed && RETRIABLE_STATUSES.includes(status)) {
                return { action: "retry", family, call: "batch-retry-task", waitFor: "targets", plan: `retries it once (batch-retry-task, retryFailed), then waits for ${wanted}` };
            }
            const why = declared.retryFailed && !paused ? ` (retryFailed retries only ${RETRIABLE_STATUSES.join(" and ")})` : "";
            return refuse(family, "failed", `has failed in DRS and cannot reach ${paused ? "a pause" : wanted}${why}`, DEAD_END_ACTIONS.failed + allowedActions(availableActions));
        }
        case "stopped":
            return refuse(family, "stopped", `was stopped in DRS and cannot reach ${paused ? "a pause" : wanted}`, DEAD_END_ACTIONS.stopped + allowedActions(availableActions));
        case "paused":
            if (paused) return { action: "none", family, plan: "none: paused as declared" };
            return { action: "resume", family, call: "batch-retry-task", waitFor: "targets", plan: `resumes it (batch-retry-task), then waits for ${wanted}` };
        default:
            break;
    }
    if (paused) {
        if (PAUSABLE_STATUSES.includes(status)) {
            return { action: "pause", family, call: "batch-pause-task", waitFor: "paused", plan: `pauses it (batch-pause-task, pauseMode ${declared.pauseMode ?? "target"}), then waits for ${PAUSED_STATUSES.join(" or ")}` };
        }
        const when = status === SCHEDULED_STATUS ? "its scheduled start is still ahead" : `DRS pauses a job only in ${PAUSABLE_STATUSES.join(", ")}`;
        return refuse(family, "notPausable", `cannot be paused in status ${status}: ${when}`, `Run pulumi up again once the job transfers (FULL_TRANSFER_STARTED or later), or set runState: running.${allowedActions(availableActions)}`);
    }
    if (family === "target") return { action: "none", family, plan: "none: runs as declared" };
    // scheduled, in flight, recovering, unknown: the job moves on by itself.
    const note = family === "unknown" ? `, a status pulumi-drs does not know` : "";
    return { action: "wait", family, waitFor: "targets", plan: `waits for ${wanted}${note}` };
}

/** Actions after which the job is as declared: no update is needed. */
export function isSettled(decision: RunDecision): boolean {
    return decision.action === "none" || decision.action === "hold";
}

/** One step of ending a job on destroy. */
export type EndStep =
    /** `DELETE .../jobs/batch-jobs` with this `delete_type`. */
    | { readonly kind: "call"; readonly deleteType: DeleteType }
    /** Wait until the job is stopped (`RELEASE_RESOURCE_COMPLETE`), or gone (after a delete). */
    | { readonly kind: "wait"; readonly until: "stopped" | "gone" };

/** What {@link decideEnd} decided for a destroy. */
export interface EndDecision {
    /** `none`: nothing to do (leave, or already stopped/gone); `end`: run {@link EndDecision.steps}; `refuse`: the destroy fails. */
    readonly action: "none" | "end" | "refuse";
    readonly steps: readonly EndStep[];
    /** What the destroy does, in words. */
    readonly plan: string;
    /** For `refuse`: why and what to do. */
    readonly refusal?: { readonly summary: string; readonly fix: string };
}

/** Statuses of a job whose stop finished: it can be deleted, never resumed. */
export const STOPPED_COMPLETE_STATUSES: readonly string[] = ["RELEASE_RESOURCE_COMPLETE", "RELEASE_CHILD_TRANSFER_COMPLETE"];
/** Statuses of a stop that failed. */
export const STOP_FAILED_STATUSES: readonly string[] = ["RELEASE_RESOURCE_FAILED"];
/** The one failed status DRS deletes without a stop (a job whose creation failed never ran). */
const DELETABLE_FAILED = "CREATE_FAILED";

/**
 * Decides what destroying the resource does to a job DRS shows in `status`
 * (undefined: DRS does not list it). `leave` calls nothing; `stop`
 * terminates and waits for `RELEASE_RESOURCE_COMPLETE`; `delete`
 * force-terminates, waits, then deletes and waits until the job is gone.
 * A job already stopped (for stop), deleted or not found is done.
 */
export function decideEnd(status: string | undefined, policy: DeletePolicy): EndDecision {
    if (policy === "leave") return { action: "none", steps: [], plan: "leaves the job as it is (deletePolicy leave)" };
    const family: JobStatusFamily = status === undefined ? "gone" : jobStatusFamily(status, []);
    if (family === "gone") return { action: "none", steps: [], plan: "nothing: DRS no longer lists the job" };
    const s = status as string;
    if (STOP_FAILED_STATUSES.includes(s)) {
        return {
            action: "refuse",
            steps: [],
            plan: `fails: the job's stop failed in DRS (${s})`,
            refusal: {
                summary: `cannot be ${policy === "stop" ? "stopped" : "deleted"}: a stop already failed in DRS`,
                fix: "Look at the job in the DRS console (its stop failed: contact support with the job id if it stays so), then run pulumi destroy again; or set deletePolicy: leave to drop the resource without ending the job.",
            },
        };
    }
    const stopped = STOPPED_COMPLETE_STATUSES.includes(s);
    const stopping = (STOPPED_STATUSES as readonly string[]).includes(s) && !stopped;
    if (policy === "stop") {
        if (stopped) return { action: "none", steps: [], plan: `nothing: already stopped (${s})` };
        if (stopping) return { action: "end", steps: [{ kind: "wait", until: "stopped" }], plan: "waits for the stop under way (RELEASE_RESOURCE_COMPLETE)" };
        return {
            action: "end",
            steps: [
                { kind: "call", deleteType: "terminate" },
                { kind: "wait", until: "stopped" },
            ],
            plan: "stops it for good (batch-jobs terminate), then waits for RELEASE_RESOURCE_COMPLETE",
        };
    }
    const remove: EndStep[] = [
        { kind: "call", deleteType: "delete" },
        { kind: "wait", until: "gone" },
    ];
    if (stopped || s === DELETABLE_FAILED) return { action: "end", steps: remove, plan: "deletes it (batch-jobs delete), then waits until DRS no longer lists it" };
    if (stopping) return { action: "end", steps: [{ kind: "wait", until: "stopped" }, ...remove], plan: "waits for the stop under way, deletes it (batch-jobs delete), then waits until it is gone" };
    return {
        action: "end",
        steps: [{ kind: "call", deleteType: "force_terminate" }, { kind: "wait", until: "stopped" }, ...remove],
        plan: "stops it by force (batch-jobs force_terminate), waits for RELEASE_RESOURCE_COMPLETE, deletes it (batch-jobs delete), then waits until it is gone",
    };
}
