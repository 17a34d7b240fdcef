import { DB_USE_TYPES, type DbUseType } from "./drs/wire";
import { type CheckedRequest, DEFAULT_POLL_INTERVAL_SECONDS, DEFAULT_TIMEOUT_SECONDS, MAX_POLL_INTERVAL_SECONDS, MAX_START_AHEAD_MS, MAX_TIMEOUT_SECONDS, MIN_POLL_INTERVAL_SECONDS } from "./inputs";
import { type Cloud, CLOUDS, resolveEndpoint, resolveProjectId, resolveRegion } from "./settings";
import type { Environment } from "./stackConfig";
import { DELETE_POLICIES, type DeletePolicy, PAUSE_MODES, RUN_STATES, type RunState } from "./runDecision";
import type { PauseMode } from "./jobs/lifecycleCalls";
import { DEFAULT_TARGET_STATUSES, TARGETABLE_STATUSES, WAIT_FOR_TARGETS, type WaitFor } from "./wait/jobStatusFamily";

/** A rejected input: the property and the rule it broke. */
export interface InputFailure {
    readonly property: string;
    readonly reason: string;
}

/** The result of {@link checkInputs}: checked inputs, or the failures. */
export type CheckOutcome = { readonly ok: true; readonly inputs: CheckedRequest } | { readonly ok: false; readonly failures: InputFailure[] };

/** How {@link checkInputs} reads its inputs. */
export interface CheckOptions {
    /**
     * The inputs come from state, not from a program: a job given by name
     * carries its resolved `jobId` too, so both are allowed together.
     */
    readonly stored?: boolean;
}

/** The value the engine passes for an input not known during preview. */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** DRS job ids: UUID-shaped, the last group carrying a `jb…` suffix. */
export const JOB_ID_PATTERN = /^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$/i;
/** Project ids: 32 hex chars (they go into the URL path). */
export const PROJECT_ID_PATTERN = /^[0-9a-f]{32}$/i;
/** Regions such as `eu-de`, `eu-ch2`, `ap-southeast-1`. */
export const REGION_PATTERN = /^[a-z]{2,}(-[a-z0-9]+){1,3}$/;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** Raw inputs as they arrive from the engine (anything may be wrong). */
export type RawInputs = Readonly<Record<string, unknown>>;

/**
 * Validates and normalizes inputs before any API call: every rule names the
 * property. `olds` are the previous inputs: an unchanged start time may lie
 * in the past (the job was started long ago), a new one may not.
 */
export function checkInputs(olds: RawInputs | undefined, news: RawInputs, env: Environment, now: number, options: CheckOptions = {}): CheckOutcome {
    const failures: InputFailure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });

    const { jobId, jobName } = checkJobSelector(news, options.stored === true, fail);

    const { projectId, region, cloud, endpoint, allowInsecureEndpoint } = checkTarget(news, env, fail);

    let dbUseType: DbUseType | undefined;
    if (news.dbUseType !== undefined) {
        if (DB_USE_TYPES.includes(news.dbUseType as DbUseType)) dbUseType = news.dbUseType as DbUseType;
        else fail("dbUseType", `dbUseType must be one of ${DB_USE_TYPES.join(", ")} (got ${JSON.stringify(news.dbUseType)}).`);
    }

    let startTime: number | undefined;
    if (news.startTime !== undefined) {
        startTime = parseStartTime(news.startTime);
        if (startTime === undefined) fail("startTime", `startTime ${JSON.stringify(news.startTime)} is neither a ms epoch number nor an ISO 8601 time.`);
        else if (!sameStartTime(olds?.startTime, startTime)) {
            if (startTime <= now) fail("startTime", `startTime ${new Date(startTime).toISOString()} is in the past: a scheduled start must be in the future (omit startTime to start now).`);
            else if (startTime - now > MAX_START_AHEAD_MS) fail("startTime", `startTime ${new Date(startTime).toISOString()} is more than 30 days ahead.`);
        }
    }

    let waitFor: WaitFor | undefined;
    let targetStatuses: readonly string[] = DEFAULT_TARGET_STATUSES;
    if (news.waitFor !== undefined) {
        const milestones = Object.keys(WAIT_FOR_TARGETS);
        if (!milestones.includes(news.waitFor as string)) fail("waitFor", `waitFor must be one of ${milestones.join(", ")} (got ${JSON.stringify(news.waitFor)}).`);
        // Checked inputs carry both (targetStatuses derived from waitFor): consistent pairs pass again.
        else if (news.targetStatuses !== undefined && JSON.stringify(news.targetStatuses) !== JSON.stringify([WAIT_FOR_TARGETS[news.waitFor as WaitFor]])) {
            fail("waitFor", "Set waitFor or targetStatuses, not both: waitFor names a milestone, targetStatuses lists DRS statuses.");
        } else {
            waitFor = news.waitFor as WaitFor;
            targetStatuses = [WAIT_FOR_TARGETS[waitFor]];
        }
    } else if (news.targetStatuses !== undefined) {
        const t = news.targetStatuses;
        if (!Array.isArray(t) || t.length === 0 || !t.every((s) => typeof s === "string")) fail("targetStatuses", "targetStatuses must be a non-empty list of DRS statuses.");
        else {
            const unknown = t.filter((s) => !TARGETABLE_STATUSES.includes(s));
            if (unknown.length > 0) fail("targetStatuses", `targetStatuses has ${unknown.join(", ")}: allowed targets are ${TARGETABLE_STATUSES.join(", ")}.`);
            else targetStatuses = [...new Set(t as string[])];
        }
    }

    if (waitFor === "scheduled" && news.startTime === undefined) {
        fail("waitFor", 'waitFor "scheduled" returns once DRS accepted a scheduled start: set startTime too (without it the job starts at once; use transferStarted to return as soon as it runs).');
    }

    let isAutoCreateCompare: boolean | undefined;
    if (news.isAutoCreateCompare !== undefined) {
        if (typeof news.isAutoCreateCompare === "boolean") isAutoCreateCompare = news.isAutoCreateCompare;
        else fail("isAutoCreateCompare", `isAutoCreateCompare must be true or false (got ${JSON.stringify(news.isAutoCreateCompare)}); omit it for DRS's default (true).`);
    }

    const runState = oneOf<RunState>(news.runState, "runState", RUN_STATES, fail, "running keeps the job replicating (the default), paused keeps it paused");
    const pauseMode = oneOf<PauseMode>(news.pauseMode, "pauseMode", PAUSE_MODES, fail, "target stops replay while log capture goes on (the default), all stops both");
    const deletePolicy = oneOf<DeletePolicy>(news.deletePolicy, "deletePolicy", DELETE_POLICIES, fail, "leave keeps the job on destroy (the default), stop ends it for good, delete ends and deletes it");
    let retryFailed: boolean | undefined;
    if (news.retryFailed !== undefined) {
        if (typeof news.retryFailed === "boolean") retryFailed = news.retryFailed;
        else fail("retryFailed", `retryFailed must be true or false (got ${JSON.stringify(news.retryFailed)}); true retries a FULL_TRANSFER_FAILED or INCRE_TRANSFER_FAILED job once per pulumi up.`);
    }

    const timeoutSeconds = boundedNumber(news.timeoutSeconds, "timeoutSeconds", DEFAULT_TIMEOUT_SECONDS, 1, MAX_TIMEOUT_SECONDS, fail);
    const pollIntervalSeconds = boundedNumber(news.pollIntervalSeconds, "pollIntervalSeconds", DEFAULT_POLL_INTERVAL_SECONDS, MIN_POLL_INTERVAL_SECONDS, MAX_POLL_INTERVAL_SECONDS, fail);

    if (failures.length > 0 || projectId === undefined || endpoint === undefined) return { ok: false, failures };
    return {
        ok: true,
        inputs: strip({ jobId, jobName, projectId, region, cloud, endpoint, allowInsecureEndpoint, dbUseType, startTime, waitFor, targetStatuses, isAutoCreateCompare, timeoutSeconds, pollIntervalSeconds, runState, pauseMode, retryFailed, deletePolicy }),
    };
}

/**
 * The job a resource means: `jobId`, or `jobName` (exactly one of them from
 * a program; both from state, where the name's resolved id is kept).
 */
function checkJobSelector(news: RawInputs, stored: boolean, fail: (property: string, reason: string) => void): { jobId?: string; jobName?: string } {
    const given = (value: unknown) => value !== undefined && value !== null && value !== "";
    let jobId: string | undefined;
    let jobName: string | undefined;
    if (!given(news.jobId) && !given(news.jobName)) {
        fail("jobId", "Set jobId (the id of an existing DRS job, e.g. 140b5236-88ad-43c8-811c-1268453jb101) or jobName (its name in the DRS console).");
        return {};
    }
    if (given(news.jobId) && given(news.jobName) && !stored) {
        fail("jobName", `Set jobId or jobName, not both (got jobId "${printable(String(news.jobId))}" and jobName "${printable(String(news.jobName))}"): jobName is looked up once and the id it resolves to is kept as the jobId output.`);
    }
    if (given(news.jobId)) {
        if (typeof news.jobId !== "string") fail("jobId", `jobId must be a string (got ${typeof news.jobId}).`);
        else if (!JOB_ID_PATTERN.test(news.jobId)) fail("jobId", `jobId "${printable(news.jobId)}" is not a DRS job id (expected 8-4-4-4-12 letters/digits, e.g. 140b5236-88ad-43c8-811c-1268453jb101).`);
        else jobId = news.jobId;
    }
    if (given(news.jobName)) {
        if (typeof news.jobName !== "string") fail("jobName", `jobName must be a string (got ${typeof news.jobName}).`);
        else if (news.jobName.includes(",")) fail("jobName", `jobName "${printable(news.jobName)}" has a comma: DRS's job list reads commas as a list of job ids, so such a name cannot be looked up; use jobId.`);
        else if (news.jobName.trim() !== news.jobName) fail("jobName", `jobName "${printable(news.jobName)}" starts or ends with blanks: names are matched exactly; remove them.`);
        else jobName = news.jobName;
    }
    return { jobId, jobName };
}

/** Where calls for a job go, as {@link checkTarget} resolves it: a member is undefined when unset; an invalid one was reported. */
export interface CheckedTarget {
    readonly projectId?: string;
    readonly region?: string;
    readonly cloud?: Cloud;
    readonly endpoint?: string;
    readonly allowInsecureEndpoint?: boolean;
}

/**
 * Resolves and checks the project, region, cloud and endpoint of `news`
 * (inputs over `drs:*` stack config over `OS_*` variables), reporting each
 * broken rule to `fail` with the property and where the value came from.
 * `checkInputs` uses it for every resource; `pulumi-drs doctor` for the
 * settings alone (`news` empty).
 */
export function checkTarget(news: RawInputs, env: Environment, fail: (property: string, reason: string) => void): CheckedTarget {
    const projectInput = optionalString(news.projectId, "projectId", fail);
    const projectId = resolveProjectId(projectInput, env);
    if (projectId === undefined) fail("projectId", "projectId is required: set the projectId input, the drs:projectId stack config or OS_PROJECT_ID.");
    else if (!PROJECT_ID_PATTERN.test(projectId)) fail("projectId", `projectId "${printable(projectId)}" must be 32 hex characters (from ${projectInput ? "the projectId input" : "drs:projectId or OS_PROJECT_ID"}); it goes into the request path.`);

    const regionInput = optionalString(news.region, "region", fail);
    const region = resolveRegion(regionInput, env);
    if (region !== undefined && !REGION_PATTERN.test(region)) fail("region", `region "${printable(region)}" is not a region name such as eu-de (from ${regionInput ? "the region input" : "drs:region or OS_REGION_NAME"}).`);

    let allowInsecureEndpoint: boolean | undefined;
    if (news.allowInsecureEndpoint !== undefined) {
        if (typeof news.allowInsecureEndpoint === "boolean") allowInsecureEndpoint = news.allowInsecureEndpoint || undefined;
        else fail("allowInsecureEndpoint", `allowInsecureEndpoint must be true or false (got ${JSON.stringify(news.allowInsecureEndpoint)}).`);
    }
    const cloudInput = optionalString(news.cloud, "cloud", fail) ?? env.DRS_CLOUD;
    let cloud: Cloud | undefined;
    if (cloudInput !== undefined && cloudInput !== "") {
        if ((CLOUDS as readonly string[]).includes(cloudInput)) cloud = cloudInput as Cloud;
        else fail("cloud", `cloud "${printable(cloudInput)}" must be one of ${CLOUDS.join(", ")} (from ${news.cloud !== undefined ? "the cloud input" : "drs:cloud or DRS_CLOUD"}).`);
    }
    const endpointInput = optionalString(news.endpoint, "endpoint", fail);
    const endpoint = resolveEndpoint(endpointInput, region, env, cloud);
    if (endpoint === undefined) fail("endpoint", "No DRS endpoint: set the region input (or drs:region, OS_REGION_NAME), or the endpoint input (or drs:endpoint, DRS_ENDPOINT).");
    else {
        const reason = endpointProblem(endpoint, allowInsecureEndpoint === true);
        if (reason) fail("endpoint", `endpoint "${printable(endpoint)}" ${reason}`);
    }
    return { projectId, region, cloud, endpoint, allowInsecureEndpoint };
}

/** True when some input is not known yet (preview with computed values). */
export function hasUnknowns(news: RawInputs): boolean {
    return Object.values(news).some((v) => v === UNKNOWN_VALUE || (Array.isArray(v) && v.includes(UNKNOWN_VALUE)));
}

/** Parses a start time given as ms epoch (number or digits) or ISO 8601. */
export function parseStartTime(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? value : undefined;
    if (typeof value !== "string" || value.trim() === "") return undefined;
    if (/^\d+$/.test(value)) return parseStartTime(Number(value));
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
}

function sameStartTime(old: unknown, parsed: number): boolean {
    return old !== undefined && parseStartTime(old) === parsed;
}

/** Why an endpoint URL is refused, or undefined when it is fine. */
export function endpointProblem(endpoint: string, allowInsecure = false): string | undefined {
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        return "is not a URL (expected e.g. https://drs.eu-de.otc.t-systems.com).";
    }
    if (url.username || url.password) return "must not carry credentials.";
    if (url.search || url.hash) return "must not have a query or fragment.";
    if (url.protocol === "https:") return undefined;
    if (url.protocol === "http:" && (LOOPBACK_HOSTS.has(url.hostname) || allowInsecure)) return undefined;
    return url.protocol === "http:" ? "must use https (plain http is allowed for loopback, e.g. the bundled emulator, or with allowInsecureEndpoint: true)." : "must use https.";
}

function optionalString(value: unknown, property: string, fail: (p: string, r: string) => void): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    fail(property, `${property} must be a string (got ${typeof value}).`);
    return undefined;
}

/** An enumerated string input: undefined when absent; a value outside `values` is reported with what each value means. */
function oneOf<T extends string>(value: unknown, property: string, values: readonly T[], fail: (p: string, r: string) => void, meaning: string): T | undefined {
    if (value === undefined) return undefined;
    if (typeof value === "string" && (values as readonly string[]).includes(value)) return value as T;
    fail(property, `${property} must be one of ${values.join(", ")} (got ${JSON.stringify(value)}): ${meaning}.`);
    return undefined;
}

function boundedNumber(value: unknown, property: string, fallback: number, min: number, max: number, fail: (p: string, r: string) => void): number {
    if (value === undefined) return fallback;
    if (typeof value !== "number" || !Number.isFinite(value)) {
        fail(property, `${property} must be a number of seconds (got ${JSON.stringify(value)}).`);
        return fallback;
    }
    if (value < min || value > max) fail(property, `${property} must be between ${min} and ${max} seconds (got ${value}).`);
    return value;
}

/** Shows an untrusted string safely in a message: control characters escaped, length capped. */
function printable(value: string): string {
    const escaped = JSON.stringify(value).slice(1, -1);
    return escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped;
}

/** Drops undefined members (the engine's struct encoding rejects them). */
export function strip<T extends object>(value: T): T {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
