import type { DrsClient, StartRequest } from "../drs/client";
import type { DbUseType, JobInfo, JobProgress, JobStatusResult, StartJobResult } from "../drs/wire";
import type { Clock } from "../wait/clock";
import type { StatusHold } from "../wait/waitForTarget";
import { lifecycleCall } from "./lifecycleAnswers";
import type { DeleteType, LifecycleResult, PauseMode } from "./lifecycleCalls";
import { adaptiveInterval, heldBack, type JobsApi, missingStartResult } from "./jobsApi";

/**
 * One DRS call per job and per poll (and per pause, resume/retry, stop or
 * delete): the naive mode (`DRS_COALESCE=off`),
 * kept as the baseline the coalescing mode is measured against. Each call
 * names one job, so a refusal is that job's own: `DrsClient` turns per-job
 * results and "does not exist / deleted" refusals into the job's answer.
 */
export class DirectJobsApi implements JobsApi {
    constructor(
        private readonly client: DrsClient,
        private readonly clock: Clock,
    ) {}

    get requestTimeoutMs(): number {
        return this.client.requestTimeoutMs;
    }

    findJob(jobId: string, dbUseTypes: readonly DbUseType[]): Promise<JobInfo | undefined> {
        return this.client.findJob(jobId, dbUseTypes);
    }

    findJobsNamed(name: string, dbUseTypes: readonly DbUseType[]): Promise<JobInfo[]> {
        return this.client.findJobsNamed(name, dbUseTypes);
    }

    async start(job: StartRequest): Promise<StartJobResult> {
        const results = await this.client.batchStart([job]);
        return results.find((r) => r.id === job.jobId) ?? missingStartResult(job.jobId);
    }

    async status(jobId: string): Promise<JobStatusResult | undefined> {
        return (await this.client.batchStatus([jobId])).find((r) => r.id === jobId);
    }

    poller(jobId: string, intervalMs: number, signal?: AbortSignal): (hold?: StatusHold) => Promise<JobStatusResult | undefined> {
        let polls = 0;
        return async (hold) => {
            for (;;) {
                signal?.throwIfAborted();
                if (polls > 0) await this.clock.sleep(adaptiveInterval(polls - 1, intervalMs));
                signal?.throwIfAborted();
                polls++;
                const result = await this.status(jobId);
                if (!heldBack(result, hold, this.clock.now())) return result;
            }
        };
    }

    async progress(jobId: string): Promise<JobProgress | undefined> {
        return (await this.client.batchProgress([jobId])).find((p) => p.jobId === jobId);
    }

    pause(jobId: string, pauseMode: PauseMode): Promise<LifecycleResult> {
        return lifecycleCall("batch-pause-task", jobId, (ids) => this.client.batchPause(ids.map((id) => ({ jobId: id, pauseMode }))));
    }

    retry(jobId: string): Promise<LifecycleResult> {
        return lifecycleCall("batch-retry-task", jobId, (ids) => this.client.batchRetry(ids));
    }

    end(jobId: string, deleteType: DeleteType): Promise<LifecycleResult> {
        return lifecycleCall("batch-jobs", jobId, (ids) => this.client.batchEnd(ids.map((id) => ({ jobId: id, deleteType }))));
    }
}
