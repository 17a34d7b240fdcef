/**
 * The emulator's DRS jobs and their lifecycle:
 * CONFIGURATION → STARTJOBING → FULL_TRANSFER_STARTED → FULL_TRANSFER_COMPLETE
 * → INCRE_TRANSFER_STARTED, driven by elapsed time (computed on access, no timers);
 * and the lifecycle calls: pause (→ PAUSING), resume/retry (back to the
 * transfer), stop (→ RELEASE_RESOURCE_STARTED → RELEASE_RESOURCE_COMPLETE)
 * and delete (see lifecycleRules.ts for which status allows which call).
 */

import type { GoneJob } from "./deletedJobs";
import {
    DELETABLE_FROM,
    DELETED_STATUS,
    type DeletedListingAnswer,
    type EmulatedDeleteType,
    type EmulatedPauseMode,
    FAILED_FROM,
    isPaused,
    type JobCall,
    type JobCallResult,
    notPausable,
    PAUSABLE_FROM,
    type PausedStatusAnswer,
    REFUSED,
    RETRY_TO,
    SUCCESS,
    UNSTOPPABLE,
    wrongStatus,
} from "./lifecycleRules";

/** Task modes of a DRS job. */
export type TaskMode = "FULL_TRANS" | "INCR_TRANS" | "FULL_INCR_TRANS";

/** How long each lifecycle phase lasts, in milliseconds. */
export interface LifecycleTimings {
    readonly startingMs: number;
    readonly fullTransferMs: number;
    readonly fullCompleteMs: number;
    /** RELEASE_RESOURCE_STARTED → RELEASE_RESOURCE_COMPLETE after a stop. */
    readonly releaseMs: number;
}

/** Timings of `npm run emulator`: a job replicates about 6 s after its start; a stop takes 2 s. */
export const DEMO_TIMINGS: LifecycleTimings = { startingMs: 1000, fullTransferMs: 4000, fullCompleteMs: 1000, releaseMs: 2000 };

/** Makes a job fail once it has spent `afterMs` in `phase`. */
export interface FailurePlan {
    /** STARTJOBING, FULL_TRANSFER_STARTED or INCRE_TRANSFER_STARTED. */
    readonly phase: "STARTJOBING" | "FULL_TRANSFER_STARTED" | "INCRE_TRANSFER_STARTED";
    readonly errorCode: string;
    readonly errorMessage: string;
    /** Time in the phase before failing; default: the phase's duration (0 for incremental). */
    readonly afterMs?: number;
}

/** A job to seed. Only `id` is required. */
export interface JobSpec {
    readonly id: string;
    readonly name?: string;
    /** Default: the emulator's project. */
    readonly projectId?: string;
    readonly dbUseType?: "migration" | "sync" | "cloudDataGuard";
    /** Default CONFIGURATION. */
    readonly status?: string;
    readonly taskMode?: TaskMode;
    readonly engineType?: string;
    /** Fail during the lifecycle. */
    readonly failAt?: FailurePlan;
    /** batch-starting answers `failed` with this code and message. */
    readonly startFailure?: { readonly errorCode: string; readonly errorMessage: string };
    /** Replication delay reported once incremental (seconds). */
    readonly increDelaySeconds?: number;
    /** This job's full transfer duration, instead of the emulator's timing (benchmarks spread jobs out). */
    readonly fullTransferMs?: number;
    readonly errorCode?: string;
    readonly errorMessage?: string;
    /** The list entry's `job_action.available_actions`, instead of the emulator's own per status; `null` leaves `job_action` out. */
    readonly availableActions?: readonly string[] | null;
    /** False: an engine pair DRS cannot pause; batch-pause-task refuses the job (default true). */
    readonly pausable?: boolean;
    /** A stop ends in RELEASE_RESOURCE_FAILED with this code and message instead of RELEASE_RESOURCE_COMPLETE. */
    readonly releaseFailure?: { readonly errorCode: string; readonly errorMessage: string };
    /** After the next accepted retry the job fails again by this plan (default: a retried job replicates). */
    readonly failAfterRetry?: FailurePlan;
}

/** A job as the emulator keeps it. */
export interface EmulatedJob {
    readonly id: string;
    name: string;
    readonly projectId: string;
    readonly dbUseType: "migration" | "sync" | "cloudDataGuard";
    status: string;
    readonly taskMode: TaskMode;
    readonly engineType: string;
    readonly createTime: string;
    /** When the current status was entered (ms epoch). */
    since: number;
    /** Scheduled start (ms epoch) while WAITING_FOR_START. */
    startAt?: number;
    failAt?: FailurePlan;
    startFailure?: { readonly errorCode: string; readonly errorMessage: string };
    increDelaySeconds: number;
    readonly fullTransferMs?: number;
    errorCode?: string;
    errorMessage?: string;
    /** How many times batch-starting accepted this job. */
    starts: number;
    /** Another actor's move at the next start request (see {@link JobStore.actAsOther}). */
    otherActor?: OtherActor;
    /** `is_auto_create_compare` of the accepted start (DRS's default true when the request left it out). */
    autoCreateCompare?: boolean;
    availableActions?: readonly string[] | null;
    readonly pausable: boolean;
    releaseFailure?: { readonly errorCode: string; readonly errorMessage: string };
    failAfterRetry?: FailurePlan;
    /** Refusals queued for the job's next lifecycle calls (see {@link JobStore.actAsOther}). */
    refusals: Partial<Record<Exclude<JobCall, "start">, { kind: "busy" | "throttles"; times: number }>>;
    /** While paused: the status it was paused in, the time it had spent there, its progress, and the mode. */
    paused?: { readonly from: string; readonly elapsedMs: number; readonly progress: number; readonly mode: EmulatedPauseMode; readonly at: number };
    /** How many times batch-pause-task accepted this job. */
    pauses: number;
    /** How many times batch-retry-task accepted this job (resumes and retries). */
    retries: number;
    /** How many stops (`terminate`, `force_terminate`) were accepted for this job. */
    stops: number;
}

const FAILED_STATUS: Record<FailurePlan["phase"], string> = {
    STARTJOBING: "START_JOB_FAILED",
    FULL_TRANSFER_STARTED: "FULL_TRANSFER_FAILED",
    INCRE_TRANSFER_STARTED: "INCRE_TRANSFER_FAILED",
};

/**
 * Another actor on a job (a second stack, a pipeline, the DRS console), as
 * DRS's answers show it at the next start request: `startsFirst` starts the
 * job a moment before it (that request is refused with `DRS.M01504`, as
 * DRS answers a start racing another operation); `busy` refuses the next
 * `times` requests of `call` (default `start`) for the job with
 * `DRS.M01504` while the job stays put; `throttles` likewise with
 * `DRS.M01503` (operation too frequent).
 */
export type OtherActor = { readonly kind: "startsFirst" } | { readonly kind: "busy" | "throttles"; times: number; readonly call?: JobCall };

/**
 * What another actor (the DRS console, a script) does to a job at once,
 * through the same rules as the API (`POST /__emulator/jobs/{id}/actions`):
 * pause, resume, stop (`force`: force_terminate), delete, or make the job
 * fail in its current phase with a code and message.
 */
export type ConsoleAction =
    | { readonly action: "pause"; readonly pauseMode?: EmulatedPauseMode }
    | { readonly action: "resume" }
    | { readonly action: "stop"; readonly force?: boolean }
    | { readonly action: "delete" }
    | { readonly action: "fail"; readonly errorCode?: string; readonly errorMessage?: string };

/** Jobs by id, advanced lazily on every access. */
export class JobStore {
    readonly #jobs = new Map<string, EmulatedJob>();
    readonly #deleted = new Set<string>();
    /** How a paused job's status is spelled from the next pause on. */
    pausedStatus: PausedStatusAnswer = "PAUSING";
    /** Whether a deleted job vanishes or stays listed as `DELETED`, from the next delete on. */
    deletedListing: DeletedListingAnswer = "vanishes";

    constructor(
        readonly defaultProjectId: string,
        public timings: LifecycleTimings,
        private readonly now: () => number,
    ) {}

    /** Adds or replaces a job. */
    seed(spec: JobSpec): EmulatedJob {
        const now = this.now();
        const job: EmulatedJob = {
            id: spec.id,
            name: spec.name ?? `DRS-${spec.id.slice(0, 4)}`,
            projectId: spec.projectId ?? this.defaultProjectId,
            dbUseType: spec.dbUseType ?? "migration",
            status: spec.status ?? "CONFIGURATION",
            taskMode: spec.taskMode ?? "FULL_INCR_TRANS",
            engineType: spec.engineType ?? "mysql",
            createTime: new Date(now).toISOString().replace("T", " ").slice(0, 19),
            since: now,
            failAt: spec.failAt,
            startFailure: spec.startFailure,
            increDelaySeconds: spec.increDelaySeconds ?? 0,
            fullTransferMs: spec.fullTransferMs,
            errorCode: spec.errorCode,
            errorMessage: spec.errorMessage,
            starts: 0,
            availableActions: spec.availableActions,
            pausable: spec.pausable ?? true,
            releaseFailure: spec.releaseFailure,
            failAfterRetry: spec.failAfterRetry,
            refusals: {},
            pauses: 0,
            retries: 0,
            stops: 0,
        };
        this.#jobs.set(job.id, job);
        this.#deleted.delete(job.id);
        return job;
    }

    /** The job, advanced to now; undefined when unknown (or in another project, when given). */
    get(id: string, projectId?: string): EmulatedJob | undefined {
        const job = this.#jobs.get(id);
        if (!job || (projectId !== undefined && job.projectId !== projectId)) return undefined;
        this.#advance(job);
        return job;
    }

    /** Every job of a project (all projects when omitted), advanced to now, oldest first. */
    list(projectId?: string): EmulatedJob[] {
        return [...this.#jobs.values()]
            .filter((j) => projectId === undefined || j.projectId === projectId)
            .map((j) => {
                this.#advance(j);
                return j;
            });
    }

    /** Removes a job (DRS then answers `DRS.M05004` for it); true when it existed. */
    delete(id: string): boolean {
        const existed = this.#jobs.delete(id);
        if (existed) this.#deleted.add(id);
        return existed;
    }

    /** DRS's code and message for a job it does not report: deleted (`DRS.M05004`) or never known (`DRS.M00289`). */
    gone(id: string): GoneJob {
        return this.#deleted.has(id) ? { id, errorCode: "DRS.M05004", errorMessage: "The job has been deleted." } : { id, errorCode: "DRS.M00289", errorMessage: "The job does not exist." };
    }

    /** DRS's code and message for a lifecycle call naming a job it does not report: deleted (`DRS.M05004`) or not found (`DRS.M05003`). */
    goneForAction(id: string): GoneJob {
        return this.#deleted.has(id) || this.#jobs.get(id)?.status === DELETED_STATUS
            ? { id, errorCode: "DRS.M05004", errorMessage: "The task has been deleted or its resources have been released." }
            : { id, errorCode: "DRS.M05003", errorMessage: "Task information not found." };
    }

    /** True when a lifecycle call naming `id` in `projectId` finds no job to act on (unknown, deleted, or listed as `DELETED`). */
    isGoneForAction(id: string, projectId: string): boolean {
        const job = this.get(id, projectId);
        return !job || job.status === DELETED_STATUS;
    }

    /** Plays another actor at the job's next request(s) of a call (test control; see {@link OtherActor}). */
    actAsOther(id: string, actor: OtherActor): EmulatedJob | undefined {
        const job = this.get(id);
        if (!job) return job;
        if (actor.kind === "startsFirst" || actor.call === undefined || actor.call === "start") job.otherActor = { ...actor };
        else job.refusals[actor.call] = { kind: actor.kind, times: actor.times };
        return job;
    }

    /** batch-pause-task for one job: the per-job result; the job shows {@link JobStore.pausedStatus} at once. */
    pause(id: string, projectId: string, mode: EmulatedPauseMode, byConsole = false): JobCallResult {
        const job = this.#actionable(id, projectId, byConsole ? undefined : "pause");
        if (!("id" in job)) return job;
        if (!PAUSABLE_FROM.has(job.status)) return wrongStatus(job.status);
        if (!job.pausable) return notPausable(job.engineType);
        const now = this.now();
        job.paused = { from: job.status, elapsedMs: now - job.since, progress: this.progress(job), mode, at: now };
        job.pauses++;
        this.#enter(job, this.pausedStatus, now);
        return SUCCESS;
    }

    /**
     * batch-retry-task for one job: a paused job resumes in the status it was
     * paused in (a transfer's time spent before the pause counts); a failed
     * one (FULL/INCRE_TRANSFER_FAILED, or paused while failed) goes back to
     * its transfer with its error cleared, failing again only by
     * `failAfterRetry`.
     */
    retry(id: string, projectId: string, byConsole = false): JobCallResult {
        const job = this.#actionable(id, projectId, byConsole ? undefined : "retry");
        if (!("id" in job)) return job;
        const now = this.now();
        if (isPaused(job.status) && job.paused) {
            const { from, elapsedMs } = job.paused;
            job.paused = undefined;
            if (RETRY_TO[from]) this.#retryFailed(job, from, now);
            else this.#enter(job, from, now - elapsedMs);
        } else if (RETRY_TO[job.status]) {
            this.#retryFailed(job, job.status, now);
        } else {
            return wrongStatus(job.status);
        }
        job.retries++;
        return SUCCESS;
    }

    /**
     * `DELETE batch-jobs` for one job: `terminate` / `force_terminate` stop it
     * (RELEASE_RESOURCE_STARTED, then COMPLETE or, by `releaseFailure`,
     * FAILED; only a forced stop retries a failed release); `delete` removes
     * a stopped (or never created) job: it vanishes, or stays listed as
     * `DELETED` (see {@link JobStore.deletedListing}).
     */
    end(id: string, projectId: string, deleteType: EmulatedDeleteType, byConsole = false): JobCallResult {
        const job = this.#actionable(id, projectId, byConsole ? undefined : "end");
        if (!("id" in job)) return job;
        if (deleteType === "delete") {
            if (!DELETABLE_FROM.has(job.status)) return wrongStatus(job.status);
            if (this.deletedListing === "vanishes") this.delete(job.id);
            else this.#enter(job, DELETED_STATUS, this.now());
            return SUCCESS;
        }
        const forcedRelease = deleteType === "force_terminate" && job.status === "RELEASE_RESOURCE_FAILED";
        if (UNSTOPPABLE.has(job.status) && !forcedRelease) return wrongStatus(job.status);
        job.paused = undefined;
        job.failAt = undefined;
        job.errorCode = undefined;
        job.errorMessage = undefined;
        job.stops++;
        this.#enter(job, "RELEASE_RESOURCE_STARTED", this.now());
        return SUCCESS;
    }

    /** Another actor's action on a job, through the API's rules but never refused by queued busy/throttle answers (see {@link ConsoleAction}). */
    act(id: string, action: ConsoleAction): JobCallResult {
        const job = this.get(id);
        if (!job) {
            const { errorCode, errorMessage } = this.goneForAction(id);
            return { status: "failed", errorCode, errorMessage };
        }
        switch (action.action) {
            case "pause":
                return this.pause(id, job.projectId, action.pauseMode ?? "target", true);
            case "resume":
                return this.retry(id, job.projectId, true);
            case "stop":
                return this.end(id, job.projectId, action.force ? "force_terminate" : "terminate", true);
            case "delete":
                return this.end(id, job.projectId, "delete", true);
            case "fail": {
                const from = isPaused(job.status) && job.paused ? job.paused.from : job.status;
                const failed = FAILED_FROM[from] ?? (RETRY_TO[from] ? from : undefined);
                if (!failed) return wrongStatus(job.status);
                job.paused = undefined;
                this.#enter(job, failed, this.now());
                job.errorCode = action.errorCode ?? "DRS.M03001";
                job.errorMessage = action.errorMessage ?? "The task failed.";
                return SUCCESS;
            }
        }
    }

    /**
     * The job a lifecycle call acts on, or the call's per-job refusal: gone
     * (`DRS.M05003` / `DRS.M05004`), or refused by a queued busy/throttle
     * answer for `call` (none when another actor acts).
     */
    #actionable(id: string, projectId: string, call: Exclude<JobCall, "start"> | undefined): EmulatedJob | JobCallResult {
        if (this.isGoneForAction(id, projectId)) {
            const { errorCode, errorMessage } = this.goneForAction(id);
            return { status: "failed", errorCode, errorMessage };
        }
        const job = this.get(id, projectId);
        if (!job) throw new Error(`emulator: job ${id} is neither gone nor known`);
        const refusal = call === undefined ? undefined : job.refusals[call];
        if (call !== undefined && refusal && refusal.times > 0) {
            if (--refusal.times === 0) delete job.refusals[call];
            return REFUSED[refusal.kind];
        }
        return job;
    }

    /** A failed transfer goes back to its start, error cleared; `failAfterRetry` becomes its failure plan. */
    #retryFailed(job: EmulatedJob, failedStatus: string, now: number): void {
        this.#enter(job, RETRY_TO[failedStatus], now);
        job.errorCode = undefined;
        job.errorMessage = undefined;
        job.failAt = job.failAfterRetry;
        job.failAfterRetry = undefined;
    }

    /** Forces a status (test control); lifecycle phases keep advancing from there. */
    setStatus(id: string, status: string, error?: { errorCode?: string; errorMessage?: string }): EmulatedJob | undefined {
        const job = this.get(id);
        if (!job) return undefined;
        this.#enter(job, status, this.now());
        job.errorCode = error?.errorCode;
        job.errorMessage = error?.errorMessage;
        return job;
    }

    /** batch-starting for one job: the per-job result. */
    start(id: string, projectId: string, startTime?: number, autoCreateCompare = true): { status: "success" | "failed"; errorCode?: string; errorMessage?: string } {
        const job = this.get(id, projectId);
        if (!job) {
            const { errorCode, errorMessage } = this.gone(id);
            return { status: "failed", errorCode, errorMessage };
        }
        if (job.status === DELETED_STATUS) {
            const { errorCode, errorMessage } = this.goneForAction(id);
            return { status: "failed", errorCode, errorMessage };
        }
        if (job.startFailure) return { status: "failed", ...job.startFailure };
        const other = job.otherActor;
        if (other?.kind === "startsFirst") {
            job.otherActor = undefined;
            this.#enter(job, "STARTJOBING", this.now());
            return REFUSED.busy;
        }
        if (other && other.times > 0) {
            if (--other.times === 0) job.otherActor = undefined;
            return REFUSED[other.kind];
        }
        if (job.status !== "CONFIGURATION") {
            return { status: "failed", errorCode: "DRS.M00304", errorMessage: `This API cannot be called in the current task status (${job.status}).` };
        }
        const now = this.now();
        job.starts++;
        job.autoCreateCompare = autoCreateCompare;
        if (startTime !== undefined && startTime > now) {
            this.#enter(job, "WAITING_FOR_START", now);
            job.startAt = startTime;
        } else {
            this.#enter(job, "STARTJOBING", now);
        }
        return { status: "success" };
    }

    /** Full transfer progress 0..100 as of now. */
    progress(job: EmulatedJob): number {
        switch (job.status) {
            case "FULL_TRANSFER_STARTED": {
                const total = Math.max(1, job.fullTransferMs ?? this.timings.fullTransferMs);
                return Math.min(99, Math.floor(((this.now() - job.since) / total) * 100));
            }
            case "FULL_TRANSFER_COMPLETE":
            case "INCRE_TRANSFER_STARTED":
            case "INCRE_TRANSFER_FAILED":
                return 100;
            default:
                return isPaused(job.status) && job.paused ? job.paused.progress : 0;
        }
    }

    /** Full transfer time left in ms (0 outside the full transfer). */
    remainingMs(job: EmulatedJob): number {
        if (job.status !== "FULL_TRANSFER_STARTED") return 0;
        return Math.max(0, job.since + (job.fullTransferMs ?? this.timings.fullTransferMs) - this.now());
    }

    #enter(job: EmulatedJob, status: string, at: number): void {
        job.status = status;
        job.since = at;
        job.startAt = undefined;
    }

    /** Applies every phase change due by now, each at the time it was due. */
    #advance(job: EmulatedJob): void {
        const now = this.now();
        const t = this.timings;
        for (;;) {
            const failure = job.failAt && job.failAt.phase === job.status ? job.failAt : undefined;
            if (failure) {
                const defaultAfter = job.status === "STARTJOBING" ? t.startingMs : job.status === "FULL_TRANSFER_STARTED" ? (job.fullTransferMs ?? t.fullTransferMs) : 0;
                const due = job.since + (failure.afterMs ?? defaultAfter);
                if (now < due) return;
                this.#enter(job, FAILED_STATUS[failure.phase], due);
                job.errorCode = failure.errorCode;
                job.errorMessage = failure.errorMessage;
                return;
            }
            const next = this.#next(job);
            if (!next || now < next.at) return;
            this.#enter(job, next.status, next.at);
            if (next.error) {
                job.errorCode = next.error.errorCode;
                job.errorMessage = next.error.errorMessage;
            }
        }
    }

    #next(job: EmulatedJob): { status: string; at: number; error?: { errorCode: string; errorMessage: string } } | undefined {
        const t = this.timings;
        switch (job.status) {
            case "WAITING_FOR_START":
                return job.startAt === undefined ? undefined : { status: "STARTJOBING", at: job.startAt };
            case "STARTJOBING":
                return { status: job.taskMode === "INCR_TRANS" ? "INCRE_TRANSFER_STARTED" : "FULL_TRANSFER_STARTED", at: job.since + t.startingMs };
            case "FULL_TRANSFER_STARTED":
                return { status: "FULL_TRANSFER_COMPLETE", at: job.since + (job.fullTransferMs ?? t.fullTransferMs) };
            case "FULL_TRANSFER_COMPLETE":
                return job.taskMode === "FULL_TRANS" ? undefined : { status: "INCRE_TRANSFER_STARTED", at: job.since + t.fullCompleteMs };
            case "RELEASE_RESOURCE_STARTED":
                return job.releaseFailure ? { status: "RELEASE_RESOURCE_FAILED", at: job.since + t.releaseMs, error: job.releaseFailure } : { status: "RELEASE_RESOURCE_COMPLETE", at: job.since + t.releaseMs };
            default:
                return undefined;
        }
    }
}
