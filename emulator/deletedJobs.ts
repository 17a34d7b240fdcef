/**
 * How the emulator answers a call that names a job it does not know or that
 * was deleted (`JobStore.delete`, `DELETE /__emulator/jobs/{id}`). The vendor
 * pages and Terraform's Huawei Cloud provider disagree, so tests switch
 * between the shapes (`EmulatorOptions.deletedJobAnswer`,
 * `PUT /__emulator/deleted-jobs`).
 */

/** The shapes of the answer to a call naming a deleted or unknown job. */
export type DeletedJobAnswer =
    /**
     * The usual 2xx; the job's own entry says it is gone: an empty status
     * (batch-status), no progress (batch-progress), `failed` (batch-starting),
     * with `DRS.M05004` (deleted) or `DRS.M00289` (unknown); the tenant list is
     * empty. The default.
     */
    | "in-results"
    /** HTTP 400 with per-job `results`: every job's own entry, the gone job's carrying its error code. */
    | "400-with-results"
    /** HTTP 400 `{error_code, error_msg}` that does not say which job; nothing is acted on. */
    | "400-bare";

/** Every {@link DeletedJobAnswer}. */
export const DELETED_JOB_ANSWERS: readonly DeletedJobAnswer[] = ["in-results", "400-with-results", "400-bare"];

/** A job a call named that the emulator does not know, with DRS's code for it. */
export interface GoneJob {
    readonly id: string;
    /** `DRS.M05004` (deleted) or `DRS.M00289` (never known). */
    readonly errorCode: string;
    readonly errorMessage: string;
}

/**
 * `[status, body]` of a batch answer with per-job `results`, shaped by
 * `answer` when the call named gone jobs.
 */
export function batchAnswer(answer: DeletedJobAnswer, okStatus: number, results: readonly unknown[], gone: readonly GoneJob[]): [number, unknown] {
    if (gone.length === 0 || answer === "in-results") return [okStatus, { count: results.length, results }];
    if (answer === "400-with-results") return [400, { count: results.length, results }];
    return bareRefusal(gone[0]);
}

/** The bare 400 refusing a call because of `job`, without naming it. */
export function bareRefusal(job: GoneJob): [number, unknown] {
    return [400, { error_code: job.errorCode, error_msg: job.errorMessage }];
}
