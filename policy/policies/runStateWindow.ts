import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { type DrsJobStartProps, isDrsJobStart, jobLabel, matchesPattern, stackOfUrn } from "./drsResource";
import { describeWindow, describeWindowIn, MAINTENANCE_WINDOW_SCHEMA, type MaintenanceWindowConfig, maintenanceWindowConfig, windowAtOrAfter, zoneOf } from "./maintenanceWindow";

/** Statuses of a paused job, in both spellings DRS uses. */
const PAUSED_STATUSES: ReadonlySet<string> = new Set(["PAUSING", "PAUSEING"]);

/** The run state change an update makes to one job, as far as its properties show it. */
export type RunStateChange = "pause" | "resume";

/**
 * The run state change this update makes to a DrsJobStart, from what a stack
 * policy sees during preview:
 * - a resource the update leaves unchanged carries its recorded outputs,
 *   among them `status`: a declared `runState` that disagrees with it
 *   (declared `paused` but not paused, declared `running` or unset but
 *   paused) is converged by `up` (a pause or a resume);
 * - a resource the update creates or changes carries its new inputs only
 *   (no `status`): one declaring `paused` is paused by this update (or
 *   created held, which starts nothing but is judged the same way). A change
 *   back to `running` cannot be told from any other update of a running job
 *   (the engine shows policies no previous inputs): it is not judged.
 */
export function runStateChange(props: DrsJobStartProps): RunStateChange | undefined {
    const declaredPaused = props.runState === "paused";
    if (typeof props.status !== "string" || props.status === "") return declaredPaused ? "pause" : undefined;
    const paused = PAUSED_STATUSES.has(props.status);
    if (declaredPaused && !paused) return "pause";
    if (!declaredPaused && paused) return "resume";
    return undefined;
}

/** What is wrong with a run state change of `props` on stack `stack` at `now` (empty when compliant). */
export function runStateWindowViolations(props: DrsJobStartProps, stack: string, config: MaintenanceWindowConfig, now: number): string[] {
    const zone = zoneOf(config);
    const change = runStateChange(props);
    if (change === undefined || !matchesPattern(stack, config.stackPattern) || config.days.length === 0) return [];
    const window = windowAtOrAfter(now, config);
    if (window.start <= now) return [];
    const what = change === "pause" ? `would be paused (runState "paused")` : `would be resumed (runState "${props.runState ?? "running"}", DRS shows ${props.status})`;
    return [
        `${jobLabel(props)} ${what}: stack "${stack}" changes the run state of DRS jobs only inside the maintenance window (${describeWindow(config)}). ` +
            `Run this update inside the next window: ${new Date(window.start).toISOString()} to ${new Date(window.end).toISOString()} (${describeWindowIn(window, zone)}), or keep runState as it is until then.`,
    ];
}

/** `run-state-window` with an injectable clock (tests); the pack uses the system clock. */
export function runStateWindowPolicy(now: () => number = Date.now): StackValidationPolicy {
    return {
        name: "run-state-window",
        description: "On matching stacks, DrsJobStart run state changes (pause, resume) happen only inside the weekly maintenance window (the maintenance-window settings).",
        enforcementLevel: "mandatory",
        configSchema: MAINTENANCE_WINDOW_SCHEMA,
        validateStack: (args, reportViolation) => {
            const config = maintenanceWindowConfig(args);
            const at = now();
            for (const resource of args.resources.filter((r: PolicyResource) => isDrsJobStart(r.type))) {
                for (const message of runStateWindowViolations(resource.props as DrsJobStartProps, stackOfUrn(resource.urn), config, at)) reportViolation(message, resource.urn);
            }
        },
    };
}

/** `run-state-window` on the system clock. */
export const runStateWindow: StackValidationPolicy = runStateWindowPolicy();
