import type { Clock } from "../../provider/wait/clock";

/** Lets pending promise callbacks and I/O callbacks run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A timeline clock: sleepers wake only when the test steps time forward. */
export class ManualClock implements Clock {
    readonly #timers: { at: number; wake(): void }[] = [];
    constructor(public t = 0) {}

    now(): number {
        return this.t;
    }

    sleep(ms: number): Promise<void> {
        return new Promise((wake) => this.#timers.push({ at: this.t + Math.max(0, ms), wake }));
    }

    /** Jumps to the earliest pending timer and wakes it (and any due at the same time); false when none is pending. */
    async step(): Promise<boolean> {
        await settle();
        if (this.#timers.length === 0) return false;
        this.#timers.sort((a, b) => a.at - b.at);
        const at = this.#timers[0].at;
        this.t = Math.max(this.t, at);
        for (const timer of this.#timers.splice(0, this.#timers.filter((x) => x.at <= at).length)) timer.wake();
        await settle();
        return true;
    }
}
