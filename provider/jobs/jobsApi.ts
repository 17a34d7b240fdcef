import type { DbUseType, JobInfo, JobProgress, JobStatusResult, StartJobResult } from "../drs/wire";
import type { StartRequest } from "../drs/client";
import type { StatusHold } from "../wait/waitForTarget";
import type { LifecycleCalls } from "./lifecycleCalls";

/**
 * What starting and waiting on one job needs from DRS, one job at a time.
 * Implementations decide how calls reach DRS: one call per job
 * ({@link DirectJobsApi}) or shared batch calls ({@link CoalescingJobsApi}).
 */
export interface JobsApi extends LifecycleCalls {
    /** The job with exactly this id in the first of `dbUseTypes` that has it. */
    findJob(jobId: string, dbUseTypes: readonly DbUseType[]): Promise<JobInfo | undefined>;
    /** Every job named exactly `name` in the given `dbUseTypes` (none, one, or several: the caller decides). */
    findJobsNamed(name: string, dbUseTypes: readonly DbUseType[]): Promise<JobInfo[]>;
    /** Starts one job; the result is that job's own (a batch start can fail per job). */
    start(job: StartRequest): Promise<StartJobResult>;
    /** The job's status now; undefined when DRS does not report it. */
    status(jobId: string): Promise<JobStatusResult | undefined>;
    /**
     * A paced status source for one wait: fast first polls, backing off to
     * `intervalMs`. Given a `hold`, a poll that finds the job still held
     * (see {@link heldBack}) is not answered: polling goes on at that pace.
     * Once `signal` is aborted the poller calls DRS no more and its pending
     * poll rejects with the signal's reason.
     */
    poller(jobId: string, intervalMs: number, signal?: AbortSignal): (hold?: StatusHold) => Promise<JobStatusResult | undefined>;
    /** Progress and replication delay of the job, if DRS reports them. */
    progress(jobId: string): Promise<JobProgress | undefined>;
    /** How long one request may take (a request that failed ambiguously may still be in flight that long). */
    readonly requestTimeoutMs: number;
}

/** The result standing for a job that batch-starting answered without mentioning. */
export function missingStartResult(jobId: string): StartJobResult {
    return { id: jobId, status: "failed", errorMessage: "batch-starting answered without a result for this job" };
}

/** True when `result` tells a wait nothing new: the job still in `hold.status` before `hold.until`. */
export function heldBack(result: JobStatusResult | undefined, hold: StatusHold | undefined, now: number): boolean {
    return hold !== undefined && result !== undefined && result.status === hold.status && now < hold.until;
}

/** First poll delay of a wait, then doubled per poll up to the configured interval. */
export const FIRST_POLL_INTERVAL_MS = 500;

/** The k-th (0-based) poll interval of a wait whose configured interval is `intervalMs`. */
export function adaptiveInterval(k: number, intervalMs: number): number {
    return Math.min(intervalMs, FIRST_POLL_INTERVAL_MS * 2 ** Math.min(k, 30));
}
