import { DrsApiError, isJobRefusalStatus } from "../drs/errors";
import { chunks } from "./batchWindow";
import { failAll, failureFor, type JobAnswers } from "./jobAnswers";

/** True when DRS refused a call (4xx, not acted on) possibly because of one of the jobs it names. */
export function isJobRefusal(error: unknown): error is DrsApiError {
    return error instanceof DrsApiError && isJobRefusalStatus(error.httpStatus);
}

/**
 * Serves `jobIds` with a batch `call` so that one bad job never fails another.
 * Calls take at most `maxBatch` jobs; each chunk is served on its own.
 *
 * A refusal (see `isJobRefusalStatus`) of a call for several jobs does not say
 * which job caused it (the client already turned refusals that answer per job
 * into per-job results): the chunk is bisected, each half asked again, down to
 * single jobs, so only jobs whose own call is refused fail, each with its own
 * error naming its id. Re-sending halves is safe even for batch-starting: a
 * refused request was not acted on. Any other failure (5xx, network, timeout,
 * after the client's retries) is not about one job, so it is not re-sent:
 * every job of the call fails with it, named for itself.
 *
 * Bound on extra calls per chunk of n jobs of which k are refused on their
 * own: at most 2·k·⌈log2 n⌉ (each level of the bisection asks again only the
 * halves of at most k refused parts), and never more than 2·(n − 1) (every
 * job refused). One deleted job among 10 costs at most 8 extra calls, among
 * 100 at most 14.
 */
export async function isolateBatch<R>(jobIds: readonly string[], call: (jobIds: string[]) => Promise<Map<string, R>>, maxBatch: number): Promise<JobAnswers<R>> {
    const answers: JobAnswers<R> = new Map();
    for (const chunk of chunks(jobIds, maxBatch)) for (const [id, answer] of await bisect(chunk, call)) answers.set(id, answer);
    return answers;
}

async function bisect<R>(jobIds: string[], call: (jobIds: string[]) => Promise<Map<string, R>>): Promise<JobAnswers<R>> {
    try {
        return await call(jobIds);
    } catch (error) {
        if (jobIds.length < 2 || !isJobRefusal(error)) return failAll(jobIds, error);
        const half = Math.ceil(jobIds.length / 2);
        const [first, second] = await Promise.all([bisect(jobIds.slice(0, half), call), bisect(jobIds.slice(half), call)]);
        return new Map([...first, ...second]);
    }
}

/**
 * Asks `ask` about each job on its own, one after the other: each job gets
 * its answer (absent when undefined) or its own failure. Costs one call per job.
 */
export async function askEach<R>(jobIds: readonly string[], ask: (jobId: string) => Promise<R | undefined>): Promise<JobAnswers<R>> {
    const answers: JobAnswers<R> = new Map();
    for (const jobId of jobIds) {
        try {
            const answer = await ask(jobId);
            if (answer !== undefined) answers.set(jobId, answer);
        } catch (error) {
            answers.set(jobId, failureFor(error, jobId));
        }
    }
    return answers;
}
