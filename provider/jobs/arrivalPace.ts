/** Weight of the newest gap in the moving mean of {@link ArrivalPace}. */
const GAP_WEIGHT = 0.3;

/**
 * The pace at which new requests arrive in this process: a moving mean of
 * the gaps between consecutive arrivals while they come as a stream, i.e.
 * at most `streamGapMs` apart. A longer pause ends the stream: the next
 * arrival starts a new one with no pace known (it is treated as a lone
 * request until a second one follows).
 */
export class ArrivalPace {
    #last: number | undefined;
    #meanGapMs: number | undefined;

    constructor(private readonly streamGapMs: number) {}

    /** Records an arrival at `now`; returns the mean gap of its stream, or undefined when it starts one. */
    arrive(now: number): number | undefined {
        const gap = this.#last === undefined ? undefined : now - this.#last;
        this.#last = now;
        if (gap === undefined || gap > this.streamGapMs) this.#meanGapMs = undefined;
        else this.#meanGapMs = this.#meanGapMs === undefined ? gap : this.#meanGapMs + GAP_WEIGHT * (gap - this.#meanGapMs);
        return this.#meanGapMs;
    }
}
