import { type DrsClient, type StartRequest, STATUS_PAGE_SIZE } from "../drs/client";
import { DrsApiError, type DrsOperation } from "../drs/errors";
import type { DbUseType, JobInfo, JobProgress, JobStatusResult, StartJobResult } from "../drs/wire";
import type { Clock } from "../wait/clock";
import { BatchWindow, chunks, fixedWindow, type WindowTiming } from "./batchWindow";
import { askEach, isJobRefusal, isolateBatch } from "./isolateBatch";
import { byJobId, failAll, type JobAnswers, JobFailure } from "./jobAnswers";
import type { StatusHold } from "../wait/waitForTarget";
import { lifecycleBatch, missingLifecycleResult } from "./lifecycleAnswers";
import type { DeleteType, LifecycleResult, PauseMode } from "./lifecycleCalls";
import { NameLookups } from "./nameLookups";
import { adaptiveInterval, heldBack, type JobsApi, missingStartResult } from "./jobsApi";
import { StatusTicker, type TickerOptions, DEFAULT_TICKER_OPTIONS } from "./statusTicker";

/** How long status and progress requests are gathered before one batch call serves them. */
export const COALESCE_WINDOW_MS = 25;

/** The tenant list's `name` takes up to this many comma-separated job ids (per the vendor's SDK). */
export const LIST_IDS_PER_CALL = 100;

/**
 * Requests at most this far apart form a stream whose pace the lookup and
 * start windows follow: at N=500 the engine hands creates over one by one,
 * tens of milliseconds apart, in bursts with pauses of several hundred
 * milliseconds (it writes the whole state before each create), for many
 * seconds; creates further apart than this are served alone rather than
 * kept waiting for the next.
 */
export const STREAM_GAP_MS = 1000;

/**
 * The hard bound of the lookup and start windows: long enough to fill one
 * call (100 jobs) at the pace the engine hands creates over at N=500 (about
 * 40 ms apart), so a large rollout needs about ⌈N/100⌉ calls of each; a
 * create never waits longer than this in one window.
 */
export const WINDOW_BOUND_MS = 4000;

/**
 * How lookups are gathered: a lone create waits 30 ms; creates that come in
 * a stream keep the window open while they keep coming at their pace (see
 * {@link WindowTiming}), up to {@link WINDOW_BOUND_MS}, or until one
 * listing's worth of ids waits.
 */
export const LOOKUP_WINDOW: WindowTiming = { firstMs: 30, streamGapMs: STREAM_GAP_MS, maxMs: WINDOW_BOUND_MS, fullAt: LIST_IDS_PER_CALL };

/**
 * How starts are gathered: a create starts its job once its lookup is
 * answered, so the starts of one lookup batch arrive together and 10 ms
 * gathers them; starts that come in a stream are gathered like lookups.
 */
export const START_WINDOW: WindowTiming = { firstMs: 10, streamGapMs: STREAM_GAP_MS, maxMs: WINDOW_BOUND_MS, fullAt: STATUS_PAGE_SIZE };

/**
 * How long a job found by its name answers the lookup of its id that
 * follows (the create resolving a `jobName` looks the job up by id next):
 * the listing that found it is that fresh, so no second call is made.
 */
export const NAMED_JOB_FRESH_MS = 1000;

/** A batch call's error as one waiting job's own: a DrsApiError names that job alone. */
function forJob(error: unknown, jobId: string): unknown {
    return error instanceof DrsApiError ? error.forJobs([jobId]) : error;
}

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
 * per window, and lookups of up to 100 jobs share one tenant listing filtered
 * by their ids; pauses, resumes/retries and stops/deletes requested within
 * a start window share one call per kind and mode of up to 100 jobs. Each
 * job still gets only its own result or its own error: a batch DRS refuses
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
    /** One window per lifecycle call kind and mode (`pause:target`, `retry`, `end:delete`, ...). */
    readonly #lifecycle = new Map<string, BatchWindow<string, LifecycleResult>>();
    readonly #names: NameLookups;
    /** Jobs just found by name, by id, with when: the next lookup of that id within {@link NAMED_JOB_FRESH_MS} takes it. */
    readonly #named = new Map<string, { readonly job: JobInfo; readonly at: number }>();
    /** Set once DRS answered a list of ids with none of jobs it lists one by one: ask per job from then on. */
    #noIdLists = false;
    /** The shared poll of every job being waited on. */
    readonly ticker: StatusTicker;

    constructor(
        private readonly client: DrsClient,
        private readonly clock: Clock,
        tickerOptions: TickerOptions = DEFAULT_TICKER_OPTIONS,
    ) {
        this.#starts = new BatchWindow(clock, START_WINDOW, (ids) => this.#startBatch(ids), missingStartResult, forJob);
        this.#statuses = new BatchWindow(
            clock,
            fixedWindow(COALESCE_WINDOW_MS),
            (ids) => this.#statusBatch(ids),
            () => undefined,
            forJob,
        );
        this.#progress = new BatchWindow(
            clock,
            fixedWindow(COALESCE_WINDOW_MS),
            (ids) => this.#progressBatch(ids),
            () => undefined,
            forJob,
        );
        this.#lookups = new BatchWindow(
            clock,
            LOOKUP_WINDOW,
            (ids) => this.#lookupBatch(ids),
            () => undefined,
            forJob,
        );
        this.#names = new NameLookups(client, clock, LOOKUP_WINDOW);
        this.ticker = new StatusTicker((ids) => this.#statusBatch(ids), clock, tickerOptions, Math.random, forJob);
    }

    get requestTimeoutMs(): number {
        return this.client.requestTimeoutMs;
    }

    findJob(jobId: string, dbUseTypes: readonly DbUseType[]): Promise<JobInfo | undefined> {
        const named = this.#named.get(jobId);
        this.#named.delete(jobId);
        if (named && this.clock.now() - named.at < NAMED_JOB_FRESH_MS && dbUseTypes.includes(named.job.dbUseType as DbUseType)) return Promise.resolve(named.job);
        this.#lookupScopes.set(jobId, dbUseTypes);
        return this.#lookups.load(jobId);
    }

    /** Name lookups share a window (see {@link NameLookups}); a single match answers the lookup of its id that follows. */
    async findJobsNamed(name: string, dbUseTypes: readonly DbUseType[]): Promise<JobInfo[]> {
        const found = await this.#names.find(name, dbUseTypes);
        if (found.length === 1) this.#named.set(found[0].id, { job: found[0], at: this.clock.now() });
        return found;
    }

    start(job: StartRequest): Promise<StartJobResult> {
        this.#startRequests.set(job.jobId, job);
        return this.#starts.load(job.jobId);
    }

    status(jobId: string): Promise<JobStatusResult | undefined> {
        return this.#statuses.load(jobId);
    }

    poller(jobId: string, intervalMs: number, signal?: AbortSignal): (hold?: StatusHold) => Promise<JobStatusResult | undefined> {
        let polls = 0;
        // Paced like the direct poller: the first poll at the next tick, the k-th at most adaptiveInterval(k − 1) after the one before.
        const pace = () => {
            const k = polls++;
            return k === 0 ? 0 : adaptiveInterval(k - 1, intervalMs);
        };
        // A held-back answer keeps the waiter in the ticker, so an unchanged job costs a tick no more than a lookup.
        return (hold) => this.ticker.next(jobId, pace(), hold && { skip: (result) => heldBack(result, hold, this.clock.now()), nextIntervalMs: pace }, signal);
    }

    progress(jobId: string): Promise<JobProgress | undefined> {
        return this.#progress.load(jobId);
    }

    async #startBatch(ids: string[]): Promise<JobAnswers<StartJobResult>> {
        const answers = await isolateBatch(ids, async (batch) => byJobId(await this.client.batchStart(batch.map((jobId) => this.#startRequests.get(jobId) ?? { jobId })), (r) => r.id), STATUS_PAGE_SIZE);
        for (const id of ids) this.#startRequests.delete(id);
        return answers;
    }

    /** Every job in one call while DRS answers them all at once (the client pages otherwise). */
    #statusBatch(ids: string[]): Promise<JobAnswers<JobStatusResult>> {
        const maxBatch = this.client.statusAllAtOnce ? Number.POSITIVE_INFINITY : STATUS_PAGE_SIZE;
        return isolateBatch(ids, async (batch) => byJobId(await this.client.batchStatus(batch), (r) => r.id), maxBatch);
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

    /** The jobs of `jobIds` found in one scope: one tenant listing per {@link LIST_IDS_PER_CALL} ids. */
    async #lookupIn(scope: DbUseType, jobIds: string[]): Promise<JobAnswers<JobInfo>> {
        const answers: JobAnswers<JobInfo> = new Map();
        for (const chunk of chunks(jobIds, LIST_IDS_PER_CALL)) for (const [id, answer] of await this.#lookupChunk(scope, chunk)) answers.set(id, answer);
        return answers;
    }

    /**
     * One listing filtered by the comma-separated ids, kept by exact id match.
     * Falls back to one filtered lookup per job (at most one extra call per
     * job) when DRS refuses the listing, or when it lists none of several
     * jobs: DRS may not take a list of ids. If a per-job lookup then finds one
     * of them, lists of ids are not sent again.
     */
    async #lookupChunk(scope: DbUseType, jobIds: string[]): Promise<JobAnswers<JobInfo>> {
        if (jobIds.length === 1 || this.#noIdLists) return askEach(jobIds, (jobId) => this.client.findJob(jobId, [scope]));
        try {
            const wanted = new Set(jobIds);
            const found: JobAnswers<JobInfo> = new Map();
            for (const job of await this.client.listJobs({ dbUseType: scope, name: jobIds.join(",") })) {
                if (wanted.has(job.id)) found.set(job.id, { ...job, dbUseType: job.dbUseType ?? scope });
            }
            if (found.size > 0) return found;
        } catch (error) {
            if (!isJobRefusal(error)) return failAll(jobIds, error);
        }
        const each = await askEach(jobIds, (jobId) => this.client.findJob(jobId, [scope]));
        if ([...each.values()].some((a) => !(a instanceof JobFailure))) this.#noIdLists = true;
        return each;
    }

    /** Pauses requested within one start window share one batch-pause-task per pause mode. */
    pause(jobId: string, pauseMode: PauseMode): Promise<LifecycleResult> {
        return this.#lifecycleWindow(`pause:${pauseMode}`, "batch-pause-task", (ids) => this.client.batchPause(ids.map((id) => ({ jobId: id, pauseMode })))).load(jobId);
    }

    /** Resumes and retries requested within one start window share one batch-retry-task. */
    retry(jobId: string): Promise<LifecycleResult> {
        return this.#lifecycleWindow("retry", "batch-retry-task", (ids) => this.client.batchRetry(ids)).load(jobId);
    }

    /** Stops and deletes requested within one start window share one `DELETE batch-jobs` per delete type. */
    end(jobId: string, deleteType: DeleteType): Promise<LifecycleResult> {
        return this.#lifecycleWindow(`end:${deleteType}`, "batch-jobs", (ids) => this.client.batchEnd(ids.map((id) => ({ jobId: id, deleteType })))).load(jobId);
    }

    /** The window of one lifecycle call kind (and mode), gathered like starts ({@link START_WINDOW}); made on first use. */
    #lifecycleWindow(kind: string, operation: DrsOperation, call: (jobIds: string[]) => Promise<LifecycleResult[]>): BatchWindow<string, LifecycleResult> {
        let window = this.#lifecycle.get(kind);
        if (!window) {
            window = new BatchWindow(
                this.clock,
                START_WINDOW,
                (ids) => lifecycleBatch(ids, call),
                (id) => missingLifecycleResult(operation, id),
                forJob,
            );
            this.#lifecycle.set(kind, window);
        }
        return window;
    }
}
