import { DrsApiError, JOB_NOT_FOUND_CODES } from "./drs/errors";
import { DrsJobError } from "./jobError";
import type { Clock } from "./wait/clock";

/**
 * How the core treats DRS refusing a call on a job: the vendor codes, which
 * of them are transient, and the backoff before the call is sent again.
 * The start (batch-starting) and the lifecycle calls (batch-pause-task,
 * batch-retry-task, batch-jobs DELETE) share it.
 */

/** Vendor codes of a refused call (per-job result of a 2xx, or a 400). */
export const REFUSAL_CODES = {
    /** Another operation runs on the task (or it is abnormal): transient. */
    busy: "DRS.M01504",
    /** Operation too frequent: throttling, like a 429. */
    tooFrequent: "DRS.M01503",
    /** The task's status does not allow the call. */
    wrongStatus: "DRS.M00304",
    /** Task information not found. */
    notFound: "DRS.M05003",
    /** The task was deleted or its resources released. */
    deleted: "DRS.M05004",
    /** The job does not exist (Huawei Cloud's reading of a batch call's 400). */
    doesNotExist: "DRS.M00289",
} as const;

/** DRS's code and message for a call it refused. */
export interface Refusal {
    readonly errorCode?: string;
    readonly errorMessage?: string;
}

/** How many times a call DRS refuses as transient (busy, too frequent) is sent in all. */
export const REFUSED_ATTEMPTS = 5;
/** First pause before a call refused as busy is sent again, doubled per refusal (too frequent: twice as long). */
export const REFUSED_BACKOFF_MS = 1_000;

/** A 400 that names a vendor code: DRS answered and refused (nothing was done). */
function isRefusal(error: DrsApiError): boolean {
    return error.httpStatus === 400 && error.code !== undefined && error.code.startsWith("DRS.");
}

/** The refusal a rejected call stands for, or undefined when it was no refusal (a transport failure). */
export function refusalOf(error: unknown): Refusal | undefined {
    return error instanceof DrsApiError && isRefusal(error) ? { errorCode: error.code, errorMessage: error.vendorMessage } : undefined;
}

/** True for the codes after which the same call is sent again: busy and too frequent. */
function isTransient(refusal: Refusal): boolean {
    return refusal.errorCode === REFUSAL_CODES.busy || refusal.errorCode === REFUSAL_CODES.tooFrequent;
}

/** True when DRS no longer knows the job (not found, deleted, does not exist). */
export function isJobGone(refusal: Refusal): boolean {
    return refusal.errorCode !== undefined && JOB_NOT_FOUND_CODES.has(refusal.errorCode);
}

/** The pause before the call refused for the `refusals`-th time (1-based) is sent again. */
function refusalBackoffMs(refusal: Refusal, refusals: number): number {
    const factor = refusal.errorCode === REFUSAL_CODES.tooFrequent ? 2 : 1;
    return REFUSED_BACKOFF_MS * factor * 2 ** (refusals - 1);
}

/**
 * After one more refusal: sleeps the backoff and returns true when the call
 * should be sent again, false when it should not (a refusal that is not
 * transient, or the last of {@link REFUSED_ATTEMPTS}). An aborted `signal`
 * (the engine's Cancel) ends the sleep at once: it rejects with the signal's
 * reason and nothing is sent again.
 */
export async function backOffAfter(refusal: Refusal, refusals: number, clock: Clock, signal?: AbortSignal): Promise<boolean> {
    if (!isTransient(refusal) || refusals >= REFUSED_ATTEMPTS) return false;
    signal?.throwIfAborted();
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => (onAbort = () => reject(signal?.reason)));
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
        await Promise.race([clock.sleep(refusalBackoffMs(refusal, refusals)), aborted]);
    } finally {
        signal?.removeEventListener("abort", onAbort);
    }
    return true;
}

/** How a call that DRS may refuse ended: accepted, or refused (after `refusals` tries). */
export type Sent = { readonly accepted: true } | { readonly accepted: false; readonly refusal: Refusal; readonly refusals: number };

/**
 * Sends a call on one job until DRS accepts it or refuses it for good:
 * a transient refusal (busy, too frequent; a per-job `failed` or a 400) is
 * re-sent with the backoff, {@link REFUSED_ATTEMPTS} sends in all. A call
 * that fails otherwise (transport, 5xx, timeout) rejects as it did: it is
 * never re-sent here, so a call whose outcome is unknown is not repeated.
 * An aborted `signal` ends a backoff at once (see {@link backOffAfter}).
 */
export async function sendRefusable(send: () => Promise<{ readonly status: "success" | "failed" } & Refusal>, clock: Clock, signal?: AbortSignal): Promise<Sent> {
    for (let refusals = 1; ; refusals++) {
        let refusal: Refusal;
        try {
            const result = await send();
            if (result.status !== "failed") return { accepted: true };
            refusal = { errorCode: result.errorCode, errorMessage: result.errorMessage };
        } catch (error) {
            const refused = refusalOf(error);
            if (!refused) throw error;
            refusal = refused;
        }
        if (!(await backOffAfter(refusal, refusals, clock, signal))) return { accepted: false, refusal, refusals };
    }
}

/** How one call on a job is named in a refusal's message, and what to do about its refusals. */
export interface RefusedCall {
    /** The call as a noun: "the start", "the pause". */
    readonly noun: string;
    /** The call as a verb: "start", "pause". */
    readonly verb: string;
    /** What the user should know was not done, e.g. "Nothing was started." */
    readonly nothingDone: string;
    /** What to do when the job's status does not allow the call (`DRS.M00304`). */
    readonly wrongStatusFix: string;
    /** What to do about any other code. */
    readonly otherFix: string;
}

/** The error of a call on `jobId` that DRS refused (after `refusals` sends), with advice that fits its code. */
export function refusalError(jobId: string, call: RefusedCall, refusal: Refusal, status: string | undefined, refusals: number, properties?: Readonly<Record<string, unknown>>): DrsJobError {
    const common = { jobId, errorCode: refusal.errorCode, errorMessage: refusal.errorMessage, status, properties };
    switch (refusal.errorCode) {
        case REFUSAL_CODES.busy:
            return new DrsJobError({
                ...common,
                summary: `DRS refused ${call.noun} ${refusals} times: another operation runs on the job`,
                action: `Wait until that operation ends (DRS console: the job's current action), then run pulumi up again. ${call.nothingDone}`,
            });
        case REFUSAL_CODES.tooFrequent:
            return new DrsJobError({
                ...common,
                summary: `DRS refused ${call.noun} ${refusals} times as too frequent`,
                action: `${call.verb === "start" ? "Start" : "Change"} fewer jobs at once (pulumi up --parallel, or split the rollout), then run pulumi up again. ${call.nothingDone}`,
            });
        case REFUSAL_CODES.wrongStatus:
            return new DrsJobError({ ...common, summary: `DRS refused to ${call.verb} the job in its current status`, action: call.wrongStatusFix });
        case REFUSAL_CODES.notFound:
        case REFUSAL_CODES.deleted:
        case REFUSAL_CODES.doesNotExist:
            // The codes of JOB_NOT_FOUND_CODES.
            return new DrsJobError({ ...common, properties: undefined, summary: `DRS no longer knows the job it was asked to ${call.verb}`, action: "Check whether the job was deleted; point jobId at an existing job." });
        default:
            return new DrsJobError({ ...common, summary: `DRS refused to ${call.verb} the job`, action: call.otherFix });
    }
}
