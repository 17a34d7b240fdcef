import { DrsClient, StartRequest, STATUS_PAGE_SIZE } from "../drs/client";
import { DrsApiError } from "../drs/errors";
import { DbUseType, JobInfo, JobProgress, JobStatusResult, StartJobResult } from "../drs/wire";
import { Clock } from "../wait/clock";
import { BatchWindow, chunks } from "./batchWindow";
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
 * still gets only its own result or its own error.
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

    async #startBatch(ids: string[]): Promise<Map<string, StartJobResult>> {
        const results = new Map<string, StartJobResult>();
        for (const chunk of chunks(ids, STATUS_PAGE_SIZE)) {
            const answers = await this.client.batchStart(chunk.map((jobId) => this.#startRequests.get(jobId) ?? { jobId }));
            for (const answer of answers) results.set(answer.id, answer);
        }
        for (const id of ids) this.#startRequests.delete(id);
        return results;
    }

    async #statusBatch(ids: string[]): Promise<Map<string, JobStatusResult>> {
        return new Map((await this.client.batchStatus(ids)).map((r) => [r.id, r]));
    }

    async #progressBatch(ids: string[]): Promise<Map<string, JobProgress>> {
        const results = new Map<string, JobProgress>();
        for (const chunk of chunks(ids, STATUS_PAGE_SIZE)) for (const p of await this.client.batchProgress(chunk)) results.set(p.jobId, p);
        return results;
    }

    /** Searches each requested job's scopes in order; one tenant listing per scope when many jobs look at once. */
    async #lookupBatch(ids: string[]): Promise<Map<string, JobInfo>> {
        const found = new Map<string, JobInfo>();
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
            for (const [scope, jobIds] of byScope) {
                if (jobIds.length >= FULL_LISTING_FROM) {
                    const wanted = new Set(jobIds);
                    for (const job of await this.client.listJobs({ dbUseType: scope })) if (wanted.has(job.id)) found.set(job.id, { ...job, dbUseType: job.dbUseType ?? scope });
                } else {
                    for (const jobId of jobIds) {
                        const job = await this.client.findJob(jobId, [scope]);
                        if (job) found.set(jobId, job);
                    }
                }
            }
            open = open.filter((l) => !found.has(l.jobId));
        }
        return found;
    }
}
