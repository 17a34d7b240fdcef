import type { PolicyConfigSchema, ResourceValidationPolicy } from "@pulumi/policy";
import { type DrsJobStartProps, jobLabel, matchesPattern, stackOfUrn, validateDrsJobStart } from "./drsResource";
import { instantOfWallTime, isTimeZone, wallTimeAt } from "./zonedTime";

/** Weekdays as configured (`Sun` = 0 … `Sat` = 6). */
export const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/** One of {@link WEEKDAYS}. */
export type Weekday = (typeof WEEKDAYS)[number];

/** Settings of `maintenance-window`. */
export interface MaintenanceWindowConfig {
    /** Stacks the window applies to (glob, default `prod*`). */
    readonly stackPattern: string;
    /** Days (in `timeZone`) on which a window opens. */
    readonly days: readonly Weekday[];
    /** Hour (0-23) on the zone's clocks at which the window opens. */
    readonly startHour: number;
    /** Hour (1-24) on the zone's clocks at which it closes; at or before `startHour` means the next day. */
    readonly endHour: number;
    /** IANA time zone of `days` and the hours, e.g. `Europe/Berlin` (default `UTC`). */
    readonly timeZone?: string;
}

/** Defaults: production stacks start jobs on Saturday or Sunday between 02:00 and 06:00 UTC. */
export const MAINTENANCE_WINDOW_DEFAULTS: MaintenanceWindowConfig = { stackPattern: "prod*", days: ["Sat", "Sun"], startHour: 2, endHour: 6, timeZone: "UTC" };

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** A window as [start, end) in ms epoch. */
export interface Window {
    readonly start: number;
    readonly end: number;
}

/**
 * The window containing `at`, else the next one to open after it. Days and
 * hours are read on the clocks of the configured zone, and each end of a
 * window is the first instant those clocks reach it (see zonedTime): across
 * the clocks going back, 02:00-06:00 opens at the first 02:00 and lasts 5
 * real hours; across the clocks going forward, it opens when they jump past
 * 02:00 (03:00) and lasts 3. A window whose hours all fall in the skipped
 * hour does not open that day.
 */
export function windowAtOrAfter(at: number, config: MaintenanceWindowConfig): Window {
    const zone = zoneOf(config);
    const wallHours = (config.endHour - config.startHour + 24) % 24 || 24;
    const today = Math.floor(wallTimeAt(at, zone) / DAY) * DAY;
    // A window may have opened the day before and still be open: look 1 day back. A day's
    // window may not open at all (skipped hours): look two weeks ahead.
    for (let d = -1; d <= 14; d++) {
        const day = today + d * DAY;
        if (!config.days.includes(WEEKDAYS[new Date(day).getUTCDay()])) continue;
        const opens = day + config.startHour * HOUR;
        const start = instantOfWallTime(opens, zone);
        const end = instantOfWallTime(opens + wallHours * HOUR, zone);
        if (end > start && end > at) return { start, end };
    }
    throw new Error("maintenance-window: no day configured");
}

/** The window as people read it, e.g. `Sat, Sun 02:00-06:00 Europe/Berlin`. */
export function describeWindow(config: MaintenanceWindowConfig): string {
    const hh = (h: number) => `${String(h % 24).padStart(2, "0")}:00`;
    return `${config.days.join(", ")} ${hh(config.startHour)}-${hh(config.endHour)} ${zoneOf(config)}`;
}

/**
 * One window on the zone's clocks, with UTC when it differs, e.g.
 * `Sat 2026-11-28 02:00-06:00 Europe/Berlin = 01:00-05:00 UTC`.
 */
export function describeWindowIn(window: Window, zone: string): string {
    const start = wallTimeAt(window.start, zone);
    const end = wallTimeAt(window.end, zone);
    const local = `${WEEKDAYS[new Date(start).getUTCDay()]} ${new Date(start).toISOString().slice(0, 10)} ${hhmm(start)}-${hhmm(end)} ${zone}`;
    return start === window.start && end === window.end ? local : `${local} = ${hhmm(window.start)}-${hhmm(window.end)} UTC`;
}

/** `HH:MM` of a ms epoch read as UTC. */
function hhmm(ms: number): string {
    return new Date(ms).toISOString().slice(11, 16);
}

/** The configured zone, checked: an unknown one is a configuration error naming it. */
export function zoneOf(config: MaintenanceWindowConfig): string {
    const zone = config.timeZone ?? "UTC";
    if (!isTimeZone(zone)) throw new Error(`maintenance-window: timeZone "${zone}" is not a known IANA time zone (such as "Europe/Berlin" or "UTC")`);
    return zone;
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
    const zone = zoneOf(config);
    if (!matchesPattern(stack, config.stackPattern) || config.days.length === 0) return [];
    const where = `stack "${stack}" only starts DRS jobs inside the maintenance window (${describeWindow(config)})`;
    const next = (window: Window) => `${iso(window.start)} to ${iso(window.end)} (${describeWindowIn(window, zone)})`;
    const start = startTimeMs(props.startTime);
    if (start === undefined) {
        return [`${jobLabel(props)} has no startTime: ${where}. Set startTime inside the next allowed window: ${next(windowAtOrAfter(now, config))}.`];
    }
    const window = windowAtOrAfter(start, config);
    if (window.start <= start) return [];
    return [`${jobLabel(props)} startTime ${iso(start)} is outside the window: ${where}. Next allowed window: ${next(window)}.`];
}

/** A ms epoch as an ISO 8601 UTC string. */
function iso(ms: number): string {
    return new Date(ms).toISOString();
}

/** The config schema of a weekly maintenance window: `maintenance-window`'s, shared by `run-state-window`. */
export const MAINTENANCE_WINDOW_SCHEMA: PolicyConfigSchema = {
    properties: {
        stackPattern: { type: "string", default: MAINTENANCE_WINDOW_DEFAULTS.stackPattern },
        days: { type: "array", items: { type: "string", enum: [...WEEKDAYS] }, default: [...MAINTENANCE_WINDOW_DEFAULTS.days] },
        startHour: { type: "integer", minimum: 0, maximum: 23, default: MAINTENANCE_WINDOW_DEFAULTS.startHour },
        endHour: { type: "integer", minimum: 1, maximum: 24, default: MAINTENANCE_WINDOW_DEFAULTS.endHour },
        timeZone: { type: "string", minLength: 1, default: MAINTENANCE_WINDOW_DEFAULTS.timeZone },
    },
};

/** A policy's maintenance window settings: its config over {@link MAINTENANCE_WINDOW_DEFAULTS}. */
export function maintenanceWindowConfig(args: { getConfig<T extends object>(): T }): MaintenanceWindowConfig {
    return { ...MAINTENANCE_WINDOW_DEFAULTS, ...args.getConfig<Partial<MaintenanceWindowConfig>>() };
}

/** `maintenance-window` with an injectable clock (tests); the pack uses the system clock. */
export function maintenanceWindowPolicy(now: () => number = Date.now): ResourceValidationPolicy {
    return {
        name: "maintenance-window",
        description: "On matching stacks, DrsJobStart must carry a startTime inside the weekly maintenance window (in its configured time zone).",
        enforcementLevel: "mandatory",
        configSchema: MAINTENANCE_WINDOW_SCHEMA,
        validateResource: validateDrsJobStart((props, args) => maintenanceWindowViolations(props, stackOfUrn(args.urn), maintenanceWindowConfig(args), now())),
    };
}

/** `maintenance-window` on the system clock. */
export const maintenanceWindow: ResourceValidationPolicy = maintenanceWindowPolicy();
