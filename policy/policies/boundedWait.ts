import { ResourceValidationPolicy } from "@pulumi/policy";
import { DrsJobStartProps, jobLabel, validateDrsJobStart } from "./drsResource";

/** Settings of `bounded-wait`. */
export interface BoundedWaitConfig {
    /** Longest allowed `timeoutSeconds`. */
    readonly maxTimeoutSeconds: number;
    /** Shortest allowed `pollIntervalSeconds` (protects the tenant's DRS API quota). */
    readonly minPollIntervalSeconds: number;
}

/** Defaults of `bounded-wait`: at most 2 h of waiting, polls at least 5 s apart. */
export const BOUNDED_WAIT_DEFAULTS: BoundedWaitConfig = { maxTimeoutSeconds: 7200, minPollIntervalSeconds: 5 };

/** What is wrong with one DrsJobStart's wait settings (empty when compliant). */
export function boundedWaitViolations(props: DrsJobStartProps, config: BoundedWaitConfig): string[] {
    const job = jobLabel(props);
    const problems: string[] = [];
    if (typeof props.timeoutSeconds !== "number") {
        problems.push(`${job}: set timeoutSeconds (at most ${config.maxTimeoutSeconds}) so that pulumi up cannot wait unboundedly.`);
    } else if (props.timeoutSeconds > config.maxTimeoutSeconds) {
        problems.push(`${job}: timeoutSeconds ${props.timeoutSeconds} exceeds the maximum of ${config.maxTimeoutSeconds}; lower it or raise bounded-wait.maxTimeoutSeconds.`);
    }
    if (typeof props.pollIntervalSeconds === "number" && props.pollIntervalSeconds < config.minPollIntervalSeconds) {
        problems.push(`${job}: pollIntervalSeconds ${props.pollIntervalSeconds} is below the minimum of ${config.minPollIntervalSeconds} (DRS API quota); raise it.`);
    }
    return problems;
}

/** `bounded-wait`: a DrsJobStart waits a bounded time and polls no faster than allowed. */
export const boundedWait: ResourceValidationPolicy = {
    name: "bounded-wait",
    description: "DrsJobStart must set timeoutSeconds within a maximum and poll no faster than a minimum interval.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxTimeoutSeconds: { type: "number", minimum: 1, default: BOUNDED_WAIT_DEFAULTS.maxTimeoutSeconds },
            minPollIntervalSeconds: { type: "number", minimum: 0, default: BOUNDED_WAIT_DEFAULTS.minPollIntervalSeconds },
        },
    },
    validateResource: validateDrsJobStart((props, args) => boundedWaitViolations(props, { ...BOUNDED_WAIT_DEFAULTS, ...args.getConfig<Partial<BoundedWaitConfig>>() })),
};
