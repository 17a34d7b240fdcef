import type { Clock } from "../../provider/wait/clock";

/** A clock that advances only when slept on, recording each sleep. */
export class FakeClock implements Clock {
    readonly sleeps: number[] = [];
    constructor(public t = 1_700_000_000_000) {}
    now(): number {
        return this.t;
    }
    async sleep(ms: number): Promise<void> {
        this.sleeps.push(ms);
        this.t += ms;
    }
}
