import fetch, { type Headers } from "node-fetch";
import pRetry from "p-retry";
import { DrsApiError, type DrsOperation, isJobRefusalStatus, JOB_NOT_FOUND_CODES, parseVendorError } from "./errors";
import { records } from "./wire";

/** Backoff settings for retried calls (exponential, with jitter). */
export interface RetryPolicy {
    /** Retries after the first attempt. */
    readonly retries: number;
    /** Delay before the first retry; doubles each time, randomized ×1..2. */
    readonly minDelayMs: number;
    /** Upper bound of one backoff delay. */
    readonly maxDelayMs: number;
    /** Upper bound honoured for a `Retry-After` header. */
    readonly maxRetryAfterMs: number;
}

/** Defaults: 5 retries, 0.5 s doubling to at most 20 s, `Retry-After` up to 2 min. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, minDelayMs: 500, maxDelayMs: 20_000, maxRetryAfterMs: 120_000 };

/** Transport settings shared by every call of a client. */
export interface TransportOptions {
    /** Abort one attempt after this many milliseconds. */
    readonly requestTimeoutMs: number;
    /** Backoff for retried attempts. */
    readonly retry: RetryPolicy;
    /** Told about every attempt that will be retried (e.g. so pollers slow down on 429). */
    readonly onRetry?: (failure: { readonly operation: DrsOperation; readonly httpStatus: number }) => void;
}

/** Defaults: 30 s per attempt, {@link DEFAULT_RETRY_POLICY}. */
export const DEFAULT_TRANSPORT: TransportOptions = { requestTimeoutMs: 30_000, retry: DEFAULT_RETRY_POLICY };

/**
 * Which failures a call may retry.
 * - `"any"`: 429, 5xx, network errors, timeouts, unreadable bodies (safe for reads).
 * - `"unsent"`: only failures that prove the request was not acted on (429,
 *   connection refused); for calls that must never land twice, such as
 *   batch-starting and batch-retry-task.
 */
export type RetryMode = "any" | "unsent";

/** One JSON request: a POST, or a DELETE with a JSON body (`DELETE .../jobs/batch-jobs`). */
export interface JsonRequest {
    readonly operation: DrsOperation;
    /** Default `POST`. */
    readonly method?: "POST" | "DELETE";
    readonly url: string;
    readonly body: unknown;
    readonly headers: Readonly<Record<string, string>>;
    readonly jobIds?: readonly string[];
    readonly retryMode: RetryMode;
    /**
     * The call answers per job in `results`: a refusal (see `isJobRefusalStatus`)
     * whose JSON body carries them is returned like a 2xx, so each job gets its
     * own entry instead of every job the same error.
     */
    readonly perJobResults?: boolean;
    /** Signs each attempt (AK/SK): returns the headers to send with this exact body. */
    readonly sign?: (bodyText: string, headers: Readonly<Record<string, string>>) => Record<string, string>;
}

/** A successful (2xx) response, or a refusal answered per job (see `JsonRequest.perJobResults`). */
export interface JsonResponse {
    readonly status: number;
    readonly headers: Headers;
    readonly body: unknown;
}

/** An attempt that failed in a way worth retrying; carries the final error to report. */
class RetryableError extends Error {
    constructor(
        readonly final: DrsApiError,
        readonly retryAfterMs?: number,
    ) {
        super(final.message);
    }
}

/** Parses `Retry-After` (delta seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
    if (value === null || value.trim() === "") return undefined;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends JSON (POST, or the request's `method`) and returns the parsed 2xx body. Retries with p-retry according
 * to `retryMode`; a 429 waits its `Retry-After` before the regular jittered
 * backoff. Every failure becomes a {@link DrsApiError}.
 */
export async function postJson(request: JsonRequest, transport: TransportOptions): Promise<JsonResponse> {
    const { retry } = transport;
    try {
        return await pRetry(() => attempt(request, transport.requestTimeoutMs), {
            retries: retry.retries,
            factor: 2,
            minTimeout: retry.minDelayMs,
            maxTimeout: retry.maxDelayMs,
            randomize: true,
            onFailedAttempt: async (error) => {
                // Report the last failure, not p-retry's most frequent one.
                if (error.retriesLeft <= 0) throw error;
                if (error instanceof RetryableError) transport.onRetry?.({ operation: error.final.operation, httpStatus: error.final.httpStatus });
                if (error instanceof RetryableError && error.retryAfterMs !== undefined) {
                    await sleep(Math.min(error.retryAfterMs, retry.maxRetryAfterMs));
                }
            },
        });
    } catch (error) {
        if (error instanceof RetryableError) throw error.final.withMessage((message) => `${message} (gave up after ${retry.retries + 1} attempts)`);
        throw error;
    }
}

async function attempt(request: JsonRequest, timeoutMs: number): Promise<JsonResponse> {
    const { operation, jobIds } = request;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
        let response: Awaited<ReturnType<typeof fetch>>;
        const bodyText = JSON.stringify(request.body);
        const headers = { "Content-Type": "application/json", ...request.headers };
        const noResponse = (vendorMessage: string) => new DrsApiError({ operation, httpStatus: 0, vendorMessage, jobIds });
        try {
            response = await fetch(request.url, {
                method: request.method ?? "POST",
                headers: { Accept: "application/json", ...(request.sign ? request.sign(bodyText, headers) : headers) },
                body: bodyText,
                signal: controller.signal,
            });
        } catch (error) {
            throw transportFailure(error, request, timeoutMs, noResponse);
        }
        let text: string;
        try {
            text = await response.text();
        } catch (error) {
            throw transportFailure(error, request, timeoutMs, noResponse);
        }
        const body = parseBody(text);
        const { status } = response;
        const fail = (hint?: string, vendorMessage?: string) => {
            const vendor = parseVendorError(body);
            return new DrsApiError({
                operation,
                httpStatus: status,
                code: vendor.code,
                vendorMessage: vendorMessage ?? vendor.message ?? describeBody(body, text, response.statusText),
                jobIds,
                hint: hint ?? (vendor.code !== undefined && JOB_NOT_FOUND_CODES.has(vendor.code) ? NOT_FOUND_HINT : undefined),
                requestId: response.headers.get("x-request-id") ?? undefined,
            });
        };
        if (status === 429) {
            const err = fail("DRS throttles per tenant; lower the number of parallel starts or raise pollIntervalSeconds.", parseVendorError(body).message ?? "too many requests");
            throw new RetryableError(err, parseRetryAfter(response.headers.get("retry-after")));
        }
        if (status >= 500) {
            const err = fail("The DRS endpoint or its gateway failed; retry later.");
            if (request.retryMode === "any") throw new RetryableError(err);
            throw new pRetry.AbortError(err);
        }
        if (status >= 400) {
            if (request.perJobResults && isJobRefusalStatus(status) && records(body, "results").length > 0) return { status, headers: response.headers, body };
            throw new pRetry.AbortError(fail(hintFor(status)));
        }
        if (body === undefined) {
            const err = fail(undefined, `unreadable response body (${describeBody(body, text, response.statusText)})`);
            if (request.retryMode === "any") throw new RetryableError(err);
            throw new pRetry.AbortError(err);
        }
        return { status, headers: response.headers, body };
    } finally {
        clearTimeout(timer);
    }
}

function transportFailure(error: unknown, request: JsonRequest, timeoutMs: number, fail: (message: string) => DrsApiError): Error {
    const e = error as { name?: string; code?: string; message?: string };
    const timedOut = e.name === "AbortError";
    const message = timedOut ? `no response within ${timeoutMs} ms` : `network error ${e.code ?? ""} ${e.message ?? String(error)}`.replace(/\s+/g, " ").trim();
    const err = fail(message);
    const unsent = e.code === "ECONNREFUSED";
    return request.retryMode === "any" || unsent ? new RetryableError(err) : new pRetry.AbortError(err);
}

function parseBody(text: string): unknown {
    if (text.trim() === "") return undefined;
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}

/** How much of a body an error message quotes. */
const QUOTED_CHARS = 120;

/** Describes a body that carries no vendor message: empty, JSON without one, or not JSON at all. */
function describeBody(body: unknown, text: string, statusText: string): string {
    if (text.trim() === "") return statusText ? `empty body, ${statusText}` : "empty body";
    if (body !== undefined) {
        const code = parseVendorError(body).code;
        return code !== undefined ? "no error message in the JSON body" : `JSON body without error_code or error_msg: ${text.replace(/\s+/g, " ").trim().slice(0, QUOTED_CHARS)}`;
    }
    const flat = text
        .replace(/<[^>]*>/g, " ")
        .replace(/\s+/g, " ")
        .trim();
    return `non-JSON body: ${flat.slice(0, QUOTED_CHARS)}`;
}

/** What to do when DRS says a job does not exist or has been deleted. */
const NOT_FOUND_HINT = "DRS says the job does not exist or has been deleted: check jobId, projectId and region.";

function hintFor(status: number): string | undefined {
    if (status === 401)
        return "The credentials were refused: check the token (drs:token or OS_TOKEN; it may have expired), the access keys (drs:accessKey/drs:secretKey or OS_ACCESS_KEY/OS_SECRET_KEY, and the security token of temporary keys), or the IAM user and password (drs:username/drs:password or OS_USERNAME/OS_PASSWORD).";
    if (status === 403) return "The credentials are not allowed to use DRS in this project: check projectId and the user's DRS permissions.";
    if (status === 404) return "Check the endpoint, region and projectId.";
    return undefined;
}
