import type { DeleteType, PauseMode } from "../drs/wire";

/**
 * How a pause stops the job (`target`: replay stops, log capture goes on, so
 * a resume catches up; `all`: capture and replay stop) and how
 * `DELETE .../jobs/batch-jobs` ends a job (stop it, stop it by force, or
 * delete a stopped one): the wire's own values.
 */
export type { DeleteType, PauseMode };

/**
 * One job's answer to a lifecycle call (batch-pause-task, batch-retry-task,
 * batch-jobs DELETE): DRS answers every job of a batch on its own, and a 2xx
 * can carry a job's `failed`.
 */
export interface LifecycleResult {
    readonly id: string;
    readonly status: "success" | "failed";
    /** DRS's code for a failed job (e.g. `DRS.M00304`, `DRS.M01504`). */
    readonly errorCode?: string;
    /** DRS's message for a failed job (`error_msg` or `error_message` on the wire). */
    readonly errorMessage?: string;
}

/**
 * The lifecycle calls the provider core makes on one job at a time; a
 * {@link JobsApi} decides how they reach DRS. A refusal that is the job's
 * own (a per-job `failed`, or a 400 that names this job only) resolves as a
 * `failed` result; a call whose outcome is unknown or that DRS did not
 * answer for any job rejects with a `DrsApiError`.
 */
export interface LifecycleCalls {
    /** `POST .../jobs/batch-pause-task` for this job. */
    pause(jobId: string, pauseMode: PauseMode): Promise<LifecycleResult>;
    /** `POST .../jobs/batch-retry-task` for this job: resumes a paused job, retries a failed one. Never re-sent when its outcome is unknown. */
    retry(jobId: string): Promise<LifecycleResult>;
    /** `DELETE .../jobs/batch-jobs` (a JSON body) for this job. */
    end(jobId: string, deleteType: DeleteType): Promise<LifecycleResult>;
}
