import { DB_USE_TYPES, type JobInfo } from "../../provider/drs/wire";
import { decideRun } from "../../provider/runDecision";
import type { Target } from "../../provider/settings";
import { JOB_ID_PATTERN } from "../../provider/validate";
import { DEFAULT_TARGET_STATUSES } from "../../provider/wait/jobStatusFamily";
import type { CheckRow } from "./report";

/**
 * A row for one `--job`, given by id or by name (matched exactly, as
 * `jobName` is), among every job DRS `listed`: status, task type and
 * available actions, judged by what `pulumi up` will do with it (the provider's own
 * {@link decideRun}): a job `up` would fail on is a failed check with its fix.
 */
export function jobRow(job: string, listed: readonly JobInfo[], target: Target): CheckRow {
    if (JOB_ID_PATTERN.test(job))
        return idRow(
            job,
            listed.find((j) => j.id === job),
            target,
        );
    const named = listed.filter((j) => j.name === job);
    const check = `job "${job}"`;
    if (named.length === 0) {
        return {
            check,
            result: "FAIL",
            detail: `neither a DRS job id nor the exact name of a job in project ${target.projectId} (listed db_use_type ${DB_USE_TYPES.join(", ")} at ${target.endpoint})`,
            fix: "copy the job's id or name from the DRS console (job list); names are matched exactly, as jobName is.",
        };
    }
    if (named.length > 1) {
        const candidates = named.map((j) => `${j.id} (${j.status || "no status"}, ${j.dbUseType ?? "?"})`).join(", ");
        return { check, result: "FAIL", detail: `${named.length} jobs have this name: ${candidates}`, fix: "jobName would refuse this name: give one job a unique name in DRS, or use jobId." };
    }
    const row = idRow(named[0].id, named[0], target);
    return { ...row, check: `${check} (${named[0].id})` };
}

/** The row of a job given by its id. */
function idRow(jobId: string, found: JobInfo | undefined, target: Target): CheckRow {
    const check = `job ${jobId}`;
    if (!found) {
        return {
            check,
            result: "FAIL",
            detail: `not found in project ${target.projectId} (listed db_use_type ${DB_USE_TYPES.join(", ")} at ${target.endpoint})`,
            fix: `check the job id, and that drs:projectId / OS_PROJECT_ID and the region are those of the job (jobs are per project and region).`,
        };
    }
    const actions = found.availableActions ? `; available actions: ${found.availableActions.length > 0 ? found.availableActions.join(", ") : "none"}` : "";
    const error = found.errorMessage ? `; DRS says: ${found.errorMessage}` : "";
    const detail = `${found.status || "(no status)"} (${found.dbUseType ?? "?"}, "${found.name}")${actions}${error}`;
    // The provider's own decision, for a resource that declares the defaults (runState running, waitFor replicating).
    const decision = decideRun(found, { targetStatuses: DEFAULT_TARGET_STATUSES });
    if (decision.refusal) return { check, result: "FAIL", detail: `${detail}; pulumi up ${decision.plan}`, fix: `pulumi up will fail on job ${jobId}: ${decision.refusal.summary}. ${decision.refusal.fix}` };
    const row = { check, detail: `${detail}; pulumi up ${decision.plan}` };
    if (decision.family === "unknown") return { ...row, result: "warn", fix: `pulumi up waits on job ${jobId} in status ${found.status}, which pulumi-drs does not know: check the job in the DRS console.` };
    if (decision.action === "resume") return { ...row, result: "warn", fix: `pulumi up resumes job ${jobId} (batch-retry-task): set runState: paused on its resource to keep it paused.` };
    return { ...row, result: "ok" };
}
