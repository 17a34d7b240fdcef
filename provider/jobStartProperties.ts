import { DB_USE_TYPES } from "./drs/wire";
import { CLOUDS } from "./settings";
import { WAIT_FOR_TARGETS } from "./wait/jobStatusFamily";
import { DELETE_POLICIES, PAUSE_MODES, RUN_STATES } from "./runDecision";

/**
 * The one declaration of a DrsJobStart's properties, shared by both doors:
 * the plugin's schema is generated from it (descriptions from the doc
 * comments of `DrsJobStartArgs` and `DrsJobStart`), the replace/in-place
 * split of `diff` is derived from it, and tests fail when the TypeScript
 * types or `checkInputs` disagree with it.
 */

/** A property's value type, in package-schema terms. */
export type PropertyType =
    | { readonly kind: "string"; readonly enum?: readonly string[] }
    | { readonly kind: "number" }
    | { readonly kind: "boolean" }
    | { readonly kind: "stringList" }
    /** A number (ms epoch) or a string (ISO 8601 or digits): `startTime`. */
    | { readonly kind: "numberOrString" }
    /** An object type declared in {@link OBJECT_TYPES}. */
    | { readonly kind: "object"; readonly name: keyof typeof OBJECT_TYPES };

/** How one property of the resource is declared. */
export interface PropertyDeclaration {
    readonly type: PropertyType;
    /** `input`: users set it and it is echoed in the outputs; `output`: only the provider sets it. */
    readonly role: "input" | "output";
    /** Users must set it. */
    readonly requiredInput?: boolean;
    /** Always present in the outputs (inputs that `check` defaults, and the status). */
    readonly alwaysOutput?: boolean;
    /** Changing it means another job: the resource is replaced. */
    readonly replaces?: boolean;
}

/** Object types that outputs refer to, with their number fields. */
export const OBJECT_TYPES = {
    /** Full transfer progress per phase, 0..100 each. */
    PhaseProgress: ["structure", "data", "index"],
} as const;

const string = { kind: "string" } as const;
const number = { kind: "number" } as const;
const boolean = { kind: "boolean" } as const;

/** Every property of a DrsJobStart, inputs first, in the order users read them. */
export const JOB_START_PROPERTIES = {
    // Exactly one of jobId and jobName (checkInputs); jobId is always an output (the resolved id).
    jobId: { type: string, role: "input", alwaysOutput: true, replaces: true },
    jobName: { type: string, role: "input", replaces: true },
    projectId: { type: string, role: "input", alwaysOutput: true, replaces: true },
    region: { type: string, role: "input", replaces: true },
    cloud: { type: { kind: "string", enum: CLOUDS }, role: "input", replaces: true },
    endpoint: { type: string, role: "input", alwaysOutput: true, replaces: true },
    allowInsecureEndpoint: { type: boolean, role: "input" },
    dbUseType: { type: { kind: "string", enum: DB_USE_TYPES }, role: "input" },
    startTime: { type: { kind: "numberOrString" }, role: "input" },
    waitFor: { type: { kind: "string", enum: Object.keys(WAIT_FOR_TARGETS) }, role: "input" },
    targetStatuses: { type: { kind: "stringList" }, role: "input", alwaysOutput: true },
    isAutoCreateCompare: { type: boolean, role: "input" },
    timeoutSeconds: { type: number, role: "input", alwaysOutput: true },
    pollIntervalSeconds: { type: number, role: "input", alwaysOutput: true },
    runState: { type: { kind: "string", enum: RUN_STATES }, role: "input" },
    pauseMode: { type: { kind: "string", enum: PAUSE_MODES }, role: "input" },
    retryFailed: { type: boolean, role: "input" },
    deletePolicy: { type: { kind: "string", enum: DELETE_POLICIES }, role: "input" },
    status: { type: string, role: "output", alwaysOutput: true },
    name: { type: string, role: "output" },
    taskMode: { type: string, role: "output" },
    progress: { type: number, role: "output" },
    phaseProgress: { type: { kind: "object", name: "PhaseProgress" }, role: "output" },
    remainingTime: { type: string, role: "output" },
    increTransDelaySeconds: { type: number, role: "output" },
    increTransDelayMillis: { type: number, role: "output" },
    availableActions: { type: { kind: "stringList" }, role: "output" },
    currentAction: { type: string, role: "output" },
    errorCode: { type: string, role: "output" },
    errorMessage: { type: string, role: "output" },
    startedAt: { type: string, role: "output" },
    statusSince: { type: string, role: "output" },
    pausedAt: { type: string, role: "output" },
    held: { type: boolean, role: "output" },
} as const satisfies Readonly<Record<string, PropertyDeclaration>>;

/** A property name of a DrsJobStart. */
export type JobStartProperty = keyof typeof JOB_START_PROPERTIES;

type Declared = typeof JOB_START_PROPERTIES;
/** Names of the properties users set. */
export type JobStartInputName = { [K in JobStartProperty]: Declared[K]["role"] extends "input" ? K : never }[JobStartProperty];

const entries = Object.entries(JOB_START_PROPERTIES) as [JobStartProperty, PropertyDeclaration][];

/** The input properties, in declaration order. */
export const INPUT_NAMES = entries.filter(([, p]) => p.role === "input").map(([name]) => name) as JobStartInputName[];

/** Input keys whose change means another job: the resource is replaced. */
export const REPLACE_KEYS: readonly JobStartInputName[] = INPUT_NAMES.filter((name) => (JOB_START_PROPERTIES[name] as PropertyDeclaration).replaces);

/** Input keys that only steer the start, the wait or the lookup: changed in place. */
export const IN_PLACE_KEYS: readonly JobStartInputName[] = INPUT_NAMES.filter((name) => !(JOB_START_PROPERTIES[name] as PropertyDeclaration).replaces);
