import { Clock } from "../wait/clock";
import { JobFailure } from "./jobAnswers";

/**
 * Collects single-key requests for `windowMs` after the first one, then
 * serves them all with one `flush` of the distinct keys (DataLoader style).
 * Each caller gets its own key's result, or its own error: a key the flush
 * answers with a {@link JobFailure} fails alone.
 */
export class BatchWindow<K, R> {
    readonly #pending = new Map<K, { resolve(value: R): void; reject(error: unknown): void }[]>();
    #scheduled = false;

    constructor(
        private readonly clock: Clock,
        private readonly windowMs: number,
        /** Serves a batch: one result or failure per key (missing keys get `missing(key)`), or throws for all, told per key via `errorFor`. */
        private readonly flush: (keys: K[]) => Promise<Map<K, R | JobFailure>>,
        private readonly missing: (key: K) => R,
        private readonly errorFor: (error: unknown, key: K) => unknown = (error) => error,
    ) {}

    /** The result for `key` from the next flush. */
    load(key: K): Promise<R> {
        return new Promise<R>((resolve, reject) => {
            const callers = this.#pending.get(key) ?? [];
            callers.push({ resolve, reject });
            this.#pending.set(key, callers);
            if (!this.#scheduled) {
                this.#scheduled = true;
                void this.clock.sleep(this.windowMs).then(() => this.#run());
            }
        });
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
