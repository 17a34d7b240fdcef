/**
 * The emulator's DRS jobs and their lifecycle:
 * CONFIGURATION → STARTJOBING → FULL_TRANSFER_STARTED → FULL_TRANSFER_COMPLETE
 * → INCRE_TRANSFER_STARTED, driven by elapsed time (computed on access, no timers).
 */

import { GoneJob } from "./deletedJobs";

/** Task modes of a DRS job. */
export type TaskMode = "FULL_TRANS" | "INCR_TRANS" | "FULL_INCR_TRANS";

/** How long each lifecycle phase lasts, in milliseconds. */
export interface LifecycleTimings {
    readonly startingMs: number;
    readonly fullTransferMs: number;
    readonly fullCompleteMs: number;
}

/** Timings of `npm run emulator`: a job replicates about 6 s after its start. */
export const DEMO_TIMINGS: LifecycleTimings = { startingMs: 1000, fullTransferMs: 4000, fullCompleteMs: 1000 };

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
 * `times` start requests with `DRS.M01504` while the job stays put;
 * `throttles` likewise with `DRS.M01503` (operation too frequent).
 */
export type OtherActor = { readonly kind: "startsFirst" } | { readonly kind: "busy" | "throttles"; times: number };

/** The per-job refusals DRS gives a start, by vendor code. */
const REFUSED = {
    busy: { errorCode: "DRS.M01504", errorMessage: "Another operation is being performed on the task, or the task is abnormal." },
    throttles: { errorCode: "DRS.M01503", errorMessage: "The operation is too frequent. Try again later." },
} as const;

/** Jobs by id, advanced lazily on every access. */
export class JobStore {
    readonly #jobs = new Map<string, EmulatedJob>();
    readonly #deleted = new Set<string>();

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
        return [...this.#jobs.values()].filter((j) => projectId === undefined || j.projectId === projectId).map((j) => {
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
        return this.#deleted.has(id)
            ? { id, errorCode: "DRS.M05004", errorMessage: "The job has been deleted." }
            : { id, errorCode: "DRS.M00289", errorMessage: "The job does not exist." };
    }

    /** Plays another actor at the job's next start request(s) (test control; see {@link OtherActor}). */
    actAsOther(id: string, actor: OtherActor): EmulatedJob | undefined {
        const job = this.get(id);
        if (job) job.otherActor = { ...actor };
        return job;
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
        if (job.startFailure) return { status: "failed", ...job.startFailure };
        const other = job.otherActor;
        if (other?.kind === "startsFirst") {
            job.otherActor = undefined;
            this.#enter(job, "STARTJOBING", this.now());
            return { status: "failed", ...REFUSED.busy };
        }
        if (other && other.times > 0) {
            if (--other.times === 0) job.otherActor = undefined;
            return { status: "failed", ...REFUSED[other.kind] };
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
                return 0;
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
        }
    }

    #next(job: EmulatedJob): { status: string; at: number } | undefined {
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
            default:
                return undefined;
        }
    }
}
