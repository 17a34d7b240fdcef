import { records, str } from "./wire";

/** The DRS calls the client makes, named as in error messages. */
export type DrsOperation = "batch-starting" | "batch-status" | "batch-progress" | "list-jobs" | "iam-token" | "batch-pause-task" | "batch-retry-task" | "batch-jobs";

/** Fields of a {@link DrsApiError}. */
export interface DrsApiErrorInit {
    /** The call that failed. */
    readonly operation: DrsOperation;
    /** HTTP status, or 0 when no response arrived (network error, timeout). */
    readonly httpStatus: number;
    /** Vendor error code such as `DRS.M05003`, when the body carried one. */
    readonly code?: string;
    /** Vendor error message, or a description of the transport failure. */
    readonly vendorMessage: string;
    /** Job ids the call was about. */
    readonly jobIds?: readonly string[];
    /** What the user can do about it. */
    readonly hint?: string;
    /** The response's `X-Request-Id` header: vendor support asks for it. */
    readonly requestId?: string;
}

/**
 * A DRS or IAM call that failed: carries the HTTP status, the vendor code and
 * message, the job ids and the request id, and renders them all in
 * `message`. Never holds a credential: bodies and headers are not kept.
 */
export class DrsApiError extends Error implements DrsApiErrorInit {
    readonly operation: DrsOperation;
    readonly httpStatus: number;
    readonly code?: string;
    readonly vendorMessage: string;
    readonly jobIds: readonly string[];
    readonly hint?: string;
    readonly requestId?: string;

    constructor(init: DrsApiErrorInit) {
        const jobs = init.jobIds && init.jobIds.length > 0 ? ` for job ${init.jobIds.join(", ")}` : "";
        const status = init.httpStatus > 0 ? `HTTP ${init.httpStatus}` : "no response";
        // Some gateways answer with the HTTP status as the code: "HTTP 401", not "HTTP 401 401".
        const code = init.code && init.code !== String(init.httpStatus) ? ` ${init.code}` : "";
        const hint = init.hint ? ` ${init.hint}` : "";
        const requestId = init.requestId ? ` X-Request-Id: ${init.requestId}.` : "";
        super(`DRS ${init.operation}${jobs} failed (${status}${code}): ${init.vendorMessage.replace(/\.+$/, "")}.${hint}${requestId}`);
        this.name = "DrsApiError";
        this.operation = init.operation;
        this.httpStatus = init.httpStatus;
        this.code = init.code;
        this.vendorMessage = init.vendorMessage;
        this.jobIds = init.jobIds ?? [];
        this.hint = init.hint;
        this.requestId = init.requestId;
    }

    /** The same failure, reported for `jobIds` (a shared call, told to each job it was for). */
    forJobs(jobIds: readonly string[]): DrsApiError {
        return new DrsApiError({ ...this.#init(), jobIds });
    }

    /** The same failure with `vendorMessage` changed by `edit` (e.g. to add how often it was tried). */
    withMessage(edit: (vendorMessage: string) => string): DrsApiError {
        return new DrsApiError({ ...this.#init(), vendorMessage: edit(this.vendorMessage) });
    }

    #init(): DrsApiErrorInit {
        const { operation, httpStatus, code, vendorMessage, jobIds, hint, requestId } = this;
        return { operation, httpStatus, code, vendorMessage, jobIds, hint, requestId };
    }
}

/**
 * Vendor codes saying a job does not exist (`DRS.M05003` "task information
 * not found" in the vendor's error table, `DRS.M00289` in Terraform's
 * reading) or has been deleted (`DRS.M05004`).
 */
export const JOB_NOT_FOUND_CODES: ReadonlySet<string> = new Set(["DRS.M00289", "DRS.M05003", "DRS.M05004"]);

/**
 * True for a 4xx by which DRS may refuse a request because of a job it names
 * (400, 409, 422, ...): every 4xx except those no job causes, i.e. refused
 * credentials (401, 403, 407), a wrong endpoint (404), a timeout (408) and
 * throttling (429). A refusal means the request was not acted on as a whole.
 */
export function isJobRefusalStatus(httpStatus: number): boolean {
    return httpStatus >= 400 && httpStatus < 500 && ![401, 403, 404, 407, 408, 429].includes(httpStatus);
}

/** True when DRS refused a call saying that a job it names does not exist or has been deleted. */
export function isJobNotFound(error: unknown): error is DrsApiError {
    return error instanceof DrsApiError && isJobRefusalStatus(error.httpStatus) && error.code !== undefined && JOB_NOT_FOUND_CODES.has(error.code);
}

/** A vendor error body in any of the shapes gateways use. */
export interface VendorError {
    readonly code?: string;
    readonly message?: string;
}

/** Per-job entries shown in a message about a body without a top-level error. */
const RESULTS_SHOWN = 3;

/**
 * Reads `{error_code, error_msg}`, `{errorCode, errorMsg}` or
 * `{error: {code, message}}` (IAM's numeric code kept as text) from a parsed
 * body; a body that only carries per-job `results` gives the first failed
 * job's code and a message naming each failed job.
 */
export function parseVendorError(body: unknown): VendorError {
    if (typeof body !== "object" || body === null) return {};
    const b = body as Record<string, unknown>;
    const nested = typeof b.error === "object" && b.error !== null ? (b.error as Record<string, unknown>) : {};
    const pick = (...values: unknown[]): string | undefined => values.map(str).find((v) => v !== undefined);
    const code = pick(b.error_code, b.errorCode, nested.code, b.code);
    const message = pick(b.error_msg, b.error_message, b.errorMsg, nested.message, b.message);
    if (code !== undefined || message !== undefined) return { code, message };
    const failed = records(body, "results").filter((r) => str(r.error_code) !== undefined);
    if (failed.length === 0) return {};
    const shown = failed.slice(0, RESULTS_SHOWN).map((r) => {
        const text = pick(r.error_msg, r.error_message);
        return `job ${pick(r.id, r.job_id) ?? "(no id)"}: ${str(r.error_code)}${text ? ` ${text.replace(/\.+$/, "")}` : ""}`;
    });
    const more = failed.length > RESULTS_SHOWN ? `; and ${failed.length - RESULTS_SHOWN} more` : "";
    return { code: str(failed[0].error_code), message: `per-job results: ${shown.join("; ")}${more}` };
}
