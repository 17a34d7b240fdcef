import { ResourceValidationPolicy } from "@pulumi/policy";
import { DrsJobStartProps, jobLabel, matchesPattern, stackOfUrn, validateDrsJobStart } from "./drsResource";

/** UTC weekdays as configured (`Sun` = 0 … `Sat` = 6). */
export const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/** One of {@link WEEKDAYS}. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Settings of `maintenance-window`. */
export interface MaintenanceWindowConfig {
    /** Stacks the window applies to (glob, default `prod*`). */
    readonly stackPattern: string;
    /** UTC days on which a window opens. */
    readonly days: readonly Weekday[];
    /** UTC hour (0-23) at which the window opens. */
    readonly startHour: number;
    /** UTC hour (1-24) at which it closes; at or before `startHour` means the next day. */
    readonly endHour: number;
}

/** Defaults: production stacks start jobs on Saturday or Sunday between 02:00 and 06:00 UTC. */
export const MAINTENANCE_WINDOW_DEFAULTS: MaintenanceWindowConfig = { stackPattern: "prod*", days: ["Sat", "Sun"], startHour: 2, endHour: 6 };

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** A window as [start, end) in ms epoch. */
export interface Window {
    readonly start: number;
    readonly end: number;
}

/** The window containing `at`, else the next one to open after it. */
export function windowAtOrAfter(at: number, config: MaintenanceWindowConfig): Window {
    const length = ((config.endHour - config.startHour + 24) % 24 || 24) * HOUR;
    const dayStart = Math.floor(at / DAY) * DAY;
    // A window may have opened the day before and still be open; look 1 day back, 7 ahead.
    for (let d = -1; d <= 7; d++) {
        const start = dayStart + d * DAY + config.startHour * HOUR;
        if (!config.days.includes(WEEKDAYS[new Date(start).getUTCDay()])) continue;
        if (start + length > at) return { start, end: start + length };
    }
    throw new Error("maintenance-window: no day configured");
}

/** The window as people read it, e.g. `Sat, Sun 02:00-06:00 UTC`. */
export function describeWindow(config: MaintenanceWindowConfig): string {
    const hh = (h: number) => `${String(h % 24).padStart(2, "0")}:00`;
    return `${config.days.join(", ")} ${hh(config.startHour)}-${hh(config.endHour)} UTC`;
}

/** Parses a DrsJobStart `startTime` (ms epoch or ISO string); undefined when absent or unreadable. */
function startTimeMs(value: DrsJobStartProps["startTime"]): number | undefined {
    if (typeof value === "number") return value;
    if (typeof value === "string" && value.trim() !== "") {
        const parsed = Date.parse(value);
        return Number.isNaN(parsed) ? undefined : parsed;
    }
    return undefined;
}

/** What is wrong with one DrsJobStart's schedule for stack `stack` at time `now` (empty when compliant). */
export function maintenanceWindowViolations(props: DrsJobStartProps, stack: string, config: MaintenanceWindowConfig, now: number): string[] {
    if (!matchesPattern(stack, config.stackPattern) || config.days.length === 0) return [];
    const where = `stack "${stack}" only starts DRS jobs inside the maintenance window (${describeWindow(config)})`;
    const start = startTimeMs(props.startTime);
    if (start === undefined) {
        const next = windowAtOrAfter(now, config);
        return [`${jobLabel(props)} has no startTime: ${where}. Set startTime inside the next allowed window: ${iso(next.start)} to ${iso(next.end)}.`];
    }
    const window = windowAtOrAfter(start, config);
    if (window.start <= start) return [];
    return [`${jobLabel(props)} startTime ${iso(start)} is outside the window: ${where}. Next allowed window: ${iso(window.start)} to ${iso(window.end)}.`];
}

function iso(ms: number): string {
    return new Date(ms).toISOString();
}

/** `maintenance-window` with an injectable clock (tests); the pack uses the system clock. */
export function maintenanceWindowPolicy(now: () => number = Date.now): ResourceValidationPolicy {
    return {
        name: "maintenance-window",
        description: "On matching stacks, DrsJobStart must carry a startTime inside the weekly UTC maintenance window.",
        enforcementLevel: "mandatory",
        configSchema: {
            properties: {
                stackPattern: { type: "string", default: MAINTENANCE_WINDOW_DEFAULTS.stackPattern },
                days: { type: "array", items: { type: "string", enum: [...WEEKDAYS] }, default: [...MAINTENANCE_WINDOW_DEFAULTS.days] },
                startHour: { type: "integer", minimum: 0, maximum: 23, default: MAINTENANCE_WINDOW_DEFAULTS.startHour },
                endHour: { type: "integer", minimum: 1, maximum: 24, default: MAINTENANCE_WINDOW_DEFAULTS.endHour },
            },
        },
        validateResource: validateDrsJobStart((props, args) =>
            maintenanceWindowViolations(props, stackOfUrn(args.urn), { ...MAINTENANCE_WINDOW_DEFAULTS, ...args.getConfig<Partial<MaintenanceWindowConfig>>() }, now()),
        ),
    };
}

/** `maintenance-window` on the system clock. */
export const maintenanceWindow: ResourceValidationPolicy = maintenanceWindowPolicy();
