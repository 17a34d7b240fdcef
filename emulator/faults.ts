/** The calls the emulator serves, named as the client names them. */
export type EmulatedOperation = "iam-token" | "batch-starting" | "batch-status" | "batch-progress" | "list-jobs" | "batch-pause-task" | "batch-retry-task" | "batch-jobs";

/** What a fault does instead of (or before) the normal answer. */
export type FaultAction =
    /** Answer with this HTTP status, headers and body (object → JSON, string → as is). */
    | {
          readonly kind: "respond";
          readonly status: number;
          readonly headers?: Readonly<Record<string, string>>;
          readonly body?: unknown;
          /** Act on the request first (e.g. start the job), then answer with this instead of the real answer. */
          readonly afterActing?: boolean;
      }
    /** Close the connection without an answer, before acting on the request. */
    | { readonly kind: "reset" }
    /** Act on the request, then close the connection without an answer (a lost response). */
    | { readonly kind: "drop-response" }
    /** Wait, then answer normally. */
    | { readonly kind: "delay"; readonly ms: number };

/** A fault queued for the next `times` calls of `operation`. */
export interface FaultSpec {
    readonly operation: EmulatedOperation | "*";
    readonly action: FaultAction;
    /** How many calls it hits; default 1. */
    readonly times?: number;
}

/** Queued faults, consumed in order, one per matching call. */
export class FaultQueue {
    readonly #queue: { spec: FaultSpec; left: number }[] = [];

    /** Queues a fault. */
    add(spec: FaultSpec): void {
        this.#queue.push({ spec, left: spec.times ?? 1 });
    }

    /** The fault for this call, if any, consuming one use. */
    take(operation: EmulatedOperation): FaultAction | undefined {
        const entry = this.#queue.find((e) => e.spec.operation === operation || e.spec.operation === "*");
        if (!entry) return undefined;
        entry.left--;
        if (entry.left <= 0) this.#queue.splice(this.#queue.indexOf(entry), 1);
        return entry.spec.action;
    }

    /** Drops every queued fault. */
    clear(): void {
        this.#queue.length = 0;
    }
}
