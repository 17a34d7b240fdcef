/**
 * Wall-clock time in IANA time zones with Node's built-in Intl, no tz library.
 *
 * A *wall time* is what the zone's clocks read, encoded as ms epoch as if that
 * reading were UTC (so calendar arithmetic on it never meets daylight saving).
 * Converting a wall time back to an instant follows one rule: it is the first
 * instant at which the zone's clocks reach it. Hence a wall time repeated when
 * the clocks go back is its earlier occurrence, and a wall time skipped when
 * they go forward is the instant the clocks jump (Europe/Berlin 2026-03-29
 * 02:30 is 03:00 CEST = 01:00 UTC).
 */

const SECOND = 1000;
const DAY = 24 * 3600 * SECOND;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached formatter reading every wall-clock field in `zone` (throws RangeError for an unknown zone). */
function formatter(zone: string): Intl.DateTimeFormat {
    let format = formatters.get(zone);
    if (!format) {
        format = new Intl.DateTimeFormat("en-US", {
            timeZone: zone,
            hourCycle: "h23",
            year: "numeric",
            month: "numeric",
            day: "numeric",
            hour: "numeric",
            minute: "numeric",
            second: "numeric",
        });
        formatters.set(zone, format);
    }
    return format;
}

/** Whether `zone` is a time zone Intl knows (an IANA name such as `Europe/Berlin`, or `UTC`). */
export function isTimeZone(zone: string): boolean {
    try {
        formatter(zone);
        return true;
    } catch {
        return false;
    }
}

/** What the clocks in `zone` read at instant `at`, as a wall time (whole seconds). */
export function wallTimeAt(at: number, zone: string): number {
    const field: Record<string, number> = {};
    for (const part of formatter(zone).formatToParts(at)) if (part.type !== "literal") field[part.type] = Number(part.value);
    return Date.UTC(field.year, field.month - 1, field.day, field.hour, field.minute, field.second);
}

/**
 * The first instant at which the clocks in `zone` reach wall time `wall`
 * (whole seconds): the earlier of two occurrences, or for a skipped wall time
 * the instant the clocks jump past it. Assumes at most one offset change
 * within a day either side of `wall`, as in every zone today.
 */
export function instantOfWallTime(wall: number, zone: string): number {
    const offsetAt = (at: number) => wallTimeAt(at, zone) - Math.floor(at / SECOND) * SECOND;
    const byEarlierOffset = wall - offsetAt(wall - DAY);
    const byLaterOffset = wall - offsetAt(wall + DAY);
    const occurrences = [byEarlierOffset, byLaterOffset].filter((at) => wallTimeAt(at, zone) === wall);
    if (occurrences.length > 0) return Math.min(...occurrences);
    // Skipped: the clocks read before `wall` at `lo`, past it at `hi`; find the jump to the second.
    let lo = Math.min(byEarlierOffset, byLaterOffset);
    let hi = Math.max(byEarlierOffset, byLaterOffset);
    while (hi - lo > SECOND) {
        const mid = lo + Math.floor((hi - lo) / (2 * SECOND)) * SECOND;
        if (wallTimeAt(mid, zone) >= wall) hi = mid;
        else lo = mid;
    }
    return hi;
}
