/**
 * The engine's deadline for one operation: a resource's `customTimeouts`,
 * which the engine sends to a resource plugin as the `timeout` (seconds) of
 * Create, Update and Delete. Every wait of that operation takes it (see
 * `RunOptions.deadline`); the smaller of it and `timeoutSeconds` wins, and a
 * timeout names the bound that ran out.
 */

/** The operations the engine bounds with `customTimeouts`. */
export type TimedOperation = "create" | "update" | "delete";

/** A deadline the engine set for one operation. */
export interface OperationDeadline {
    /** Clock time (ms epoch) by which the operation must end. */
    readonly atMs: number;
    /** Its length as the engine sent it, in seconds. */
    readonly seconds: number;
    /** Where it came from, as users write it: `customTimeouts.create`. */
    readonly source: string;
}

/**
 * The deadline of an operation that began at `now` with the engine's
 * `timeoutSeconds`; undefined when the engine sent none (0, the protocol's
 * "unset", or anything not a positive number).
 */
export function operationDeadline(operation: TimedOperation, timeoutSeconds: number | undefined, now: number): OperationDeadline | undefined {
    if (timeoutSeconds === undefined || !Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) return undefined;
    return { atMs: now + timeoutSeconds * 1000, seconds: timeoutSeconds, source: `customTimeouts.${operation}` };
}

/** How long one wait may take, and how to name that bound when it runs out. */
export interface WaitBound {
    /** Milliseconds the wait may take from now. */
    readonly timeoutMs: number;
    /** `within 3600 s` (timeoutSeconds) or `within 2 s (customTimeouts.create ran out)`. */
    readonly within: string;
    /** The setting to raise for a longer wait. */
    readonly raise: string;
}

/**
 * The bound of a wait that starts at `now`: `timeoutSeconds` (plus
 * `extraMs`, e.g. the time until a scheduled start) or what is left of the
 * operation's deadline, whichever ends first.
 */
export function waitBound(timeoutSeconds: number, extraMs: number, deadline: OperationDeadline | undefined, now: number): WaitBound {
    const ownMs = timeoutSeconds * 1000 + extraMs;
    const leftMs = deadline ? Math.max(0, deadline.atMs - now) : Number.POSITIVE_INFINITY;
    if (deadline && leftMs < ownMs) return { timeoutMs: leftMs, within: `within ${deadline.seconds} s (${deadline.source} ran out)`, raise: deadline.source };
    return { timeoutMs: ownMs, within: `within ${timeoutSeconds} s`, raise: "timeoutSeconds" };
}
