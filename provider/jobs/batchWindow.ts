import type { Clock } from "../wait/clock";
import { ArrivalPace } from "./arrivalPace";
import { JobFailure } from "./jobAnswers";

/** A window in a stream stays open this many of the stream's longest recent gaps after its latest new key (at most `streamGapMs`). */
export const HOLD_GAPS = 2;

/**
 * How long a {@link BatchWindow} stays open. A request of a new key that
 * comes in a stream (at most `streamGapMs` after the one before, see
 * {@link ArrivalPace}) keeps the window open until {@link HOLD_GAPS} of the
 * stream's longest recent gaps after it (between `firstMs` and
 * `streamGapMs`); a request that starts a stream (a lone one, or the first
 * after a pause) only `firstMs`. The pace is followed from window to window,
 * so once the engine hands creates over one by one every later window waits
 * for the next of them. Never longer than `maxMs` after the window's first
 * request; at once when `fullAt` distinct keys wait.
 */
export interface WindowTiming {
    readonly firstMs: number;
    /** Longest gap between arrivals that still counts as one stream; 0: every request is lone (a fixed window). */
    readonly streamGapMs: number;
    readonly maxMs: number;
    /** Distinct keys one flush serves at most in one call: the window closes once that many wait. */
    readonly fullAt?: number;
}

/** A window that closes `ms` after its first request, however many follow. */
export function fixedWindow(ms: number): WindowTiming {
    return { firstMs: ms, streamGapMs: 0, maxMs: ms };
}

/**
 * Collects single-key requests while the window is open (see
 * {@link WindowTiming}), then serves them all with one `flush` of the
 * distinct keys (DataLoader style).
 * Each caller gets its own key's result, or its own error: a key the flush
 * answers with a {@link JobFailure} fails alone.
 */
export class BatchWindow<K, R> {
    readonly #pending = new Map<K, { resolve(value: R): void; reject(error: unknown): void }[]>();
    readonly #pace: ArrivalPace;
    /** The open window's number; a sleeper of an earlier window does nothing. */
    #window = 0;
    #open = false;
    #openedAt = 0;
    #closesAt = 0;

    constructor(
        private readonly clock: Clock,
        private readonly timing: WindowTiming,
        /** Serves a batch: one result or failure per key (missing keys get `missing(key)`), or throws for all, told per key via `errorFor`. */
        private readonly flush: (keys: K[]) => Promise<Map<K, R | JobFailure>>,
        private readonly missing: (key: K) => R,
        private readonly errorFor: (error: unknown, key: K) => unknown = (error) => error,
    ) {
        this.#pace = new ArrivalPace(timing.streamGapMs);
    }

    /** The result for `key` from the next flush. */
    load(key: K): Promise<R> {
        return new Promise<R>((resolve, reject) => {
            const callers = this.#pending.get(key);
            if (callers) {
                callers.push({ resolve, reject });
                return;
            }
            this.#pending.set(key, [{ resolve, reject }]);
            const now = this.clock.now();
            const gap = this.#pace.arrive(now);
            const hold = gap === undefined ? this.timing.firstMs : Math.max(this.timing.firstMs, Math.min(this.timing.streamGapMs, HOLD_GAPS * gap));
            if (!this.#open) {
                this.#open = true;
                this.#openedAt = now;
                this.#closesAt = Math.min(now + hold, now + this.timing.maxMs);
                this.#closeAt(this.#closesAt, this.#window);
            } else {
                this.#closesAt = Math.min(this.#openedAt + this.timing.maxMs, Math.max(this.#closesAt, now + hold));
            }
            if (this.timing.fullAt !== undefined && this.#pending.size >= this.timing.fullAt) void this.#run();
        });
    }

    /** Sleeps until `at`, then flushes window `window` unless a later request moved its closing time (or it was flushed already). */
    #closeAt(at: number, window: number): void {
        void this.clock.sleep(at - this.clock.now()).then(() => {
            if (window !== this.#window) return;
            if (this.#closesAt > at) this.#closeAt(this.#closesAt, window);
            else void this.#run();
        });
    }

    async #run(): Promise<void> {
        const batch = new Map(this.#pending);
        this.#pending.clear();
        this.#open = false;
        this.#window++;
        try {
            const results = await this.flush([...batch.keys()]);
            for (const [key, callers] of batch) {
                const answer = results.get(key) ?? this.missing(key);
                for (const c of callers) {
                    if (answer instanceof JobFailure) c.reject(answer.error);
                    else c.resolve(answer);
                }
            }
        } catch (error) {
            for (const [key, callers] of batch) for (const c of callers) c.reject(this.errorFor(error, key));
        }
    }
}

/** `items` in chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
}
