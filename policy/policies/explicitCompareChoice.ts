import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type DrsJobStartProps, jobLabel, matchesPattern, stackOfUrn, validateDrsJobStart } from "./drsResource";

/** Settings of `explicit-compare-choice`. */
export interface ExplicitCompareChoiceConfig {
    /** Stacks that must choose (glob, default `prod*`). */
    readonly stackPattern: string;
}

/** Default: production stacks must choose. */
export const EXPLICIT_COMPARE_CHOICE_DEFAULTS: ExplicitCompareChoiceConfig = { stackPattern: "prod*" };

/** What is wrong with a DrsJobStart that leaves the comparison task to DRS's default (empty when it chose, or the stack does not match). */
export function explicitCompareChoiceViolations(props: DrsJobStartProps, stack: string, config: ExplicitCompareChoiceConfig): string[] {
    if (!matchesPattern(stack, config.stackPattern) || typeof props.isAutoCreateCompare === "boolean") return [];
    return [`${jobLabel(props)} leaves isAutoCreateCompare to DRS's default (true: DRS creates a data comparison task when the job finishes). ` + `Stack "${stack}" must choose: set isAutoCreateCompare to true or false.`];
}

/** `explicit-compare-choice`: on matching stacks, every DrsJobStart sets `isAutoCreateCompare` explicitly. */
export const explicitCompareChoice: ResourceValidationPolicy = {
    name: "explicit-compare-choice",
    description: "DrsJobStart on matching stacks must set isAutoCreateCompare (DRS otherwise creates a comparison task at every start).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { stackPattern: { type: "string", default: EXPLICIT_COMPARE_CHOICE_DEFAULTS.stackPattern } } },
    validateResource: validateDrsJobStart((props, args) => explicitCompareChoiceViolations(props, stackOfUrn(args.urn), { ...EXPLICIT_COMPARE_CHOICE_DEFAULTS, ...args.getConfig<Partial<ExplicitCompareChoiceConfig>>() })),
};
