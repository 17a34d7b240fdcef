/**
 * Shapes of the DRS v3 request and response bodies, as documented (numbers
 * may arrive as strings), and the lenient readers that turn them into
 * typed values.
 */

/** `db_use_type` of the tenant job list. */
export type DbUseType = "migration" | "sync" | "cloudDataGuard";

/** All `db_use_type` values, in the order `read` searches them. */
export const DB_USE_TYPES: readonly DbUseType[] = ["migration", "sync", "cloudDataGuard"];

/** One entry of `batch-starting` `results`. */
export interface StartJobResult {
    readonly id: string;
    readonly status: "success" | "failed";
    readonly errorCode?: string;
    readonly errorMessage?: string;
}

/** `pause_mode` of batch-pause-task: `target` stops replay (log capture goes on), `all` stops capture and replay. */
export type PauseMode = "target" | "all";

/** `delete_type` of `DELETE .../jobs/batch-jobs`: stop, stop by force, or delete a stopped job. */
export type DeleteType = "terminate" | "force_terminate" | "delete";

/**
 * One entry of the `results` of batch-pause-task, batch-retry-task and
 * `DELETE batch-jobs`: the same shape as a start's.
 */
export type JobActionResult = StartJobResult;

/** One entry of `batch-status` `results`. */
export interface JobStatusResult {
    readonly id: string;
    /** Empty when DRS did not report a status (unknown job). */
    readonly status: string;
    readonly errorCode?: string;
    readonly errorMessage?: string;
}

/** Full transfer progress per phase, 0..100 each (`progress_map`). */
export interface PhaseProgress {
    readonly structure?: number;
    readonly data?: number;
    readonly index?: number;
}

/** One entry of `batch-progress` `results`, numbers parsed. */
export interface JobProgress {
    readonly jobId: string;
    /** 0..100, undefined when not reported. */
    readonly progress?: number;
    /** Seconds; undefined when DRS says n/a (`-1`). */
    readonly increTransDelaySeconds?: number;
    /** Milliseconds (`incre_trans_delay_millis`), where DRS reports it. */
    readonly increTransDelayMillis?: number;
    /** DRS's estimate of the remaining time, verbatim (the vendor pages give no unit). */
    readonly remainingTime?: string;
    /** Per-phase progress of the full transfer, where DRS reports `progress_map`. */
    readonly phases?: PhaseProgress;
    readonly taskMode?: string;
    readonly transferStatus?: string;
    /** ms epoch, undefined when 0 or absent. */
    readonly processTime?: number;
    readonly errorCode?: string;
    readonly errorMessage?: string;
}

/** The parts of `JobInfo` (tenant job list) the provider uses. */
export interface JobInfo {
    readonly id: string;
    readonly name: string;
    readonly status: string;
    readonly dbUseType?: string;
    readonly taskType?: string;
    readonly engineType?: string;
    readonly createTime?: string;
    readonly errorMessage?: string;
    /** `job_action.available_actions`, where DRS reports it (e.g. `START`). */
    readonly availableActions?: readonly string[];
    /** `job_action.current_action`, where DRS reports it. */
    readonly currentAction?: string;
}

type Raw = Record<string, unknown>;

/** Reads an optional non-empty string. */
export function str(value: unknown): string | undefined {
    if (typeof value === "string") return value.length > 0 ? value : undefined;
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    return undefined;
}

/** Reads a number that may arrive as a string; undefined when absent or not numeric. */
export function num(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value === "string" && value.trim() !== "") {
        const n = Number(value.replace(/%$/, ""));
        return Number.isFinite(n) ? n : undefined;
    }
    return undefined;
}

/** Reads `body[key]` as an array of objects (missing = empty). */
export function records(body: unknown, key: string): Raw[] {
    const value = typeof body === "object" && body !== null ? (body as Raw)[key] : undefined;
    return Array.isArray(value) ? value.filter((v): v is Raw => typeof v === "object" && v !== null) : [];
}

/**
 * Parses a `batch-starting` result entry, or one of a lifecycle call
 * (`error_msg`, or `error_message` as batch-status spells it; an `id` or
 * `job_id`).
 */
export function readStartResult(r: Raw): StartJobResult {
    return {
        id: str(r.id) ?? str(r.job_id) ?? "",
        status: r.status === "success" ? "success" : "failed",
        errorCode: str(r.error_code),
        errorMessage: str(r.error_msg) ?? str(r.error_message),
    };
}

/** Parses a `batch-status` result entry (`error_message`, not `error_msg`). */
export function readStatusResult(r: Raw): JobStatusResult {
    return {
        id: str(r.id) ?? str(r.job_id) ?? "",
        status: str(r.status) ?? "",
        errorCode: str(r.error_code),
        errorMessage: str(r.error_message) ?? str(r.error_msg),
    };
}

/** Parses a `batch-progress` result entry. */
export function readProgress(r: Raw): JobProgress {
    const delay = num(r.incre_trans_delay);
    const delayMillis = num(r.incre_trans_delay_millis);
    const processTime = num(r.process_time);
    return {
        jobId: str(r.job_id) ?? str(r.id) ?? "",
        progress: num(r.progress),
        increTransDelaySeconds: delay === undefined || delay < 0 ? undefined : delay,
        increTransDelayMillis: delayMillis === undefined || delayMillis < 0 ? undefined : delayMillis,
        remainingTime: str(r.remaining_time),
        phases: readPhases(r.progress_map),
        taskMode: str(r.task_mode),
        transferStatus: str(r.transfer_status),
        processTime: processTime ? processTime : undefined,
        errorCode: str(r.error_code),
        errorMessage: str(r.error_msg) ?? str(r.error_message),
    };
}

/** Phase names of `progress_map` and the {@link PhaseProgress} field each fills. */
const PHASES = { struct: "structure", data: "data", index: "index" } as const;

/**
 * Reads `progress_map`: documented as an array, shown as an object keyed
 * `struct`/`data`/`index`; accepts both (array entries name their phase in
 * `type` or `name`). Undefined when no phase has a readable `completed`.
 */
export function readPhases(value: unknown): PhaseProgress | undefined {
    const entries: [unknown, unknown][] = Array.isArray(value) ? value.filter((v): v is Raw => typeof v === "object" && v !== null).map((v) => [v.type ?? v.name, v]) : typeof value === "object" && value !== null ? Object.entries(value) : [];
    const phases: Record<string, number> = {};
    for (const [key, entry] of entries) {
        const field = PHASES[key as keyof typeof PHASES];
        const completed = typeof entry === "object" && entry !== null ? num((entry as Raw).completed) : undefined;
        if (field && completed !== undefined) phases[field] = completed;
    }
    return Object.keys(phases).length > 0 ? phases : undefined;
}

/** Parses a tenant job list entry. */
export function readJobInfo(r: Raw): JobInfo {
    const action = typeof r.job_action === "object" && r.job_action !== null ? (r.job_action as Raw) : {};
    const available = Array.isArray(action.available_actions) ? action.available_actions.map(str).filter((a): a is string => a !== undefined) : undefined;
    return {
        id: str(r.id) ?? "",
        name: str(r.name) ?? "",
        status: str(r.status) ?? "",
        dbUseType: str(r.db_use_type),
        taskType: str(r.task_type),
        engineType: str(r.engine_type),
        createTime: str(r.create_time),
        errorMessage: str(r.error_msg),
        availableActions: available,
        currentAction: str(action.current_action),
    };
}
