import { randomUUID } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { type AccessKey, DEFAULT_ACCESS_KEY, verifySigned } from "./accessKeys";
import { batchAnswer, bareRefusal, DELETED_JOB_ANSWERS, type DeletedJobAnswer, type GoneJob } from "./deletedJobs";
import { type EmulatedOperation, type FaultAction, FaultQueue, type FaultSpec } from "./faults";
import { type ConsoleAction, type EmulatedJob, type JobSpec, JobStore, type LifecycleTimings, type OtherActor } from "./jobs";
import { DELETE_TYPES, DELETED_LISTING_ANSWERS, type DeletedListingAnswer, type EmulatedDeleteType, type EmulatedPauseMode, type JobCallResult, PAUSE_MODES, PAUSED_STATUS_ANSWERS, type PausedStatusAnswer } from "./lifecycleRules";
import { type IamUser, TokenRegistry } from "./iam";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
    /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
    readonly port?: number;
    /** Jobs to seed. */
    readonly jobs?: readonly JobSpec[];
    /** Lifecycle phase durations; default: short test timings (50/200/50 ms). */
    readonly timings?: Partial<LifecycleTimings>;
    /** The tenant project; default `054ba152d480d55b2f5dc0069e7ddef0`. */
    readonly projectId?: string;
    /** IAM users; default one user, see {@link DEFAULT_USER}. */
    readonly users?: readonly IamUser[];
    /** Pre-issued tokens (`OS_TOKEN`) mapped to the project they are scoped to. */
    readonly tokens?: Readonly<Record<string, string>>;
    /** Lifetime of issued tokens; default 24 h. */
    readonly tokenTtlMs?: number;
    /** Access keys (AK → secret, optional security token) for SDK-HMAC-SHA256 signed requests; default {@link DEFAULT_ACCESS_KEY}. */
    readonly accessKeys?: Readonly<Record<string, AccessKey>>;
    /** How a call naming a deleted or unknown job is answered; default `"in-results"` (see {@link DeletedJobAnswer}). */
    readonly deletedJobAnswer?: DeletedJobAnswer;
    /** How the tenant list reads a `name` holding commas; default `"id-list"` (see {@link ListNameAnswer}). */
    readonly listNameAnswer?: ListNameAnswer;
    /** How batch-status answers `per_page: 0` for many jobs; default `"all"` (see {@link StatusAllAnswer}). */
    readonly statusAllAnswer?: StatusAllAnswer;
    /** How a paused job's status is spelled; default `"PAUSING"` (see {@link PausedStatusAnswer}). */
    readonly pausedStatusAnswer?: PausedStatusAnswer;
    /** Whether a deleted job vanishes or stays listed as `DELETED`; default `"vanishes"` (see {@link DeletedListingAnswer}). */
    readonly deletedListingAnswer?: DeletedListingAnswer;
    /** Clock; default `Date.now`. */
    readonly now?: () => number;
}

/**
 * How the tenant list (`list-jobs`) reads a `name` with commas:
 * `"id-list"` as the vendor's SDK describes it (up to 100 comma-separated job
 * ids, each matched exactly); `"single-name"` as one name matched as a
 * substring of a job's name or id, like a name without commas, so a list of
 * ids finds nothing.
 */
export type ListNameAnswer = "id-list" | "single-name";

/** Every {@link ListNameAnswer}. */
export const LIST_NAME_ANSWERS: readonly ListNameAnswer[] = ["id-list", "single-name"];

/**
 * How batch-status answers a call for more than 100 jobs with `per_page: 0`:
 * `"all"` as the vendor's page says ("if this parameter is set to 0, all items
 * are obtained"): every job in one answer; `"refused"`: HTTP 400 for more than
 * 100 jobs in `jobs`, whatever the page size (a cap the page does not
 * mention); `"capped"`: only the first 100 jobs answered, silently.
 */
export type StatusAllAnswer = "all" | "refused" | "capped";

/** Every {@link StatusAllAnswer}. */
export const STATUS_ALL_ANSWERS: readonly StatusAllAnswer[] = ["all", "refused", "capped"];

/** Most jobs batch-status answers in one page (its `per_page` maximum). */
const STATUS_MAX_PAGE = 100;

/** A switchable answer mode behind a control endpoint: its choices, the current one, and a checked switch. */
interface AnswerSwitch {
    readonly choices: readonly string[];
    get(): string;
    /** Switches to `answer` when it is one of the choices; false (nothing changed) otherwise. */
    put(answer: unknown): boolean;
}

/** An AnswerSwitch over `choices`, read and written through `get`/`set`. */
function answerSwitch<T extends string>(choices: readonly T[], get: () => T, set: (answer: T) => void): AnswerSwitch {
    return {
        choices,
        get,
        put(answer) {
            const chosen = choices.find((choice) => choice === answer);
            if (chosen !== undefined) set(chosen);
            return chosen !== undefined;
        },
    };
}

/** At most this many comma-separated ids in one `name` of the tenant list (per the vendor's SDK). */
export const LIST_NAME_MAX_IDS = 100;

/** One request the emulator served. Bodies of IAM calls are never kept (they hold passwords). */
export interface CallRecord {
    readonly operation: EmulatedOperation | "control" | "unknown";
    readonly path: string;
    readonly status: number;
    readonly at: number;
    /** The parsed request body of DRS calls. */
    readonly body?: unknown;
    /** The `X-Request-Id` the answer carried. */
    readonly requestId: string;
}

/** The default tenant project of the emulator. */
export const DEFAULT_PROJECT_ID = "054ba152d480d55b2f5dc0069e7ddef0";

/** The default IAM user: public demo credentials that only the emulator accepts. */
export const DEFAULT_USER: IamUser = { name: "drs-demo", password: "emulator-only-password", domain: "emulator-domain" };

/** Test timings: a job replicates 300 ms after its start; a stop completes 50 ms after it was accepted. */
export const TEST_TIMINGS: LifecycleTimings = { startingMs: 50, fullTransferMs: 200, fullCompleteMs: 50, releaseMs: 50 };

/** A running emulator and its control surface (also served over HTTP under `/__emulator/`). */
export interface Emulator {
    /** Base URL of the DRS API, e.g. `http://127.0.0.1:4321`. */
    readonly url: string;
    /** Base URL of IAM (same server), for `OS_AUTH_URL`. */
    readonly authUrl: string;
    readonly projectId: string;
    readonly port: number;
    readonly jobs: JobStore;
    readonly faults: FaultQueue;
    readonly tokens: TokenRegistry;
    /** How calls naming a deleted or unknown job are answered; switchable at any time (also `PUT /__emulator/deleted-jobs`). */
    deletedJobAnswer: DeletedJobAnswer;
    /** How the tenant list reads a `name` with commas; switchable at any time (also `PUT /__emulator/list-names`). */
    listNameAnswer: ListNameAnswer;
    /** How batch-status answers `per_page: 0` for many jobs; switchable at any time (also `PUT /__emulator/status-all`). */
    statusAllAnswer: StatusAllAnswer;
    /** How the next pauses spell the paused status; switchable at any time (also `PUT /__emulator/paused-status`). */
    pausedStatusAnswer: PausedStatusAnswer;
    /** Whether the next deleted jobs vanish or stay listed as `DELETED`; switchable at any time (also `PUT /__emulator/deleted-listing`). */
    deletedListingAnswer: DeletedListingAnswer;
    /** Every call served, oldest first. */
    readonly calls: CallRecord[];
    /** How many calls of `operation` were served. */
    count(operation: CallRecord["operation"]): number;
    /** Stops listening and drops open connections. */
    close(): Promise<void>;
}

const BODY_LIMIT = 1 << 20;

/** Starts the DRS + IAM emulator on 127.0.0.1 (loopback only, never another interface). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
    const now = options.now ?? Date.now;
    const projectId = options.projectId ?? DEFAULT_PROJECT_ID;
    const jobs = new JobStore(projectId, { ...TEST_TIMINGS, ...options.timings }, now);
    for (const spec of options.jobs ?? []) jobs.seed(spec);
    jobs.pausedStatus = options.pausedStatusAnswer ?? "PAUSING";
    jobs.deletedListing = options.deletedListingAnswer ?? "vanishes";
    const faults = new FaultQueue();
    const tokens = new TokenRegistry(options.users ?? [DEFAULT_USER], options.tokens ?? {}, options.tokenTtlMs ?? 24 * 3600_000, now);
    const calls: CallRecord[] = [];
    const accessKeys = new Map(Object.entries(options.accessKeys ?? { [DEFAULT_ACCESS_KEY.accessKey]: { secretKey: DEFAULT_ACCESS_KEY.secretKey } }));
    let deletedJobAnswer: DeletedJobAnswer = options.deletedJobAnswer ?? "in-results";
    let listNameAnswer: ListNameAnswer = options.listNameAnswer ?? "id-list";
    let statusAllAnswer: StatusAllAnswer = options.statusAllAnswer ?? "all";
    /** The control endpoints that switch how the emulator answers (`GET` reads, `PUT {answer}` switches). */
    const answerSwitches = new Map<string, AnswerSwitch>([
        [
            "deleted-jobs",
            answerSwitch(
                DELETED_JOB_ANSWERS,
                () => deletedJobAnswer,
                (answer) => (deletedJobAnswer = answer),
            ),
        ],
        [
            "list-names",
            answerSwitch(
                LIST_NAME_ANSWERS,
                () => listNameAnswer,
                (answer) => (listNameAnswer = answer),
            ),
        ],
        [
            "status-all",
            answerSwitch(
                STATUS_ALL_ANSWERS,
                () => statusAllAnswer,
                (answer) => (statusAllAnswer = answer),
            ),
        ],
        [
            "paused-status",
            answerSwitch(
                PAUSED_STATUS_ANSWERS,
                () => jobs.pausedStatus,
                (answer) => (jobs.pausedStatus = answer),
            ),
        ],
        [
            "deleted-listing",
            answerSwitch(
                DELETED_LISTING_ANSWERS,
                () => jobs.deletedListing,
                (answer) => (jobs.deletedListing = answer),
            ),
        ],
    ]);

    const server = http.createServer((req, res) => {
        // Like the vendor's gateway, every answer carries a request id.
        res.setHeader("X-Request-Id", randomUUID());
        handle(req, res).catch((error: unknown) => {
            if (!res.headersSent) send(res, 500, { error_code: "DRS.EMU500", error_msg: `emulator bug: ${String(error)}` });
        });
    });

    async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const path = (req.url ?? "/").split("?")[0];
        const raw = await readBody(req);
        const requestId = String(res.getHeader("X-Request-Id"));
        if (path.startsWith("/__emulator/")) {
            calls.push({ operation: "control", path, status: 200, at: now(), requestId });
            return send(res, ...control(req.method ?? "GET", path, raw));
        }
        const operation = operationOf(req.method, path);
        const record = (status: number, body?: unknown) => calls.push({ operation: operation ?? "unknown", path, status, at: now(), requestId, ...(operation && operation !== "iam-token" ? { body } : {}) });
        if (!operation) {
            record(404);
            return send(res, 404, { error_code: "APIGW.0101", error_msg: "The API does not exist or has not been published in the environment." });
        }
        let body: unknown;
        try {
            body = raw === "" ? {} : JSON.parse(raw);
        } catch {
            record(400);
            return send(res, 400, { error_code: "DRS.M00001", error_msg: "The request body is not valid JSON." });
        }
        const fault = faults.take(operation);
        if (fault?.kind === "reset") {
            record(0, body);
            req.socket.destroy();
            return;
        }
        if (fault?.kind === "delay") await new Promise((r) => setTimeout(r, fault.ms));
        const answerWithFault = (action: Extract<FaultAction, { kind: "respond" }>) => {
            record(action.status, body);
            const text = typeof action.body === "string" ? action.body : action.body === undefined ? "" : JSON.stringify(action.body);
            res.writeHead(action.status, { "Content-Type": typeof action.body === "string" ? "text/html" : "application/json", ...action.headers });
            res.end(text);
        };
        if (fault?.kind === "respond" && !fault.afterActing) return answerWithFault(fault);
        if (operation === "iam-token") {
            const issued = tokens.issue(body);
            record(issued.ok ? 201 : 401);
            if (!issued.ok) return send(res, 401, { error: { code: 401, title: "Unauthorized", message: issued.reason } });
            res.setHeader("X-Subject-Token", issued.token);
            return send(res, 201, { token: { expires_at: new Date(issued.expiresAt).toISOString(), issued_at: new Date(now()).toISOString(), methods: ["password"], project: { id: issued.projectId } } });
        }
        const project = path.split("/")[2];
        const auth = req.headers.authorization !== undefined ? verifySigned(req, raw, project, accessKeys, projectId, now()) : tokens.verify(req.headers["x-auth-token"], project);
        if (auth !== "ok") {
            const status = auth === "forbidden" ? 403 : 401;
            record(status, body);
            return send(
                res,
                status,
                auth === "forbidden" ? { error_code: "APIGW.0302", error_msg: "The credentials are not scoped to this project." } : { error_code: "APIGW.0301", error_msg: "Incorrect IAM authentication information: token missing, invalid or expired." },
            );
        }
        const [status, answer] = drs(operation, project, body);
        if (fault?.kind === "respond") return answerWithFault(fault);
        record(status, body);
        if (fault?.kind === "drop-response") {
            req.socket.destroy();
            return;
        }
        send(res, status, answer);
    }

    function drs(operation: EmulatedOperation, project: string, body: unknown): [number, unknown] {
        const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
        const ids = (list: unknown) => (Array.isArray(list) ? list.map(String) : undefined);
        const goneOf = (wanted: readonly string[]): GoneJob[] => wanted.filter((id) => !jobs.get(id, project)).map((id) => jobs.gone(id));
        switch (operation) {
            case "batch-starting": {
                if (!Array.isArray(b.jobs)) return badRequest("jobs is required.");
                const requested = (b.jobs as Record<string, unknown>[]).map((j) => ({ id: String(j?.job_id ?? ""), startTime: j?.start_time ? Number(j.start_time) : undefined, compare: j?.is_auto_create_compare }));
                if (requested.some((j) => j.compare !== undefined && typeof j.compare !== "boolean")) return badRequest("is_auto_create_compare must be a boolean.");
                const gone = goneOf(requested.map((j) => j.id));
                if (gone.length > 0 && deletedJobAnswer === "400-bare") return bareRefusal(gone[0]);
                const results = requested.map(({ id, startTime, compare }) => {
                    const r = jobs.start(id, project, startTime, compare as boolean | undefined);
                    return { id, status: r.status, ...(r.errorCode ? { error_code: r.errorCode, error_msg: r.errorMessage } : {}) };
                });
                return batchAnswer(deletedJobAnswer, 202, results, gone);
            }
            case "batch-status": {
                const wanted = ids(b.jobs);
                if (!wanted) return badRequest("jobs is required.");
                const pageReq = (b.page_req ?? {}) as Record<string, unknown>;
                const perPage = pageReq.per_page === undefined ? 5 : Number(pageReq.per_page);
                const curPage = pageReq.cur_page === undefined ? 1 : Number(pageReq.cur_page);
                if (!(perPage >= 0 && perPage <= STATUS_MAX_PAGE) || !(curPage >= 1)) return badRequest("page_req is out of range.");
                if (statusAllAnswer === "refused" && wanted.length > STATUS_MAX_PAGE) return badRequest(`jobs takes at most ${STATUS_MAX_PAGE} job ids.`);
                const all = statusAllAnswer === "capped" ? wanted.slice(0, STATUS_MAX_PAGE) : wanted;
                const page = perPage === 0 ? all : wanted.slice((curPage - 1) * perPage, curPage * perPage);
                const results = page.map((id) => {
                    const job = jobs.get(id, project);
                    if (!job) {
                        const gone = jobs.gone(id);
                        return { id, status: "", error_code: gone.errorCode, error_message: gone.errorMessage };
                    }
                    return { id, status: job.status, ...(job.errorCode ? { error_code: job.errorCode } : {}), ...(job.errorMessage ? { error_message: job.errorMessage } : {}) };
                });
                return batchAnswer(deletedJobAnswer, 200, results, goneOf(page));
            }
            case "batch-progress": {
                const wanted = ids(b.jobs);
                if (!wanted) return badRequest("jobs is required.");
                const results = wanted.map((id) => {
                    const job = jobs.get(id, project);
                    if (!job) {
                        const gone = jobs.gone(id);
                        return { job_id: id, error_code: gone.errorCode, error_msg: gone.errorMessage };
                    }
                    return progressOf(job);
                });
                return batchAnswer(deletedJobAnswer, 202, results, goneOf(wanted));
            }
            case "batch-pause-task": {
                const requested = jobItems(b.jobs);
                if (!requested) return badRequest("jobs is required.");
                const modes = requested.map((j) => PAUSE_MODES.find((m) => m === j.pause_mode));
                if (modes.some((m) => m === undefined)) return badRequest(`pause_mode must be one of ${PAUSE_MODES.join(", ")}.`);
                return lifecycleAnswer(
                    project,
                    200,
                    requested.map((j, i) => ({ id: String(j.job_id ?? ""), act: (id) => jobs.pause(id, project, modes[i] as EmulatedPauseMode) })),
                );
            }
            case "batch-retry-task": {
                const requested = jobItems(b.jobs);
                if (!requested) return badRequest("jobs is required.");
                if (requested.some((j) => j.is_sync_re_edit !== undefined && typeof j.is_sync_re_edit !== "boolean")) return badRequest("is_sync_re_edit must be a boolean.");
                return lifecycleAnswer(
                    project,
                    200,
                    requested.map((j) => ({ id: String(j.job_id ?? ""), act: (id) => jobs.retry(id, project) })),
                );
            }
            case "batch-jobs": {
                const requested = jobItems(b.jobs);
                if (!requested) return badRequest("jobs is required.");
                const types = requested.map((j) => DELETE_TYPES.find((t) => t === j.delete_type));
                if (types.some((t) => t === undefined)) return badRequest(`delete_type must be one of ${DELETE_TYPES.join(", ")}.`);
                return lifecycleAnswer(
                    project,
                    202,
                    requested.map((j, i) => ({ id: String(j.job_id ?? ""), act: (id) => jobs.end(id, project, types[i] as EmulatedDeleteType) })),
                );
            }
            case "list-jobs": {
                const useType = b.db_use_type;
                if (useType !== "migration" && useType !== "sync" && useType !== "cloudDataGuard") return badRequest("db_use_type is required.");
                const name = typeof b.name === "string" ? b.name : "";
                const perPage = Number(b.per_page ?? 10);
                const curPage = Number(b.cur_page ?? 1);
                const idList = listNameAnswer === "id-list" && name.includes(",") ? new Set(name.split(",").map((id) => id.trim())) : undefined;
                if (idList && idList.size > LIST_NAME_MAX_IDS) return badRequest(`name takes at most ${LIST_NAME_MAX_IDS} job ids.`);
                const named = (j: EmulatedJob) => (idList ? idList.has(j.id) : name === "" || j.name.includes(name) || j.id.includes(name));
                const matching = jobs.list(project).filter((j) => j.dbUseType === useType && named(j));
                if (name !== "" && matching.length === 0 && deletedJobAnswer !== "in-results") {
                    // A lookup that finds nothing is answered as a lookup of a deleted or unknown job.
                    const gone = jobs.gone(name);
                    return deletedJobAnswer === "400-bare" ? bareRefusal(gone) : [400, { count: 1, results: [{ id: name, error_code: gone.errorCode, error_msg: gone.errorMessage }] }];
                }
                const page = curPage === 0 ? matching : matching.slice((curPage - 1) * perPage, curPage * perPage);
                return [200, { total_record: matching.length, jobs: page.map(jobInfoOf) }];
            }
            default:
                return badRequest("unsupported");
        }
    }

    /**
     * `[status, body]` of a lifecycle call: each job's own result (`error_msg`),
     * shaped by `deletedJobAnswer` when the call named jobs that are gone
     * (`DRS.M05003` / `DRS.M05004`); a bare 400 acts on no job.
     */
    function lifecycleAnswer(project: string, okStatus: number, requested: { id: string; act: (id: string) => JobCallResult }[]): [number, unknown] {
        const gone = requested.filter((r) => jobs.isGoneForAction(r.id, project)).map((r) => jobs.goneForAction(r.id));
        if (gone.length > 0 && deletedJobAnswer === "400-bare") return bareRefusal(gone[0]);
        const results = requested.map(({ id, act }) => {
            const r = act(id);
            return { id, status: r.status, ...(r.errorCode ? { error_code: r.errorCode, error_msg: r.errorMessage } : {}) };
        });
        return batchAnswer(deletedJobAnswer, okStatus, results, gone);
    }

    function progressOf(job: EmulatedJob): Record<string, unknown> {
        const incremental = job.status === "INCRE_TRANSFER_STARTED";
        const progress = jobs.progress(job);
        const full = job.status === "FULL_TRANSFER_STARTED" || job.status === "FULL_TRANSFER_COMPLETE";
        const percent = (n: number) => `${Math.min(100, n)}%`;
        return {
            job_id: job.id,
            progress: String(progress),
            incre_trans_delay: incremental ? String(job.increDelaySeconds) : "-1",
            incre_trans_delay_millis: incremental ? String(job.increDelaySeconds * 1000) : "-1",
            task_mode: job.taskMode,
            transfer_status: job.status,
            process_time: String(job.since),
            remaining_time: String(Math.ceil(jobs.remainingMs(job) / 1000)),
            ...(full
                ? {
                      progress_map: {
                          struct: { completed: percent(progress * 3), remaining_time: null },
                          data: { completed: percent(progress), remaining_time: String(Math.ceil(jobs.remainingMs(job) / 1000)) },
                          index: { completed: percent(progress >= 99 ? 100 : 0), remaining_time: null },
                      },
                  }
                : {}),
            ...(job.errorCode ? { error_code: job.errorCode, error_msg: job.errorMessage } : {}),
        };
    }

    /** The control API's answer to one request: its HTTP status and JSON body. */
    function control(method: string, path: string, raw: string): [number, unknown] {
        const parts = path.split("/").filter(Boolean).slice(1);
        let body: Record<string, unknown> = {};
        try {
            body = raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>);
        } catch {
            return [400, { error: "body is not JSON" }];
        }
        const [resource, id] = parts;
        if (resource === "jobs" && !id && method === "GET") return [200, { jobs: jobs.list().map(controlView) }];
        if (resource === "jobs" && !id && method === "POST") {
            const specs = (Array.isArray(body.jobs) ? body.jobs : [body]) as JobSpec[];
            return [201, { jobs: specs.map((s) => controlView(jobs.seed(s))) }];
        }
        if (resource === "jobs" && id && parts[2] === "actions" && method === "POST") {
            const action = body as unknown as ConsoleAction;
            if (!["pause", "resume", "stop", "delete", "fail"].includes(String(action.action))) return [400, { error: "action must be one of pause, resume, stop, delete, fail" }];
            if (!jobs.get(id)) return [404, { error: `no job ${id}` }];
            const result = jobs.act(id, action);
            const after = jobs.get(id);
            return [result.status === "success" ? 200 : 409, { result, ...(after ? { job: controlView(after) } : {}) }];
        }
        if (resource === "jobs" && id) {
            const job = jobs.get(id);
            if (!job) return [404, { error: `no job ${id}` }];
            if (method === "GET") return [200, controlView(job)];
            if (method === "DELETE") return [200, { deleted: jobs.delete(id) }];
            if (method === "PATCH") {
                const error = { errorCode: body.errorCode as string | undefined, errorMessage: body.errorMessage as string | undefined };
                const moved = body.otherActor !== undefined ? jobs.actAsOther(id, body.otherActor as OtherActor) : jobs.setStatus(id, String(body.status), error);
                return moved ? [200, controlView(moved)] : [404, { error: `no job ${id}` }];
            }
        }
        if (resource === "faults" && method === "POST") {
            faults.add(body as unknown as FaultSpec);
            return [201, { queued: true }];
        }
        if (resource === "faults" && method === "DELETE") {
            faults.clear();
            return [200, { cleared: true }];
        }
        const switched = resource !== undefined && !id ? answerSwitches.get(resource) : undefined;
        if (switched && method === "GET") return [200, { answer: switched.get() }];
        if (switched && method === "PUT") {
            if (!switched.put(body.answer)) return [400, { error: `answer must be one of ${switched.choices.join(", ")}` }];
            return [200, { answer: switched.get() }];
        }
        if (resource === "tokens" && id === "revoke" && method === "POST") {
            tokens.revokeAll();
            return [200, { revoked: true }];
        }
        if (resource === "calls" && method === "GET") return [200, { calls: calls.filter((c) => c.operation !== "control") }];
        if (resource === "calls" && method === "DELETE") {
            calls.length = 0;
            return [200, { cleared: true }];
        }
        return [404, { error: `unknown control call ${method} ${path}` }];
    }

    const controlView = (job: EmulatedJob) => ({ ...job, progress: jobs.progress(job) });

    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(options.port ?? 0, "127.0.0.1", resolve);
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;
    return {
        url,
        authUrl: `${url}/v3`,
        projectId,
        port,
        jobs,
        faults,
        tokens,
        calls,
        get deletedJobAnswer() {
            return deletedJobAnswer;
        },
        set deletedJobAnswer(answer: DeletedJobAnswer) {
            deletedJobAnswer = answer;
        },
        get listNameAnswer() {
            return listNameAnswer;
        },
        set listNameAnswer(answer: ListNameAnswer) {
            listNameAnswer = answer;
        },
        get statusAllAnswer() {
            return statusAllAnswer;
        },
        set statusAllAnswer(answer: StatusAllAnswer) {
            statusAllAnswer = answer;
        },
        get pausedStatusAnswer() {
            return jobs.pausedStatus;
        },
        set pausedStatusAnswer(answer: PausedStatusAnswer) {
            jobs.pausedStatus = answer;
        },
        get deletedListingAnswer() {
            return jobs.deletedListing;
        },
        set deletedListingAnswer(answer: DeletedListingAnswer) {
            jobs.deletedListing = answer;
        },
        count: (operation) => calls.filter((c) => c.operation === operation).length,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

/** Maps method and path to the DRS/IAM call, or undefined. */
function operationOf(method: string | undefined, path: string): EmulatedOperation | undefined {
    if (method === "DELETE") return /^\/v3\/[^/]+\/jobs\/batch-jobs$/.test(path) ? "batch-jobs" : undefined;
    if (method !== "POST") return undefined;
    if (path === "/v3/auth/tokens") return "iam-token";
    const m = /^\/v3\/([^/]+)\/jobs(\/batch-starting|\/batch-status|\/batch-progress|\/batch-pause-task|\/batch-retry-task)?$/.exec(path);
    if (!m) return undefined;
    return m[2] ? (m[2].slice(1) as EmulatedOperation) : "list-jobs";
}

/** The `jobs` array of a lifecycle call, each item an object; undefined when missing or empty. */
function jobItems(list: unknown): Record<string, unknown>[] | undefined {
    if (!Array.isArray(list) || list.length === 0) return undefined;
    return list.map((j) => (typeof j === "object" && j !== null ? (j as Record<string, unknown>) : {}));
}

/** The emulator's own `job_action.available_actions` per status. */
function actionsOf(job: EmulatedJob): string[] {
    if (job.status === "CONFIGURATION") return ["START", "EDIT", "DELETE"];
    if (job.status.endsWith("_FAILED")) return ["RETRY", "RESET", "STOP"];
    if (job.status === "PAUSING" || job.status === "PAUSEING") return ["RESUME", "STOP"];
    if (job.status.startsWith("RELEASE_")) return ["DELETE"];
    if (job.status === "DELETED") return [];
    return ["PAUSE", "STOP"];
}

function jobInfoOf(job: EmulatedJob): Record<string, unknown> {
    const actions = job.availableActions === undefined ? actionsOf(job) : job.availableActions;
    return {
        id: job.id,
        name: job.name,
        status: job.status,
        description: "",
        create_time: job.createTime,
        ...(job.errorMessage ? { error_msg: job.errorMessage } : {}),
        engine_type: job.engineType,
        net_type: "eip",
        billing_tag: false,
        job_direction: "up",
        db_use_type: job.dbUseType,
        task_type: job.taskMode,
        node_newFramework: false,
        ...(actions === null ? {} : { job_action: { available_actions: actions, current_action: job.starts > 0 ? "START" : "" } }),
    };
}

function badRequest(message: string): [number, unknown] {
    return [400, { error_code: "DRS.M00002", error_msg: message }];
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        let size = 0;
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > BODY_LIMIT) {
                reject(new Error("body too large"));
                req.destroy();
                return;
            }
            chunks.push(chunk);
        });
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}
