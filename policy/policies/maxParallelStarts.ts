import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isDrsJobStart } from "./drsResource";

/** Settings of `max-parallel-starts`. */
export interface MaxParallelStartsConfig {
    /** Most DrsJobStart creates allowed in one update. */
    readonly maxStarts: number;
}

/** Default: at most 10 job starts per update. */
export const MAX_PARALLEL_STARTS_DEFAULTS: MaxParallelStartsConfig = { maxStarts: 10 };

/**
 * DrsJobStarts that this update creates. During preview a resource that
 * already exists carries its recorded `status` output; one about to be
 * created has only its inputs.
 */
export function pendingStarts(resources: readonly Pick<PolicyResource, "type" | "props" | "urn">[]): string[] {
    return resources.filter((r) => isDrsJobStart(r.type) && typeof r.props.status !== "string").map((r) => r.urn);
}

/** What is wrong with the number of starts (empty when within the limit). */
export function maxParallelStartsViolations(pending: readonly string[], config: MaxParallelStartsConfig): string[] {
    if (pending.length <= config.maxStarts) return [];
    return [`This update would start ${pending.length} DRS jobs; at most ${config.maxStarts} may start in one update. Split the rollout into several updates or raise max-parallel-starts.maxStarts.`];
}

/** `max-parallel-starts` (stack policy): at most N DrsJobStart creates in one update, checked at preview. */
export const maxParallelStarts: StackValidationPolicy = {
    name: "max-parallel-starts",
    description: "At most maxStarts DrsJobStart resources may be created in one update (checked during preview).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { maxStarts: { type: "integer", minimum: 1, default: MAX_PARALLEL_STARTS_DEFAULTS.maxStarts } } },
    validateStack: (args, reportViolation) => {
        const config = { ...MAX_PARALLEL_STARTS_DEFAULTS, ...args.getConfig<Partial<MaxParallelStartsConfig>>() };
        for (const message of maxParallelStartsViolations(pendingStarts(args.resources), config)) reportViolation(message);
    },
};
