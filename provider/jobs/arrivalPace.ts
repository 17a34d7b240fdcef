/** How many of a stream's latest gaps {@link ArrivalPace} remembers. */
const RECENT_GAPS = 8;

/**
 * The pace at which new requests arrive in this process, as the longest of
 * the latest gaps between consecutive arrivals while they come as a stream,
 * i.e. at most `streamGapMs` apart. The longest rather than the mean: under
 * load the engine hands creates over in bursts with pauses between them, and
 * a window must outlast the pauses. A longer pause ends the stream: the next
 * arrival starts a new one with no pace known (it is treated as a lone
 * request until a second one follows).
 */
export class ArrivalPace {
    #last: number | undefined;
    readonly #gaps: number[] = [];

    constructor(private readonly streamGapMs: number) {}

    /** Records an arrival at `now`; returns the longest recent gap of its stream, or undefined when it starts one. */
    arrive(now: number): number | undefined {
        const gap = this.#last === undefined ? undefined : now - this.#last;
        this.#last = now;
        if (gap === undefined || gap > this.streamGapMs) {
            this.#gaps.length = 0;
            return undefined;
        }
        this.#gaps.push(gap);
        if (this.#gaps.length > RECENT_GAPS) this.#gaps.shift();
        return Math.max(...this.#gaps);
    }
}
