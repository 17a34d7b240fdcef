import { REPLACE_KEYS } from "./jobStartProperties";
import type { InputFailure, RawInputs } from "./validate";

/**
 * Refuses a replace that would end the job it keeps: a resource whose
 * recorded `deletePolicy` is `stop` or `delete`, replaced by one that names
 * the same job (same `jobId`, or same `jobName`) with another project,
 * region, endpoint or scenario. The engine creates the new resource first
 * (it adopts the running job), then deletes the old one, whose policy would
 * stop the job the new one just adopted. The old policy is the one a delete
 * runs, so it must be set to `leave` by an `up` of its own first.
 */
export function replaceEndsOwnJob(olds: RawInputs, news: RawInputs): InputFailure | undefined {
    const policy = olds.deletePolicy;
    if (policy !== "stop" && policy !== "delete") return undefined;
    const sameId = typeof news.jobId === "string" && news.jobId === olds.jobId;
    const sameName = typeof news.jobName === "string" && news.jobName === olds.jobName;
    if (!sameId && !sameName) return undefined;
    const changed = REPLACE_KEYS.filter((key) => key !== "jobId" && key !== "jobName" && JSON.stringify(olds[key]) !== JSON.stringify(news[key]));
    if (changed.length === 0) return undefined;
    const job = sameId ? `job ${String(news.jobId)}` : `job named "${String(news.jobName)}"`;
    return {
        property: changed[0],
        reason: `changing ${changed.join(", ")} replaces this resource, and the new one adopts the same DRS ${job}; the old one's deletePolicy ${policy} would then ${policy === "stop" ? "stop" : "stop and delete"} that job for good. Set deletePolicy: leave and run pulumi up first, then make this change.`,
    };
}
