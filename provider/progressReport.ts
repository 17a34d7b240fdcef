import type { JobProgress } from "./drs/wire";
import type { Clock } from "./wait/clock";
import type { JobObservation } from "./wait/waitForTarget";

/** Where progress lines go: the engine shows a dynamic provider's stdout lines as diagnostics. */
export type ProgressSink = (line: string) => void;

/** Default sink: stdout of the provider host, which the Pulumi CLI prints under Diagnostics. */
export const consoleSink: ProgressSink = (line) => console.log(line);

/** Default time between two progress lines while a job stays in one phase. */
export const DEFAULT_PROGRESS_EVERY_MS = 30_000;

/**
 * One progress line, e.g. `drs job 140b…: FULL_TRANSFER_STARTED, full transfer 42 %, incremental delay 3 s (waiting 2m10s)`;
 * a `note` follows the status (e.g. why the wait goes on).
 */
export function progressLine(jobId: string, status: string, progress: JobProgress | undefined, waitedMs: number, note?: string): string {
    const parts = [`drs job ${jobId}: ${status}`];
    if (note) parts.push(note);
    if (progress?.progress !== undefined) parts.push(`full transfer ${progress.progress} %`);
    if (progress?.remainingTime !== undefined && progress.remainingTime !== "0") parts.push(`remaining ${progress.remainingTime}`);
    if (progress?.increTransDelaySeconds !== undefined) parts.push(`incremental delay ${progress.increTransDelaySeconds} s`);
    const s = Math.round(waitedMs / 1000);
    return `${parts.join(", ")} (waiting ${s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`})`;
}

/**
 * Reports a wait as it goes: a line at every phase change and, while a
 * phase lasts, one every `everyMs` with progress and replication delay
 * (fetched only for those periodic lines, so short waits cost no extra
 * call), and a last line with the state reached. Reporting never fails the wait.
 */
export class ProgressReporter {
    #lastStatus?: string;
    #lastLineAt: number;
    readonly #startedAt: number;

    constructor(
        private readonly jobId: string,
        private readonly clock: Clock,
        private readonly fetchProgress: () => Promise<JobProgress | undefined>,
        private readonly sink: ProgressSink = consoleSink,
        private readonly everyMs: number = DEFAULT_PROGRESS_EVERY_MS,
    ) {
        this.#startedAt = clock.now();
        this.#lastLineAt = this.#startedAt;
    }

    /** When the next periodic line is due if the status stays (ms epoch). */
    get nextLineAt(): number {
        return this.#lastLineAt + this.everyMs;
    }

    /**
     * Called with every observation of the job; `note` is shown on the line of
     * a new status. Returns a promise only when the line waits for progress
     * (a periodic line of a transfer phase); otherwise the line is written at once.
     */
    observe(observation: JobObservation, note?: string): Promise<void> | undefined {
        const now = this.clock.now();
        const changed = observation.status !== this.#lastStatus;
        if (!changed && now - this.#lastLineAt < this.everyMs) return undefined;
        this.#lastStatus = observation.status;
        this.#lastLineAt = now;
        const line = (progress?: JobProgress): void => this.sink(progressLine(this.jobId, observation.status, progress, now - this.#startedAt, changed ? note : undefined));
        if (changed || !(observation.status.startsWith("FULL_TRANSFER") || observation.status.startsWith("INCRE_TRANSFER"))) {
            line();
            return undefined;
        }
        return this.fetchProgress().then(line, () => line());
    }

    /** The last line: the status reached, with the progress already read for the outputs. */
    reached(status: string, progress: Pick<JobProgress, "progress" | "increTransDelaySeconds" | "remainingTime">): void {
        this.sink(progressLine(this.jobId, `${status} reached`, { jobId: this.jobId, ...progress }, this.clock.now() - this.#startedAt));
    }
}
