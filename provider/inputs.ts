import type { DbUseType, PhaseProgress } from "./drs/wire";
import type { WaitFor } from "./wait/jobStatusFamily";
import type { Cloud } from "./settings";
import type { DeletePolicy, RunState } from "./runDecision";
import type { PauseMode } from "./jobs/lifecycleCalls";

/** Inputs of a DrsJobStart as the provider receives them (plain values). */
export interface DrsJobStartInputs {
    /** DRS job id, e.g. `140b5236-88ad-43c8-811c-1268453jb101`; set this or `jobName`. */
    readonly jobId?: string;
    /** The job's name in DRS, matched exactly; set this or `jobId`. Resolved to the id once, at create. */
    readonly jobName?: string;
    /** Project (32 hex chars); default `drs:projectId`, else `OS_PROJECT_ID`. */
    readonly projectId?: string;
    /** Region such as `eu-de`; default `drs:region`, else `OS_REGION_NAME`. */
    readonly region?: string;
    /** `otc` (default) or `huaweicloud`: which cloud's endpoint templates apply; default `drs:cloud`, else `DRS_CLOUD`. */
    readonly cloud?: Cloud;
    /** DRS base URL; default `drs:endpoint`, else `DRS_ENDPOINT`, else the region's endpoint on the cloud (`.sc.` for eu-ch2). */
    readonly endpoint?: string;
    /** Allow a plain-http endpoint that is not loopback (e.g. a test gateway); default false. */
    readonly allowInsecureEndpoint?: boolean;
    /** Scenario of the job; when absent, `read` searches all three. */
    readonly dbUseType?: DbUseType;
    /** Scheduled start: ms epoch or ISO 8601 string, in the future, at most 30 days ahead. */
    readonly startTime?: number | string;
    /** Milestone to wait for (`scheduled`, `transferStarted`, `fullTransferComplete`, `replicating`); default `replicating`. Excludes `targetStatuses`. */
    readonly waitFor?: WaitFor;
    /** Statuses that count as running; default from `waitFor` (`["INCRE_TRANSFER_STARTED"]`). */
    readonly targetStatuses?: readonly string[];
    /** Sent per job to batch-starting as `is_auto_create_compare`; absent = DRS's default (true: a comparison task is created). */
    readonly isAutoCreateCompare?: boolean;
    /** Give up waiting after this many seconds; default 3600. */
    readonly timeoutSeconds?: number;
    /** Seconds between status polls; default 10, at least 0.05. */
    readonly pollIntervalSeconds?: number;
    /** `running` (default) or `paused`: the state the job is kept in (pause: batch-pause-task; resume: batch-retry-task). */
    readonly runState?: RunState;
    /** How a pause stops the job: `target` (default: replay stops, log capture goes on) or `all`. */
    readonly pauseMode?: PauseMode;
    /** Retry a job in `FULL_TRANSFER_FAILED` / `INCRE_TRANSFER_FAILED` once per `up` (batch-retry-task); default false. */
    readonly retryFailed?: boolean;
    /** What destroying the resource does to the job: `leave` (default), `stop` (terminate) or `delete` (force_terminate, then delete). */
    readonly deletePolicy?: DeletePolicy;
    /** Set by `check`, not by users: the declared status, shown by the engine when a refresh finds drift (see `drift.ts`). */
    readonly jobStatus?: string;
}

/** Inputs after `check`: defaults applied, environment resolved, start time as ms epoch. */
export interface CheckedInputs {
    readonly jobId: string;
    /** The name the job was found by, when it was given by name. */
    readonly jobName?: string;
    readonly projectId: string;
    readonly region?: string;
    readonly cloud?: Cloud;
    readonly endpoint: string;
    readonly allowInsecureEndpoint?: boolean;
    readonly dbUseType?: DbUseType;
    readonly startTime?: number;
    readonly waitFor?: WaitFor;
    readonly targetStatuses: readonly string[];
    readonly isAutoCreateCompare?: boolean;
    readonly timeoutSeconds: number;
    readonly pollIntervalSeconds: number;
    readonly runState?: RunState;
    readonly pauseMode?: PauseMode;
    readonly retryFailed?: boolean;
    readonly deletePolicy?: DeletePolicy;
}

/** Inputs after `check`, before a `jobName` is resolved: the id is known only when it was given. */
export type CheckedRequest = Omit<CheckedInputs, "jobId"> & { readonly jobId?: string };

/** What the provider learned about the job. */
export interface JobState {
    /** Current DRS status. */
    readonly status: string;
    /** Job name in DRS. */
    readonly name?: string;
    /** `FULL_TRANS`, `INCR_TRANS` or `FULL_INCR_TRANS`. */
    readonly taskMode?: string;
    /** Full transfer progress, 0..100. */
    readonly progress?: number;
    /** Incremental replication delay in seconds (absent when n/a). */
    readonly increTransDelaySeconds?: number;
    /** Incremental replication delay in milliseconds, where DRS reports it. */
    readonly increTransDelayMillis?: number;
    /** DRS's estimate of the remaining time, as DRS reports it. */
    readonly remainingTime?: string;
    /** Full transfer progress per phase (structure, data, index), 0..100 each. */
    readonly phaseProgress?: PhaseProgress;
    /** What DRS allows on the job (`job_action.available_actions`): read on adoption and refresh, absent right after a start. */
    readonly availableActions?: readonly string[];
    /** The action DRS is running on the job (`job_action.current_action`). */
    readonly currentAction?: string;
    /** DRS error code of a failed job. */
    readonly errorCode?: string;
    /** DRS error message of a failed job. */
    readonly errorMessage?: string;
    /** ISO time at which this resource called batch-starting; absent for adopted jobs. */
    readonly startedAt?: string;
    /** ISO time since which the job has been in `status`, as far as this resource saw it (the grace of DRS's maintenance counts from it). */
    readonly statusSince?: string;
    /** ISO time at which this resource paused the job, or first saw it paused; absent while it is not paused. */
    readonly pausedAt?: string;
    /** True when `runState: paused` held back a job never started (nothing was started); absent otherwise. */
    readonly held?: boolean;
}

/** Outputs of a DrsJobStart: the checked inputs plus the job's state. */
export interface DrsJobStartOutputs extends CheckedInputs, JobState {}

/** Default for `timeoutSeconds`. */
export const DEFAULT_TIMEOUT_SECONDS = 3600;
/** Default for `pollIntervalSeconds`. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 10;
/** Smallest allowed `pollIntervalSeconds`. */
export const MIN_POLL_INTERVAL_SECONDS = 0.05;
/** Largest allowed `timeoutSeconds` (7 days). */
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;
/** Largest allowed `pollIntervalSeconds`. */
export const MAX_POLL_INTERVAL_SECONDS = 3600;
/** How far ahead a scheduled start may be (DRS accepts up to a few days; we allow 30). */
export const MAX_START_AHEAD_MS = 30 * 24 * 3600_000;
