import { ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";

/**
 * Recognising DrsJobStart resources and the stack they belong to. The SDK
 * registers DrsJobStart with its own type token (module `drs`, type
 * `DrsJobStart`), so other dynamic resources (`pulumi-nodejs:dynamic:Resource`
 * or other modules) never match.
 */

/** The type token of every DrsJobStart resource. */
export const DRS_JOB_START_TYPE = "pulumi-nodejs:dynamic/drs:DrsJobStart";

/** The type token of the provider resource that carries the stack config seen by dynamic providers. */
export const NODEJS_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";

/** True for a DrsJobStart's type token. */
export function isDrsJobStart(type: string): boolean {
    return type === DRS_JOB_START_TYPE;
}

/** The stack name inside a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string {
    const head = urn.split("::")[0] ?? "";
    return head.startsWith("urn:pulumi:") ? head.slice("urn:pulumi:".length) : "";
}

/** Whether `name` matches a glob pattern with `*` (any run) and `?` (one character). */
export function matchesPattern(name: string, pattern: string): boolean {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${source}$`).test(name);
}

/** A DrsJobStart's properties as a policy sees them (inputs after the provider's check). */
export interface DrsJobStartProps {
    readonly jobId?: string;
    readonly projectId?: string;
    readonly region?: string;
    readonly endpoint?: string;
    readonly dbUseType?: string;
    readonly startTime?: number | string;
    readonly waitFor?: string;
    readonly targetStatuses?: readonly string[];
    readonly isAutoCreateCompare?: boolean;
    readonly timeoutSeconds?: number;
    readonly pollIntervalSeconds?: number;
    readonly status?: string;
}

/** The label a message uses for a resource: its job id when known. */
export function jobLabel(props: DrsJobStartProps): string {
    return typeof props.jobId === "string" ? `DRS job ${props.jobId}` : "this DRS job";
}

/** A resource validation that runs `violations` on DrsJobStart resources only and reports each message. */
export function validateDrsJobStart(violations: (props: DrsJobStartProps, args: ResourceValidationArgs) => string[]): ResourceValidation {
    return (args, reportViolation) => {
        if (!isDrsJobStart(args.type)) return;
        for (const message of violations(args.props as DrsJobStartProps, args)) reportViolation(message);
    };
}
