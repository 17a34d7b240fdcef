import type { JobInfo } from "./drs/wire";
import { searchScope } from "./ensureRunning";
import type { CheckedInputs, CheckedRequest } from "./inputs";
import { DrsJobError } from "./jobError";
import type { JobsApi } from "./jobs/jobsApi";

/**
 * A `jobName` that does not name exactly one job: none has it, or several
 * do. Names the name, the scenarios and project searched and, for several,
 * each candidate's id and status. Nothing was started.
 */
export class JobNameError extends Error {
    /** The jobs that have the name (empty when none does). */
    readonly candidates: readonly JobInfo[];

    constructor(name: string, candidates: readonly JobInfo[], where: string) {
        const listed = candidates.map((job) => `${job.id} (${job.status || "no status"}, ${job.dbUseType ?? "?"})`).join(", ");
        super(
            candidates.length === 0
                ? `No DRS job is named "${name}" ${where}. Names are matched exactly (case and blanks count). Nothing was started. Check jobName against the DRS console, or set jobId instead.`
                : `${candidates.length} DRS jobs are named "${name}" ${where}: ${listed}. Nothing was started. Give one of them a unique name in DRS, or set jobId to the one you mean.`,
        );
        this.name = "JobNameError";
        this.candidates = candidates;
    }
}

/** "in project P (searched db_use_type A, B at E)": where a lookup looked. */
function searchedWhere(inputs: Pick<CheckedRequest, "projectId" | "endpoint" | "dbUseType">): string {
    return `in project ${inputs.projectId} (searched db_use_type ${searchScope(inputs).join(", ")} at ${inputs.endpoint})`;
}

/**
 * The inputs with the job they mean: `jobId` as given, or the one job whose
 * DRS name is exactly `jobName` (through the tenant job list); none or
 * several fail with {@link JobNameError}.
 */
export async function resolveJob(api: JobsApi, request: CheckedRequest): Promise<CheckedInputs> {
    if (request.jobId !== undefined) return { ...request, jobId: request.jobId };
    const name = request.jobName ?? "";
    const found = await api.findJobsNamed(name, searchScope(request));
    if (found.length !== 1) throw new JobNameError(name, found, searchedWhere(request));
    return { ...request, jobId: found[0].id };
}

/**
 * The resource follows the job it resolved at create, by id. When that job
 * now has another name in DRS (seen by a refresh), an update fails rather
 * than follow the name to whatever job holds it now.
 */
export function renamedJob(inputs: CheckedInputs, job: Pick<JobInfo, "name" | "status">): DrsJobError | undefined {
    if (inputs.jobName === undefined || job.name === inputs.jobName) return undefined;
    return new DrsJobError({
        jobId: inputs.jobId,
        summary: `is named "${job.name}" in DRS now, not "${inputs.jobName}" (jobName)`,
        status: job.status,
        action: `This resource keeps the job it found by name at create (its jobId); a rename in DRS is not followed, and another job taking the name is never adopted. Rename the job back to "${inputs.jobName}" in DRS, or set jobName to "${job.name}" (an in-place update: the resource keeps this job).`,
    });
}
