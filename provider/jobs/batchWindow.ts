import { Clock } from "../wait/clock";
import { JobFailure } from "./jobAnswers";

/**
 * How long a {@link BatchWindow} stays open: `firstMs` after the first
 * request; each request of a new key keeps it open until at least `quietMs`
 * after it; never longer than `maxMs` after the first request. A lone request
 * waits only `firstMs`; a burst (the engine handing over a stack's creates)
 * is served by one flush as long as its requests come less than `quietMs`
 * apart.
 */
export interface WindowTiming {
    readonly firstMs: number;
    readonly quietMs: number;
    readonly maxMs: number;
}

/** A window that closes `ms` after its first request, however many follow. */
export function fixedWindow(ms: number): WindowTiming {
    return { firstMs: ms, quietMs: 0, maxMs: ms };
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
    #scheduled = false;
    #openedAt = 0;
    #closesAt = 0;

    constructor(
        private readonly clock: Clock,
        private readonly timing: WindowTiming,
        /** Serves a batch: one result or failure per key (missing keys get `missing(key)`), or throws for all, told per key via `errorFor`. */
        private readonly flush: (keys: K[]) => Promise<Map<K, R | JobFailure>>,
        private readonly missing: (key: K) => R,
        private readonly errorFor: (error: unknown, key: K) => unknown = (error) => error,
    ) {}

    /** The result for `key` from the next flush. */
    load(key: K): Promise<R> {
        return new Promise<R>((resolve, reject) => {
            const callers = this.#pending.get(key);
            if (callers) callers.push({ resolve, reject });
            else this.#pending.set(key, [{ resolve, reject }]);
            const now = this.clock.now();
            if (!this.#scheduled) {
                this.#scheduled = true;
                this.#openedAt = now;
                this.#closesAt = now + this.timing.firstMs;
                this.#closeAt(this.#closesAt);
            } else if (!callers) {
                this.#closesAt = Math.min(this.#openedAt + this.timing.maxMs, Math.max(this.#closesAt, now + this.timing.quietMs));
            }
        });
    }

    /** Sleeps until `at`, then flushes unless a later request moved the closing time. */
    #closeAt(at: number): void {
        void this.clock.sleep(at - this.clock.now()).then(() => (this.#closesAt > at ? this.#closeAt(this.#closesAt) : this.#run()));
    }

    async #run(): Promise<void> {
        const batch = new Map(this.#pending);
        this.#pending.clear();
        this.#scheduled = false;
        try {
            const results = await this.flush([...batch.keys()]);
            for (const [key, callers] of batch) {
                const answer = results.has(key) ? results.get(key)! : this.missing(key);
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
