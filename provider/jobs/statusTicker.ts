import type { JobStatusResult } from "../drs/wire";
import type { Clock } from "../wait/clock";
import { JobFailure } from "./jobAnswers";

/** Tuning of the shared status tick. */
export interface TickerOptions {
    /** Wait this long before a tick that follows an idle period, so concurrent waiters share it. */
    readonly gatherMs: number;
    /** Relative jitter of each tick interval (0.1 = ±10 %). */
    readonly jitter: number;
    /** Upper bound of the slow-down factor after throttling. */
    readonly maxPenalty: number;
}

/** Defaults: gather 25 ms, ±10 % jitter, slow down at most ×8 after 429s. */
export const DEFAULT_TICKER_OPTIONS: TickerOptions = { gatherMs: 25, jitter: 0.1, maxPenalty: 8 };

/** Lets a waiter sleep through ticks that tell it nothing new. */
export interface TickHold {
    /** True for an answer the waiter does not need: it stays for a later tick. */
    skip(result: JobStatusResult | undefined): boolean;
    /** The interval the waiter wants before that later tick. */
    nextIntervalMs(): number;
}

interface Waiter {
    readonly jobId: string;
    intervalMs: number;
    readonly hold?: TickHold;
    /** Aborted: the waiter leaves at once, also when the abort came while its tick was in flight. */
    readonly signal?: AbortSignal;
    resolve(result: JobStatusResult | undefined): void;
    reject(error: unknown): void;
}

/**
 * One batch-status call per tick for every job being waited on. A waiter
 * asks for its job's next status with the interval it wants; the tick fires
 * when the most eager waiter is due (with jitter) and answers everyone, each
 * with its own job's status or failure; a waiter with a {@link TickHold}
 * stays, unanswered, through the ticks whose answer it skips.
 * A 429 anywhere slows the tick for all waiters; quiet ticks recover.
 */
export class StatusTicker {
    readonly #waiters: Waiter[] = [];
    /** The smallest interval any current waiter asked for (kept as waiters come, so arming never scans them). */
    #eagerMs = Number.POSITIVE_INFINITY;
    #timerArmed = false;
    #lastTickAt = Number.NEGATIVE_INFINITY;
    #penalty = 1;
    #ticks = 0;
    #cpuMicros = 0;

    constructor(
        /** One status (or that job's own failure) per job; throwing fails every waiter, told per job via `errorFor`. */
        private readonly fetchStatuses: (jobIds: string[]) => Promise<Map<string, JobStatusResult | JobFailure>>,
        private readonly clock: Clock,
        private readonly options: TickerOptions = DEFAULT_TICKER_OPTIONS,
        private readonly random: () => number = Math.random,
        private readonly errorFor: (error: unknown, jobId: string) => unknown = (error) => error,
    ) {}

    /** Ticks so far and the CPU they cost in this process (the call, parsing, and every waiter's reaction). */
    get stats(): { readonly ticks: number; readonly cpuMicros: number } {
        return { ticks: this.#ticks, cpuMicros: this.#cpuMicros };
    }

    /**
     * The job's status at the next tick (with `hold`: the next tick whose answer
     * it does not skip); the tick comes no later than `intervalMs` after the previous one.
     * An aborted `signal` takes the waiter out at once (rejecting with its
     * reason): a tick with no waiter left calls DRS no more.
     */
    next(jobId: string, intervalMs: number, hold?: TickHold, signal?: AbortSignal): Promise<JobStatusResult | undefined> {
        return new Promise((resolve, reject) => {
            if (signal?.aborted) return reject(signal.reason);
            const onAbort = () => this.#remove(waiter, signal?.reason);
            const settled = () => signal?.removeEventListener("abort", onAbort);
            const waiter: Waiter = {
                jobId,
                intervalMs,
                hold,
                signal,
                resolve: (result) => {
                    settled();
                    resolve(result);
                },
                reject: (error) => {
                    settled();
                    reject(error);
                },
            };
            signal?.addEventListener("abort", onAbort, { once: true });
            this.#add(waiter);
        });
    }

    #remove(waiter: Waiter, reason: unknown): void {
        const at = this.#waiters.indexOf(waiter);
        if (at < 0) return;
        this.#waiters.splice(at, 1);
        waiter.reject(reason);
    }

    #add(waiter: Waiter): void {
        this.#waiters.push(waiter);
        if (waiter.intervalMs < this.#eagerMs) this.#eagerMs = waiter.intervalMs;
        this.#arm();
    }

    /** DRS throttled a call: slow every waiter down. */
    throttled(): void {
        this.#penalty = Math.min(this.options.maxPenalty, this.#penalty * 2);
    }

    #arm(): void {
        if (this.#timerArmed || this.#waiters.length === 0) return;
        this.#timerArmed = true;
        const interval = this.#eagerMs * this.#penalty * (1 + this.options.jitter * (2 * this.random() - 1));
        const now = this.clock.now();
        const at = Math.max(now + this.options.gatherMs, this.#lastTickAt + interval);
        void this.clock.sleep(at - now).then(() => this.#tick());
    }

    async #tick(): Promise<void> {
        const batch = this.#waiters.splice(0);
        if (batch.length === 0) {
            this.#timerArmed = false;
            return;
        }
        this.#eagerMs = Number.POSITIVE_INFINITY;
        const cpu = process.cpuUsage();
        this.#ticks++;
        this.#lastTickAt = this.clock.now();
        const penaltyBefore = this.#penalty;
        try {
            const results = await this.fetchStatuses([...new Set(batch.map((w) => w.jobId))]);
            for (const w of batch) {
                const answer = results.get(w.jobId);
                // Cancelled while this tick was in flight: not kept for a later tick.
                if (w.signal?.aborted) w.reject(w.signal.reason);
                else if (answer instanceof JobFailure) w.reject(answer.error);
                else if (w.hold?.skip(answer)) {
                    w.intervalMs = w.hold.nextIntervalMs();
                    this.#add(w);
                } else w.resolve(answer);
            }
            if (this.#penalty === penaltyBefore) this.#penalty = Math.max(1, this.#penalty / 2);
        } catch (error) {
            for (const w of batch) w.reject(this.errorFor(error, w.jobId));
        } finally {
            this.#timerArmed = false;
            this.#arm();
            // Count the waiters' reactions too: they run before the next macrotask.
            setImmediate(() => {
                const used = process.cpuUsage(cpu);
                this.#cpuMicros += used.user + used.system;
            });
        }
    }
}
