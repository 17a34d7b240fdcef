import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type DrsJobStartProps, jobLabel, matchesPattern, stackOfUrn, validateDrsJobStart } from "./drsResource";

/** Settings of `protected-jobs`. */
export interface ProtectedJobsConfig {
    /** Protected stacks (glob, default `prod*`): their jobs outlive a destroy. */
    readonly stackPattern: string;
}

/** Default: production stacks are protected. */
export const PROTECTED_JOBS_DEFAULTS: ProtectedJobsConfig = { stackPattern: "prod*" };

/** The `deletePolicy` values that end a job when its resource is destroyed or replaced. */
const ENDING_POLICIES: Readonly<Record<string, string>> = {
    stop: "stop the job (a stopped DRS job can never be resumed)",
    delete: "stop the job and delete it from DRS (a stopped DRS job can never be resumed)",
};

/** What is wrong with a DrsJobStart whose destroy would end its job on a protected stack (empty when compliant). */
export function protectedJobsViolations(props: DrsJobStartProps, stack: string, config: ProtectedJobsConfig): string[] {
    const policy = typeof props.deletePolicy === "string" ? props.deletePolicy : undefined;
    if (policy === undefined || !(policy in ENDING_POLICIES) || !matchesPattern(stack, config.stackPattern)) return [];
    return [
        `${jobLabel(props)} has deletePolicy "${policy}": stack "${stack}" is protected (protected-jobs, stackPattern "${config.stackPattern}"), ` +
            `and a destroy or replace of this resource would ${ENDING_POLICIES[policy]}. ` +
            `Set deletePolicy to "leave" (the default: destroy leaves the job running), or end the job deliberately outside this stack.`,
    ];
}

/** `protected-jobs`: on protected stacks, no DrsJobStart may declare a `deletePolicy` that stops or deletes its job. */
export const protectedJobs: ResourceValidationPolicy = {
    name: "protected-jobs",
    description: "DrsJobStart on protected stacks must not declare deletePolicy stop or delete (a destroy would end the job for good).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { stackPattern: { type: "string", default: PROTECTED_JOBS_DEFAULTS.stackPattern } } },
    validateResource: validateDrsJobStart((props, args) => protectedJobsViolations(props, stackOfUrn(args.urn), { ...PROTECTED_JOBS_DEFAULTS, ...args.getConfig<Partial<ProtectedJobsConfig>>() })),
};
