import { DrsApiError } from "../drs/errors";

/** One job's own failure inside a batch answer: that job's callers get `error`, the others their results. */
export class JobFailure {
    constructor(readonly error: unknown) {}
}

/** What a batch answered for each job: its result, its own failure, or nothing (absent: DRS did not mention it). */
export type JobAnswers<R> = Map<string, R | JobFailure>;

/** The failure of a shared call, as told to one job it was for. */
export function failureFor(error: unknown, jobId: string): JobFailure {
    return new JobFailure(error instanceof DrsApiError ? error.forJobs([jobId]) : error);
}

/** Every job of `jobIds` failing with the same (shared) error, each named for itself. */
export function failAll<R>(jobIds: readonly string[], error: unknown): JobAnswers<R> {
    return new Map(jobIds.map((id) => [id, failureFor(error, id)]));
}

/** Results keyed by the job id `idOf` reads from each. */
export function byJobId<R>(results: readonly R[], idOf: (result: R) => string): Map<string, R> {
    return new Map(results.map((r) => [idOf(r), r]));
}
