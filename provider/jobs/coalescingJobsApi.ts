import { DrsClient, StartRequest, STATUS_PAGE_SIZE } from "../drs/client";
import { DrsApiError } from "../drs/errors";
import { DbUseType, JobInfo, JobProgress, JobStatusResult, StartJobResult } from "../drs/wire";
import { Clock } from "../wait/clock";
import { BatchWindow } from "./batchWindow";
import { askEach, isJobRefusal, isolateBatch } from "./isolateBatch";
import { byJobId, failAll, JobAnswers } from "./jobAnswers";
import { adaptiveInterval, JobsApi, missingStartResult } from "./jobsApi";
import { StatusTicker, TickerOptions, DEFAULT_TICKER_OPTIONS } from "./statusTicker";

/** How long status and progress requests are gathered before one batch call serves them. */
export const COALESCE_WINDOW_MS = 25;

/**
 * How long lookups and starts are gathered: the engine hands a stack's creates
 * to the provider over a few hundred milliseconds, and a start happens once per
 * job, so waiting a little longer lets one call serve the whole rollout.
 */
export const START_WINDOW_MS = 250;

/** Lookups in one window from this many jobs on read the whole tenant list of a scope instead of one filtered list per job. */
const FULL_LISTING_FROM = 3;

/** A lookup request: the job and the scopes to search, in order. */
interface Lookup {
    readonly jobId: string;
    readonly scopes: readonly DbUseType[];
}

/**
 * Shares DRS calls between all jobs of one endpoint, project and identity in
 * a provider process: starts requested within a window go out as one
 * batch-starting (per-job results), every waiting job shares one
 * batch-status per tick, progress and immediate status checks are batched
 * per window, and lookups of many jobs read the tenant list once. Each job
 * still gets only its own result or its own error: a batch DRS refuses
 * because of one job is isolated (see {@link isolateBatch}), and a tenant
 * listing DRS refuses falls back to one lookup per job.
 */
export class CoalescingJobsApi implements JobsApi {
    readonly #starts: BatchWindow<string, StartJobResult>;
    /** Each job's own start request (start time, comparison choice): one batch carries them per job. */
    readonly #startRequests = new Map<string, StartRequest>();
    readonly #statuses: BatchWindow<string, JobStatusResult | undefined>;
    readonly #progress: BatchWindow<string, JobProgress | undefined>;
    readonly #lookups: BatchWindow<string, JobInfo | undefined>;
    readonly #lookupScopes = new Map<string, readonly DbUseType[]>();
    /** The shared poll of every job being waited on. */
    readonly ticker: StatusTicker;

    constructor(
        private readonly client: DrsClient,
        clock: Clock,
        tickerOptions: TickerOptions = DEFAULT_TICKER_OPTIONS,
    ) {
        const forJob = (error: unknown, jobId: string) => (error instanceof DrsApiError ? error.forJobs([jobId]) : error);
        this.#starts = new BatchWindow(clock, START_WINDOW_MS, (ids) => this.#startBatch(ids), missingStartResult, forJob);
        this.#statuses = new BatchWindow(clock, COALESCE_WINDOW_MS, (ids) => this.#statusBatch(ids), () => undefined, forJob);
        this.#progress = new BatchWindow(clock, COALESCE_WINDOW_MS, (ids) => this.#progressBatch(ids), () => undefined, forJob);
        this.#lookups = new BatchWindow(clock, START_WINDOW_MS, (ids) => this.#lookupBatch(ids), () => undefined, forJob);
        this.ticker = new StatusTicker((ids) => this.#statusBatch(ids), clock, tickerOptions, Math.random, forJob);
    }

    get requestTimeoutMs(): number {
        return this.client.requestTimeoutMs;
    }

    findJob(jobId: string, dbUseTypes: readonly DbUseType[]): Promise<JobInfo | undefined> {
        this.#lookupScopes.set(jobId, dbUseTypes);
        return this.#lookups.load(jobId);
    }

    start(job: StartRequest): Promise<StartJobResult> {
        this.#startRequests.set(job.jobId, job);
        return this.#starts.load(job.jobId);
    }

    status(jobId: string): Promise<JobStatusResult | undefined> {
        return this.#statuses.load(jobId);
    }

    poller(jobId: string, intervalMs: number): () => Promise<JobStatusResult | undefined> {
        let polls = 0;
        return () => this.ticker.next(jobId, adaptiveInterval(polls++, intervalMs));
    }

    progress(jobId: string): Promise<JobProgress | undefined> {
        return this.#progress.load(jobId);
    }

    async #startBatch(ids: string[]): Promise<JobAnswers<StartJobResult>> {
        const answers = await isolateBatch(
            ids,
            async (batch) => byJobId(await this.client.batchStart(batch.map((jobId) => this.#startRequests.get(jobId) ?? { jobId })), (r) => r.id),
            STATUS_PAGE_SIZE,
        );
        for (const id of ids) this.#startRequests.delete(id);
        return answers;
    }

    #statusBatch(ids: string[]): Promise<JobAnswers<JobStatusResult>> {
        return isolateBatch(ids, async (batch) => byJobId(await this.client.batchStatus(batch), (r) => r.id), STATUS_PAGE_SIZE);
    }

    #progressBatch(ids: string[]): Promise<JobAnswers<JobProgress>> {
        return isolateBatch(ids, async (batch) => byJobId(await this.client.batchProgress(batch), (p) => p.jobId), STATUS_PAGE_SIZE);
    }

    /** Searches each requested job's scopes in order; a job whose lookup fails is not searched further. */
    async #lookupBatch(ids: string[]): Promise<JobAnswers<JobInfo>> {
        const answers: JobAnswers<JobInfo> = new Map();
        let open: Lookup[] = ids.map((jobId) => ({ jobId, scopes: this.#lookupScopes.get(jobId) ?? [] }));
        for (const id of ids) this.#lookupScopes.delete(id);
        for (let depth = 0; open.length > 0; depth++) {
            const byScope = new Map<DbUseType, string[]>();
            for (const l of open) {
                if (depth >= l.scopes.length) continue;
                const ids = byScope.get(l.scopes[depth]) ?? [];
                ids.push(l.jobId);
                byScope.set(l.scopes[depth], ids);
            }
            if (byScope.size === 0) break;
            for (const [scope, jobIds] of byScope) for (const [id, answer] of await this.#lookupIn(scope, jobIds)) answers.set(id, answer);
            open = open.filter((l) => !answers.has(l.jobId));
        }
        return answers;
    }

    /**
     * The jobs of `jobIds` found in one scope: from one tenant listing when
     * many look at once, else (or when DRS refuses the listing) from one
     * filtered lookup per job, so extra calls are at most one per job.
     */
    async #lookupIn(scope: DbUseType, jobIds: string[]): Promise<JobAnswers<JobInfo>> {
        if (jobIds.length >= FULL_LISTING_FROM) {
            try {
                const wanted = new Set(jobIds);
                const found: JobAnswers<JobInfo> = new Map();
                for (const job of await this.client.listJobs({ dbUseType: scope })) if (wanted.has(job.id)) found.set(job.id, { ...job, dbUseType: job.dbUseType ?? scope });
                return found;
            } catch (error) {
                if (!isJobRefusal(error)) return failAll(jobIds, error);
            }
        }
        return askEach(jobIds, (jobId) => this.client.findJob(jobId, [scope]));
    }
}
