import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type DrsJobStartProps, jobLabel, matchesPattern, stackOfUrn, validateDrsJobStart } from "./drsResource";

/** Allow-lists for the stacks whose name matches `stackPattern`; an absent list allows anything. */
export interface TargetRule {
    readonly stackPattern: string;
    readonly projectIds?: readonly string[];
    readonly regions?: readonly string[];
    readonly endpoints?: readonly string[];
}

/** Settings of `allowed-targets`. */
export interface AllowedTargetsConfig {
    /** Every rule whose pattern matches the stack applies. */
    readonly rules: readonly TargetRule[];
}

const CHECKED = [
    ["projectId", "projectIds"],
    ["region", "regions"],
    ["endpoint", "endpoints"],
] as const;

/** What is wrong with where one DrsJobStart points, for stack `stack` (empty when compliant). */
export function allowedTargetsViolations(props: DrsJobStartProps, stack: string, config: AllowedTargetsConfig): string[] {
    const problems: string[] = [];
    for (const rule of config.rules.filter((r) => matchesPattern(stack, r.stackPattern))) {
        for (const [input, list] of CHECKED) {
            const allowed = rule[list];
            if (!allowed) continue;
            const value = props[input];
            if (value === undefined) {
                problems.push(`${jobLabel(props)}: stack "${stack}" (rule "${rule.stackPattern}") only allows ${input} in [${allowed.join(", ")}], and ${input} is not set; set it explicitly.`);
            } else if (!allowed.includes(value)) {
                problems.push(`${jobLabel(props)}: ${input} "${value}" is not allowed for stack "${stack}" (rule "${rule.stackPattern}" allows [${allowed.join(", ")}]).`);
            }
        }
    }
    return problems;
}

/** `allowed-targets`: per stack pattern, DrsJobStart may only point at allow-listed projects, regions and endpoints. */
export const allowedTargets: ResourceValidationPolicy = {
    name: "allowed-targets",
    description: "DrsJobStart projectId/region/endpoint must be on the allow-list configured for the stack.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            rules: {
                type: "array",
                default: [],
                items: {
                    type: "object",
                    required: ["stackPattern"],
                    properties: {
                        stackPattern: { type: "string" },
                        projectIds: { type: "array", items: { type: "string" } },
                        regions: { type: "array", items: { type: "string" } },
                        endpoints: { type: "array", items: { type: "string" } },
                    },
                },
            },
        },
    },
    validateResource: validateDrsJobStart((props, args) => allowedTargetsViolations(props, stackOfUrn(args.urn), { rules: [], ...args.getConfig<Partial<AllowedTargetsConfig>>() })),
};
