import { type AkSkCredentials, signRequest } from "./akskSigner";
import type { TokenSource } from "./auth";
import { DrsApiError, type DrsOperation, isJobNotFound, isJobRefusalStatus } from "./errors";
import { DEFAULT_TRANSPORT, type JsonResponse, postJson, type RetryMode, type TransportOptions } from "./http";
import { type DbUseType, type DeleteType, type JobActionResult, type JobInfo, type JobProgress, type JobStatusResult, num, type PauseMode, readJobInfo, readProgress, readStartResult, readStatusResult, records, type StartJobResult } from "./wire";

/** Where and as whom a {@link DrsClient} calls DRS. */
export interface DrsClientOptions {
    /** Base URL, e.g. `https://drs.eu-de.otc.t-systems.com`. */
    readonly endpoint: string;
    /** 32 hex chars; validated by the caller, encoded here anyway. */
    readonly projectId: string;
    /** A token source (`X-Auth-Token`), or access keys to sign every request with (SDK-HMAC-SHA256). */
    readonly auth: TokenSource | AkSkCredentials;
    readonly transport?: TransportOptions;
}

/** True for access key credentials (as opposed to a token source). */
export function isAkSk(auth: TokenSource | AkSkCredentials): auth is AkSkCredentials {
    return "accessKey" in auth && "secretKey" in auth;
}

/** A job to start, optionally at a later time. */
export interface StartRequest {
    readonly jobId: string;
    /** ms epoch; absent = now. */
    readonly startTime?: number;
    /** `is_auto_create_compare`; absent = DRS's default (true). */
    readonly autoCreateCompare?: boolean;
}

/** A job to pause, and how (`pause_mode`). */
export interface PauseRequest {
    readonly jobId: string;
    readonly pauseMode: PauseMode;
}

/** A job to stop or delete, and how (`delete_type`). */
export interface EndRequest {
    readonly jobId: string;
    readonly deleteType: DeleteType;
}

/** Largest `per_page` batch-status accepts. */
export const STATUS_PAGE_SIZE = 100;
/** Page size used on the tenant job list. */
export const LIST_PAGE_SIZE = 100;

/**
 * Base URL of the DRS v3 job APIs of a project: `{endpoint}/v3/{project_id}/jobs`,
 * built from the parsed endpoint (dot segments resolved, trailing slashes dropped).
 */
export function jobsUrl(endpoint: string, projectId: string): string {
    const url = new URL(endpoint);
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}/v3/${encodeURIComponent(projectId)}/jobs`;
}

/**
 * The DRS v3 calls this project needs: the four of a start and its wait,
 * and the three lifecycle calls (pause, resume/retry, stop/delete). Knows
 * nothing of Pulumi.
 * Retries are per call (see `postJson`); a 401 drops the token and retries
 * once with a fresh one.
 *
 * A batch call that DRS refuses (4xx) but answers per job in `results` gives
 * each job its own entry, as a 2xx would. A refusal of a call for one job
 * that says the job does not exist or has been deleted (`DRS.M00289`,
 * `DRS.M05004`) is that job's "not found" answer; a bare refusal of a call
 * for several jobs is thrown: it does not say which job caused it (see
 * `isolateBatch` in `provider/jobs`).
 */
export class DrsClient {
    readonly #base: string;
    readonly #auth: TokenSource | AkSkCredentials;
    readonly #projectId: string;
    readonly #transport: TransportOptions;
    /**
     * True while `per_page: 0` answers every job of a batch-status call; false
     * once DRS refused it or left jobs out (pages of {@link STATUS_PAGE_SIZE} from then on).
     */
    #statusAllAtOnce = true;

    constructor(options: DrsClientOptions) {
        this.#base = jobsUrl(options.endpoint, options.projectId);
        this.#auth = options.auth;
        this.#projectId = options.projectId;
        this.#transport = options.transport ?? DEFAULT_TRANSPORT;
    }

    /** How long one attempt may take; after an ambiguous failure the request may still be in flight that long. */
    get requestTimeoutMs(): number {
        return this.#transport.requestTimeoutMs;
    }

    /**
     * `batch-starting`: returns one result per job. A 202 (or a 4xx with
     * per-job results) can carry per-job `failed` results; the caller must
     * check each. Retried only when the request was provably not acted on
     * (never starts a job twice).
     */
    async batchStart(jobs: readonly StartRequest[]): Promise<StartJobResult[]> {
        const ids = jobs.map((j) => j.jobId);
        const body = {
            jobs: jobs.map((j) => ({
                job_id: j.jobId,
                ...(j.startTime === undefined ? {} : { start_time: String(j.startTime) }),
                ...(j.autoCreateCompare === undefined ? {} : { is_auto_create_compare: j.autoCreateCompare }),
            })),
        };
        const response = await this.#call("batch-starting", "/batch-starting", body, ids, "unsent", true);
        return records(response.body, "results").map(readStartResult);
    }

    /**
     * `batch-pause-task` (200): one result per job, each to be checked (a 2xx
     * can carry a job's `failed`). Re-sent after an ambiguous failure (5xx,
     * reset, timeout) like a read: a second pause of a job the first one
     * paused is refused for that job alone (`DRS.M00304`, wrong status) and
     * pauses nothing else, so a `failed` result must be read together with
     * the job's status.
     */
    async batchPause(jobs: readonly PauseRequest[]): Promise<JobActionResult[]> {
        const body = { jobs: jobs.map((j) => ({ job_id: j.jobId, pause_mode: j.pauseMode })) };
        return this.#action(
            "batch-pause-task",
            "/batch-pause-task",
            "POST",
            body,
            jobs.map((j) => j.jobId),
            "any",
        );
    }

    /**
     * `batch-retry-task` (200): resumes a paused job, retries a failed one;
     * one result per job. Sent without `is_sync_re_edit` (the vendor pages
     * disagree on it; it matters only for a re-edited sync job). Never
     * re-sent when its outcome is unknown (5xx, reset, timeout after
     * sending): a lost answer may hide a retry that landed, and a second one
     * could restart a job that failed again meanwhile. Re-sent only after
     * failures that prove it was not acted on (429, connection refused, 401
     * with a renewed token).
     */
    async batchRetry(jobIds: readonly string[]): Promise<JobActionResult[]> {
        const body = { jobs: jobIds.map((jobId) => ({ job_id: jobId })) };
        return this.#action("batch-retry-task", "/batch-retry-task", "POST", body, jobIds, "unsent");
    }

    /**
     * `DELETE .../jobs/batch-jobs` with a JSON body (202): stops
     * (`terminate`, `force_terminate`) or deletes (`delete`, only a stopped
     * job) each job; one result per job. Re-sent after an ambiguous failure
     * like a read: a second stop of a stopping job is refused for that job
     * (wrong status), a second delete answers the job as deleted
     * (`DRS.M05004`); neither touches another job.
     */
    async batchEnd(jobs: readonly EndRequest[]): Promise<JobActionResult[]> {
        const body = { jobs: jobs.map((j) => ({ delete_type: j.deleteType, job_id: j.jobId })) };
        return this.#action(
            "batch-jobs",
            "/batch-jobs",
            "DELETE",
            body,
            jobs.map((j) => j.jobId),
            "any",
        );
    }

    /** One lifecycle call: every per-job result, also of a refusal (4xx) that answers per job. */
    async #action(operation: DrsOperation, path: string, method: "POST" | "DELETE", body: unknown, jobIds: readonly string[], retryMode: RetryMode): Promise<JobActionResult[]> {
        const response = await this.#call(operation, path, body, jobIds, retryMode, true, method);
        return records(response.body, "results").map(readStartResult);
    }

    /**
     * `batch-status` for any number of jobs. More than one page of jobs is
     * asked in one call with `per_page: 0` ("all items", per the vendor's
     * page); if DRS refuses that or leaves jobs out, the jobs left are asked
     * in pages of {@link STATUS_PAGE_SIZE}, as is every call after. A job DRS
     * does not know (or no longer knows) has an empty status.
     */
    async batchStatus(jobIds: readonly string[]): Promise<JobStatusResult[]> {
        if (jobIds.length <= STATUS_PAGE_SIZE || !this.#statusAllAtOnce) return this.#statusPages(jobIds);
        let answered: JobStatusResult[];
        try {
            answered = await this.#statusPage(jobIds, 0);
        } catch (error) {
            if (!(error instanceof DrsApiError) || !isJobRefusalStatus(error.httpStatus)) throw error;
            this.#statusAllAtOnce = false;
            return this.#statusPages(jobIds);
        }
        const seen = new Set(answered.map((r) => r.id));
        const left = jobIds.filter((id) => !seen.has(id));
        if (left.length === 0) return answered;
        this.#statusAllAtOnce = false;
        return [...answered, ...(await this.#statusPages(left))];
    }

    /** True while batch-status calls ask for every job at once (see {@link DrsClient.batchStatus}). */
    get statusAllAtOnce(): boolean {
        return this.#statusAllAtOnce;
    }

    /** batch-status in pages of {@link STATUS_PAGE_SIZE} jobs, one call each. */
    async #statusPages(jobIds: readonly string[]): Promise<JobStatusResult[]> {
        const results: JobStatusResult[] = [];
        for (let offset = 0; offset < jobIds.length; offset += STATUS_PAGE_SIZE) results.push(...(await this.#statusPage(jobIds.slice(offset, offset + STATUS_PAGE_SIZE), STATUS_PAGE_SIZE)));
        return results;
    }

    /** One batch-status call: `jobIds`, first page of `perPage` (0: all). */
    async #statusPage(jobIds: readonly string[], perPage: number): Promise<JobStatusResult[]> {
        const body = { jobs: jobIds, page_req: { cur_page: 1, per_page: perPage } };
        const answer = await this.#perJob("batch-status", "/batch-status", body, jobIds, (id, e) => ({ id, status: "", errorCode: e.code, errorMessage: e.vendorMessage }));
        return Array.isArray(answer) ? answer : records(answer.body, "results").map(readStatusResult);
    }

    /** `batch-progress`: progress and replication delay, numbers parsed; a job DRS does not know has no progress and its error. */
    async batchProgress(jobIds: readonly string[]): Promise<JobProgress[]> {
        const answer = await this.#perJob("batch-progress", "/batch-progress", { jobs: jobIds }, jobIds, (jobId, e) => ({ jobId, errorCode: e.code, errorMessage: e.vendorMessage }));
        return Array.isArray(answer) ? answer : records(answer.body, "results").map(readProgress);
    }

    /**
     * Tenant job list filtered by `name` (which matches name OR id, or takes up
     * to 100 comma-separated job ids), all pages.
     * Callers match on `id` themselves; see {@link DrsClient.findJob}.
     */
    async listJobs(query: { readonly dbUseType: DbUseType; readonly name?: string }): Promise<JobInfo[]> {
        const jobs: JobInfo[] = [];
        for (let page = 1; ; page++) {
            const body = { cur_page: page, per_page: LIST_PAGE_SIZE, db_use_type: query.dbUseType, ...(query.name ? { name: query.name } : {}) };
            const response = await this.#call("list-jobs", "", body, query.name ? query.name.split(",") : [], "any");
            const pageJobs = records(response.body, "jobs").map(readJobInfo);
            jobs.push(...pageJobs);
            const total = num((response.body as Record<string, unknown>).total_record) ?? 0;
            if (pageJobs.length < LIST_PAGE_SIZE || jobs.length >= total) return jobs;
        }
    }

    /**
     * The job with exactly this id, searched in each `db_use_type` given;
     * undefined when none has it (a lookup DRS refuses saying the job does not
     * exist or has been deleted finds nothing in that scope).
     */
    async findJob(jobId: string, dbUseTypes: readonly DbUseType[]): Promise<JobInfo | undefined> {
        for (const dbUseType of dbUseTypes) {
            let listed: JobInfo[];
            try {
                listed = await this.listJobs({ dbUseType, name: jobId });
            } catch (error) {
                if (isJobNotFound(error)) continue;
                throw error;
            }
            const match = listed.find((j) => j.id === jobId);
            if (match) return { ...match, dbUseType: match.dbUseType ?? dbUseType };
        }
        return undefined;
    }

    /**
     * The jobs named exactly `name`, searched in every `db_use_type` given
     * (all of them, so a name used in two scenarios is seen twice). The
     * list's `name` filter matches a substring of a name or id: only exact
     * names are kept. A scope DRS answers "not found" for has none.
     */
    async findJobsNamed(name: string, dbUseTypes: readonly DbUseType[]): Promise<JobInfo[]> {
        const found: JobInfo[] = [];
        for (const dbUseType of dbUseTypes) {
            let listed: JobInfo[];
            try {
                listed = await this.listJobs({ dbUseType, name });
            } catch (error) {
                if (isJobNotFound(error)) continue;
                throw error;
            }
            for (const job of listed) if (job.name === name) found.push({ ...job, dbUseType: job.dbUseType ?? dbUseType });
        }
        return found;
    }

    /**
     * A read that answers per job: the response, or, when DRS refuses a call
     * for one job saying it does not exist or has been deleted, that job's
     * `notFound` entry.
     */
    async #perJob<R>(operation: DrsOperation, path: string, body: unknown, jobIds: readonly string[], notFound: (jobId: string, error: DrsApiError) => R): Promise<JsonResponse | R[]> {
        try {
            return await this.#call(operation, path, body, jobIds, "any", true);
        } catch (error) {
            if (jobIds.length === 1 && isJobNotFound(error)) return [notFound(jobIds[0], error)];
            throw error;
        }
    }

    async #call(operation: DrsOperation, path: string, body: unknown, jobIds: readonly string[], retryMode: RetryMode, perJobResults = false, method: "POST" | "DELETE" = "POST"): Promise<JsonResponse> {
        const url = this.#base + path;
        const auth = this.#auth;
        if (isAkSk(auth)) {
            const sign = (bodyText: string, headers: Readonly<Record<string, string>>) => signRequest({ method, url, headers, body: bodyText }, auth, Date.now(), this.#projectId);
            return postJson({ operation, method, url, body, jobIds, retryMode, perJobResults, headers: { "X-Language": "en-us" }, sign }, this.#transport);
        }
        const send = (token: string) => postJson({ operation, method, url, body, jobIds, retryMode, perJobResults, headers: { "X-Auth-Token": token, "X-Language": "en-us" } }, this.#transport);
        const token = await this.#token(auth, jobIds);
        try {
            return await send(token);
        } catch (error) {
            if (!(error instanceof DrsApiError) || error.httpStatus !== 401 || !auth.invalidate(token)) throw error;
            return send(await this.#token(auth, jobIds));
        }
    }

    /** A token; an IAM failure is reported with the jobs the call was for. */
    async #token(auth: TokenSource, jobIds: readonly string[]): Promise<string> {
        try {
            return await auth.token();
        } catch (error) {
            if (!(error instanceof DrsApiError) || error.jobIds.length > 0 || jobIds.length === 0) throw error;
            throw error.forJobs(jobIds);
        }
    }
}
