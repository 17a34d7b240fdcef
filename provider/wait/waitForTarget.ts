import type { Clock } from "./clock";
import { isDeadEnd, jobStatusFamily, type JobStatusFamily } from "./jobStatusFamily";

/** One look at a job, as a status source reports it. */
export interface JobObservation {
    /** The DRS status, e.g. `FULL_TRANSFER_STARTED`. */
    readonly status: string;
    /** DRS error code that came with the status, if any. */
    readonly errorCode?: string;
    /** DRS error message that came with the status, if any. */
    readonly errorMessage?: string;
}

/**
 * What the wait does not need to hear about: the job still in `status` before
 * the clock reaches `until` (ms epoch). A source may keep looking without
 * answering while that holds, or ignore it.
 */
export interface StatusHold {
    readonly status: string;
    readonly until: number;
}

/**
 * Reports the job being waited on, or `undefined` when DRS no longer knows
 * the job; given a `hold`, at the first look outside it (or the look it was
 * given for, if the source ignores it).
 */
export type StatusSource = (hold?: StatusHold) => Promise<JobObservation | undefined>;

/** What to wait for and for how long. */
export interface WaitOptions {
    /** Statuses that end the wait successfully. */
    readonly targets: readonly string[];
    /** Give up after this many milliseconds. */
    readonly timeoutMs: number;
    /** Pause between two looks at the job. */
    readonly pollIntervalMs: number;
    /** Called with every observation (progress reporting). */
    readonly onObservation?: (observation: JobObservation, family: JobStatusFamily) => void;
    /** Ends the wait at once, between or during looks (the engine's Cancel). */
    readonly signal?: AbortSignal;
    /** How a status counts for this wait (default: its family relative to `targets`); a pause or a stop waits for other statuses than a start. */
    readonly familyOf?: (status: string) => JobStatusFamily;
}

/** How a wait ended. The wait never throws for job outcomes; only the status source can throw. */
export type WaitOutcome =
    /** The job reached one of the targets. `polls`: observations the source reported. */
    | { readonly kind: "reached"; readonly observation: JobObservation; readonly polls: number }
    /** The job entered a status it never leaves by waiting: failed, paused or stopped (see `family`). */
    | { readonly kind: "failed"; readonly observation: JobObservation; readonly family: JobStatusFamily; readonly polls: number }
    /** The deadline passed; `last` is the last status seen. */
    | { readonly kind: "timedOut"; readonly last?: JobObservation; readonly polls: number; readonly waitedMs: number }
    /** DRS stopped knowing the job, or reports it DELETED. */
    | { readonly kind: "gone"; readonly last?: JobObservation; readonly polls: number }
    /** The wait was cancelled (see {@link WaitOptions.signal}); `last` is the last status seen. */
    | { readonly kind: "cancelled"; readonly last?: JobObservation; readonly polls: number };

/** What the race against the cancel signal yields when the signal wins. */
const CANCELLED: unique symbol = Symbol("cancelled");

/**
 * Polls `source` until the job reaches a target status, enters a dead end
 * (failed, paused, stopped), disappears, or the timeout passes. The first look happens at once; each later one after
 * `pollIntervalMs`, never sleeping past the deadline (0: no sleep, the source paces the looks itself).
 * Once a status is seen, the source is told that the same status before the
 * deadline needs no answer: nothing in the wait changes until the status does.
 * An aborted `signal` ends the wait without waiting for the look under way.
 */
export async function waitForTarget(source: StatusSource, clock: Clock, options: WaitOptions): Promise<WaitOutcome> {
    let onAbort = () => {};
    const cancelled = new Promise<typeof CANCELLED>((resolve) => (onAbort = () => resolve(CANCELLED)));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
        return await waitLoop(source, clock, options, cancelled);
    } finally {
        options.signal?.removeEventListener("abort", onAbort);
    }
}

async function waitLoop(source: StatusSource, clock: Clock, options: WaitOptions, cancelled: Promise<typeof CANCELLED>): Promise<WaitOutcome> {
    const started = clock.now();
    const deadline = started + options.timeoutMs;
    let last: JobObservation | undefined;
    let polls = 0;
    for (;;) {
        if (options.signal?.aborted) return { kind: "cancelled", last, polls };
        // A source that stops on the same signal may reject first: that is the cancel too.
        const look = source(last && { status: last.status, until: deadline }).catch((error: unknown): typeof CANCELLED => {
            if (options.signal?.aborted) return CANCELLED;
            throw error;
        });
        const observation = await Promise.race([look, cancelled]);
        if (observation === CANCELLED) return { kind: "cancelled", last, polls };
        polls++;
        if (observation === undefined) return { kind: "gone", last, polls };
        const family = options.familyOf ? options.familyOf(observation.status) : jobStatusFamily(observation.status, options.targets);
        options.onObservation?.(observation, family);
        if (family === "gone") return { kind: "gone", last: observation, polls };
        last = observation;
        if (family === "target") return { kind: "reached", observation, polls };
        if (isDeadEnd(family)) return { kind: "failed", observation, family, polls };
        const now = clock.now();
        if (now >= deadline) return { kind: "timedOut", last, polls, waitedMs: now - started };
        if (options.pollIntervalMs > 0) await Promise.race([clock.sleep(Math.min(options.pollIntervalMs, deadline - now)), cancelled]);
    }
}
