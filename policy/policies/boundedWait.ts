import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type DrsJobStartProps, jobLabel, validateDrsJobStart } from "./drsResource";

/** Settings of `bounded-wait`. */
export interface BoundedWaitConfig {
    /** Longest allowed `timeoutSeconds`. */
    readonly maxTimeoutSeconds: number;
    /**
     * Shortest allowed `pollIntervalSeconds`: the steady pace of a wait. The
     * provider's first polls of a wait come sooner (0.5 s, doubling up to the
     * interval), and every waiting job of a deployment shares one
     * `batch-status` call per tick, so the quota a stack uses is bounded by
     * this minimum once waits settle, not during their first seconds.
     */
    readonly minPollIntervalSeconds: number;
}

/**
 * What a DrsJobStart without `timeoutSeconds` waits: the provider's default
 * (`DEFAULT_TIMEOUT_SECONDS`; a test keeps the two equal). Policies see
 * inputs after the provider's `check` filled it in, except during a preview
 * with values not yet known, when the input may be absent.
 */
export const PROVIDER_DEFAULT_TIMEOUT_SECONDS = 3600;

/** Defaults of `bounded-wait`: at most 2 h of waiting, polls at least 5 s apart. */
export const BOUNDED_WAIT_DEFAULTS: BoundedWaitConfig = { maxTimeoutSeconds: 7200, minPollIntervalSeconds: 5 };

/** What is wrong with one DrsJobStart's wait settings (empty when compliant). */
export function boundedWaitViolations(props: DrsJobStartProps, config: BoundedWaitConfig): string[] {
    const job = jobLabel(props);
    const problems: string[] = [];
    if (typeof props.timeoutSeconds !== "number") {
        if (PROVIDER_DEFAULT_TIMEOUT_SECONDS > config.maxTimeoutSeconds) {
            problems.push(`${job}: the default timeoutSeconds (${PROVIDER_DEFAULT_TIMEOUT_SECONDS}) exceeds the maximum of ${config.maxTimeoutSeconds}; set timeoutSeconds (at most ${config.maxTimeoutSeconds}).`);
        }
    } else if (props.timeoutSeconds > config.maxTimeoutSeconds) {
        problems.push(`${job}: timeoutSeconds ${props.timeoutSeconds} exceeds the maximum of ${config.maxTimeoutSeconds}; lower it or raise bounded-wait.maxTimeoutSeconds.`);
    }
    if (typeof props.pollIntervalSeconds === "number" && props.pollIntervalSeconds < config.minPollIntervalSeconds) {
        problems.push(`${job}: pollIntervalSeconds ${props.pollIntervalSeconds} is below the minimum of ${config.minPollIntervalSeconds} (the steady poll pace, for the DRS API quota); raise it.`);
    }
    return problems;
}

/** `bounded-wait`: a DrsJobStart waits a bounded time and polls no faster than allowed. */
export const boundedWait: ResourceValidationPolicy = {
    name: "bounded-wait",
    description: "DrsJobStart must wait at most a maximum timeoutSeconds (set, or the provider's default 3600) and poll no faster than a minimum steady interval.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxTimeoutSeconds: { type: "number", minimum: 1, default: BOUNDED_WAIT_DEFAULTS.maxTimeoutSeconds },
            minPollIntervalSeconds: { type: "number", minimum: 0, default: BOUNDED_WAIT_DEFAULTS.minPollIntervalSeconds },
        },
    },
    validateResource: validateDrsJobStart((props, args) => boundedWaitViolations(props, { ...BOUNDED_WAIT_DEFAULTS, ...args.getConfig<Partial<BoundedWaitConfig>>() })),
};
