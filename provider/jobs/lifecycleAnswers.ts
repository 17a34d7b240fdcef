import type { DrsApiError, DrsOperation } from "../drs/errors";
import { isJobRefusal, isolateBatch } from "./isolateBatch";
import { byJobId, type JobAnswers, JobFailure } from "./jobAnswers";
import type { LifecycleResult } from "./lifecycleCalls";

/** Most jobs one lifecycle call carries (as a start's batch-starting). */
export const LIFECYCLE_BATCH_SIZE = 100;

/** Vendor code of a call refused as too frequent (400): about the call, not about one of its jobs. */
export const TOO_FREQUENT_CODE = "DRS.M01503";

/** The result standing for a job that a lifecycle call answered without mentioning. */
export function missingLifecycleResult(operation: DrsOperation, jobId: string): LifecycleResult {
    return { id: jobId, status: "failed", errorMessage: `${operation} answered without a result for this job` };
}

/**
 * A refusal (a 4xx with a vendor code, nothing acted on) of a call for this
 * job alone, as the job's own `failed` result; undefined for any other
 * failure (5xx, network, timeout, credentials), which stays an error.
 */
export function refusalResult(jobId: string, error: unknown): LifecycleResult | undefined {
    if (!isJobRefusal(error) || error.code === undefined) return undefined;
    return { id: jobId, status: "failed", errorCode: error.code, errorMessage: error.vendorMessage };
}

/**
 * Serves one lifecycle call kind for `jobIds`: calls of at most
 * {@link LIFECYCLE_BATCH_SIZE} jobs, each job answered on its own.
 * - A job's `failed` inside a 2xx (or inside a 4xx that answers per job) is
 *   that job's result; it fails no other.
 * - A bare refusal of a call for several jobs is bisected (see
 *   {@link isolateBatch}: a refused request was not acted on, so re-sending
 *   halves is safe even for batch-retry-task); a refusal of a call for one
 *   job is that job's `failed` result, with DRS's code and message.
 * - A bare `DRS.M01503` (too frequent) refuses the call, not a job: every
 *   job of it gets that `failed` result at once, without bisecting, and the
 *   caller re-sends with backoff.
 * - Any other failure (5xx, reset, timeout after the client's retries) is an
 *   error for every job of the call, named for each.
 */
export async function lifecycleBatch(jobIds: readonly string[], call: (jobIds: string[]) => Promise<LifecycleResult[]>): Promise<JobAnswers<LifecycleResult>> {
    const answers = await isolateBatch(
        jobIds,
        async (batch) => {
            try {
                return byJobId(await call(batch), (r) => r.id);
            } catch (error) {
                if (!(isJobRefusal(error) && error.code === TOO_FREQUENT_CODE)) throw error;
                return new Map(batch.map((id) => [id, tooFrequent(id, error)]));
            }
        },
        LIFECYCLE_BATCH_SIZE,
    );
    const asked = new Set(jobIds);
    for (const [id, answer] of answers) {
        if (!asked.has(id)) answers.delete(id);
        else if (answer instanceof JobFailure) {
            const refused = refusalResult(id, answer.error);
            if (refused) answers.set(id, refused);
        }
    }
    return answers;
}

/** One job's `failed` result of a call DRS refused as too frequent. */
function tooFrequent(jobId: string, error: DrsApiError): LifecycleResult {
    return { id: jobId, status: "failed", errorCode: error.code, errorMessage: error.vendorMessage };
}

/**
 * One job's lifecycle call on its own: its result (a refusal of the call is
 * its `failed` result); rejects with the call's error when DRS did not
 * answer for it.
 */
export async function lifecycleCall(operation: DrsOperation, jobId: string, call: (jobIds: string[]) => Promise<LifecycleResult[]>): Promise<LifecycleResult> {
    const answer = (await lifecycleBatch([jobId], call)).get(jobId);
    if (answer instanceof JobFailure) throw answer.error;
    return answer ?? missingLifecycleResult(operation, jobId);
}
