/** The DRS calls the client makes, named as in error messages. */
export type DrsOperation = "batch-starting" | "batch-status" | "batch-progress" | "list-jobs" | "iam-token";

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
}

/**
 * A DRS or IAM call that failed: carries the HTTP status, the vendor code and
 * message, and the job ids, and renders them all in `message`. Never holds a
 * credential: bodies and headers are not kept.
 */
export class DrsApiError extends Error implements DrsApiErrorInit {
    readonly operation: DrsOperation;
    readonly httpStatus: number;
    readonly code?: string;
    readonly vendorMessage: string;
    readonly jobIds: readonly string[];
    readonly hint?: string;

    constructor(init: DrsApiErrorInit) {
        const jobs = init.jobIds && init.jobIds.length > 0 ? ` for job ${init.jobIds.join(", ")}` : "";
        const status = init.httpStatus > 0 ? `HTTP ${init.httpStatus}` : "no response";
        const code = init.code ? ` ${init.code}` : "";
        const hint = init.hint ? ` ${init.hint}` : "";
        super(`DRS ${init.operation}${jobs} failed (${status}${code}): ${init.vendorMessage.replace(/\.+$/, "")}.${hint}`);
        this.name = "DrsApiError";
        this.operation = init.operation;
        this.httpStatus = init.httpStatus;
        this.code = init.code;
        this.vendorMessage = init.vendorMessage;
        this.jobIds = init.jobIds ?? [];
        this.hint = init.hint;
    }

    /** The same failure, reported for `jobIds` (a shared call, told to each job it was for). */
    forJobs(jobIds: readonly string[]): DrsApiError {
        return new DrsApiError({ operation: this.operation, httpStatus: this.httpStatus, code: this.code, vendorMessage: this.vendorMessage, hint: this.hint, jobIds });
    }
}

/** A vendor error body in any of the shapes gateways use. */
export interface VendorError {
    readonly code?: string;
    readonly message?: string;
}

/**
 * Reads `{error_code, error_msg}`, `{errorCode, errorMsg}` or
 * `{error: {code, message}}` from a parsed body.
 */
export function parseVendorError(body: unknown): VendorError {
    if (typeof body !== "object" || body === null) return {};
    const b = body as Record<string, unknown>;
    const nested = typeof b.error === "object" && b.error !== null ? (b.error as Record<string, unknown>) : {};
    const pick = (...values: unknown[]): string | undefined => {
        const found = values.find((v) => typeof v === "string" && v.length > 0);
        return found as string | undefined;
    };
    return {
        code: pick(b.error_code, b.errorCode, nested.code, b.code),
        message: pick(b.error_msg, b.error_message, b.errorMsg, nested.message, b.message),
    };
}
