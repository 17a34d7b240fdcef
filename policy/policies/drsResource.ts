import type { ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";

/**
 * Recognising DrsJobStart resources and the stack they belong to, through
 * either door: the TypeScript SDK registers its dynamic resource with its own
 * type token (module `drs`, type `DrsJobStart`), so other dynamic resources
 * (`pulumi-nodejs:dynamic:Resource` or other modules) never match; the `drs`
 * resource plugin (YAML, Go, Python, .NET and import) serves
 * `drs:index:JobStart`. Both carry the same inputs.
 */

/** The type token of a DrsJobStart of the dynamic door (the TypeScript SDK). */
export const DRS_JOB_START_TYPE = "pulumi-nodejs:dynamic/drs:DrsJobStart";

/** The type token of a JobStart of the plugin door (package `drs`). */
export const PLUGIN_JOB_START_TYPE = "drs:index:JobStart";

/** True for the type token of a DrsJobStart of either door. */
export function isDrsJobStart(type: string): boolean {
    return type === DRS_JOB_START_TYPE || type === PLUGIN_JOB_START_TYPE;
}

/** The stack name inside a URN (`urn:pulumi:<stack>::<project>::<type>::<name>`). */
export function stackOfUrn(urn: string): string {
    const head = urn.split("::")[0] ?? "";
    return head.startsWith("urn:pulumi:") ? head.slice("urn:pulumi:".length) : "";
}

/** Whether `name` matches a glob pattern with `*` (any run) and `?` (one character). */
export function matchesPattern(name: string, pattern: string): boolean {
    const source = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${source}$`).test(name);
}

/** A DrsJobStart's properties as a policy sees them (inputs after the provider's check). */
export interface DrsJobStartProps {
    readonly jobId?: string;
    /** The job's DRS name, when it is given by name (its id is then known only after the create). */
    readonly jobName?: string;
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
    /** Declared run state: `running` (the default) or `paused`. */
    readonly runState?: string;
    /** How a declared pause stops the job: `target` (the default) or `all`. */
    readonly pauseMode?: string;
    /** Whether `up` retries a failed job once. */
    readonly retryFailed?: boolean;
    /** What destroy does to the job: `leave` (the default), `stop` or `delete`. */
    readonly deletePolicy?: string;
    /** The status the provider recorded (an output: present on resources this update leaves unchanged). */
    readonly status?: string;
}

/** The label a message uses for a resource: its job id when known, else the name it is given by. */
export function jobLabel(props: DrsJobStartProps): string {
    if (typeof props.jobId === "string") return `DRS job ${props.jobId}`;
    return typeof props.jobName === "string" ? `DRS job named "${props.jobName}"` : "this DRS job";
}

/** A resource validation that runs `violations` on DrsJobStart resources only and reports each message. */
export function validateDrsJobStart(violations: (props: DrsJobStartProps, args: ResourceValidationArgs) => string[]): ResourceValidation {
    return (args, reportViolation) => {
        if (!isDrsJobStart(args.type)) return;
        for (const message of violations(args.props as DrsJobStartProps, args)) reportViolation(message);
    };
}
