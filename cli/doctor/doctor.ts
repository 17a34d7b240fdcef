import { PasswordTokenSource, StaticTokenSource, TokenSource } from "../../provider/drs/auth";
import { AkSkCredentials } from "../../provider/drs/akskSigner";
import { DrsClient, isAkSk, jobsUrl } from "../../provider/drs/client";
import { DrsApiError } from "../../provider/drs/errors";
import { TransportOptions } from "../../provider/drs/http";
import { DB_USE_TYPES, DbUseType, JobInfo } from "../../provider/drs/wire";
import { DEAD_END_ACTIONS, START_ACTION } from "../../provider/ensureRunning";
import { authFor, authUrlFor, Environment, Target } from "../../provider/settings";
import { applyStackConfig, effectiveEnvironment, settingSource } from "../../provider/stackConfig";
import { checkTarget, JOB_ID_PATTERN } from "../../provider/validate";
import { jobStatusFamily } from "../../provider/wait/jobStatusFamily";
import { connectFix, probe } from "./probe";
import { CheckRow } from "./report";
import { readStackSettings } from "./stackSettings";

/** What `pulumi-drs doctor` checks, and where. */
export interface DoctorOptions {
    /** Job ids whose status and available actions to show (`--job`). */
    readonly jobIds: readonly string[];
    /** The stack whose `drs:*` config to read (`--stack`); default the selected stack of the project in `cwd`. */
    readonly stack?: string;
    /** Where the doctor runs: the program directory, or anywhere for the environment only. */
    readonly cwd: string;
    /** The process environment (`OS_*`, `DRS_*`, and what the Pulumi CLI needs). */
    readonly env: NodeJS.ProcessEnv;
    /** How long one connection or call may take; default 10 s. */
    readonly timeoutMs?: number;
}

/** One try and one retry per call: the doctor reports, it does not ride out outages. */
function doctorTransport(timeoutMs: number): TransportOptions {
    return { requestTimeoutMs: timeoutMs, retry: { retries: 1, minDelayMs: 250, maxDelayMs: 1000, maxRetryAfterMs: 5000 } };
}

/** What to set for each setting `checkTarget` refuses. */
const SETTING_FIXES: Readonly<Record<string, string>> = {
    projectId: "set drs:projectId (`pulumi config set drs:projectId <id>`) or OS_PROJECT_ID to the 32-hex id of the project the jobs live in (console: My Credentials > Projects).",
    region: "set drs:region or OS_REGION_NAME to a region name such as eu-de.",
    cloud: "set drs:cloud or DRS_CLOUD to otc or huaweicloud, or remove it (default otc).",
    endpoint: "set drs:region (or OS_REGION_NAME) for the region's public endpoint, or drs:endpoint (or DRS_ENDPOINT) to an https URL.",
};

/** Check names of the settings `checkTarget` reads. */
const SETTING_CHECKS: Readonly<Record<string, string>> = { projectId: "project id", region: "region", cloud: "cloud", endpoint: "endpoint" };

/** The checks that need a reachable, authenticated DRS, reported as skipped after `cause`. */
function skipRest(rows: CheckRow[], from: readonly string[], cause: string): CheckRow[] {
    return [...rows, ...from.map((check): CheckRow => ({ check, result: "skipped", detail: `not checked: ${cause}` }))];
}

/** A DRS or IAM failure in one line: call, HTTP status, vendor code and message, request id. Never a credential (the error holds none). */
function failureLine(error: unknown): string {
    if (!(error instanceof DrsApiError)) return error instanceof Error ? error.message : String(error);
    const status = error.httpStatus > 0 ? `HTTP ${error.httpStatus}` : "no response";
    const code = error.code && error.code !== String(error.httpStatus) ? ` ${error.code}` : "";
    const requestId = error.requestId ? ` (X-Request-Id ${error.requestId})` : "";
    return `${error.operation}: ${status}${code}: ${error.vendorMessage}${requestId}`;
}

/** Names of the settings (keys or variables) that hold the credentials in use; never their values. */
function credentialSources(variables: readonly string[], env: Environment): string {
    return [...new Set(variables.filter((name) => env[name] !== undefined).map(settingSource))].join(", ");
}

/** The credentials in use, described by kind and source (user and domain names are not secrets; keys, passwords and tokens never shown). */
function describeAuth(auth: TokenSource | AkSkCredentials, env: Environment, authUrl: string | undefined): string {
    if (isAkSk(auth)) return `access key pair (${credentialSources(["OS_ACCESS_KEY", "OS_SECRET_KEY", "OS_SECURITY_TOKEN"], env)}): every request signed, no IAM call`;
    if (auth instanceof StaticTokenSource) return `pre-issued token (${settingSource("OS_TOKEN")}): cannot be renewed`;
    return `IAM password of user "${env.OS_USERNAME}" in domain "${env.OS_DOMAIN_NAME}" (${credentialSources(["OS_USERNAME", "OS_PASSWORD", "OS_DOMAIN_NAME"], env)}) at ${authUrl}`;
}

/** What to do when DRS refuses the list call with `error`, given the credentials in use and the target. */
function drsRefusalFix(error: unknown, auth: TokenSource | AkSkCredentials, target: Target, env: Environment): string {
    if (!(error instanceof DrsApiError)) return "report this output as a bug of pulumi-drs.";
    const project = `project ${target.projectId} (${settingSource("OS_PROJECT_ID")})`;
    if (error.httpStatus === 401) {
        if (auth instanceof StaticTokenSource) return `DRS refused the token in ${settingSource("OS_TOKEN")}: it has expired (IAM tokens last 24 h) or belongs to another cloud. Get a new one, or use drs:username/drs:password (renewed by the provider) instead.`;
        if (isAkSk(auth)) return `DRS refused the access key signature: check ${credentialSources(["OS_ACCESS_KEY", "OS_SECRET_KEY", "OS_SECURITY_TOKEN"], env)} (a pair from My Credentials > Access Keys; temporary keys need their security token and expire) and this machine's clock (signatures older than 15 min are refused).`;
        return "DRS refused the token IAM issued: check that the IAM endpoint (drs:authUrl / OS_AUTH_URL) and the DRS endpoint belong to the same cloud and region.";
    }
    if (error.httpStatus === 403) return `the credentials are not allowed in ${project}: check that the id is the project of this region (${target.region ?? target.endpoint}) where the jobs live, that the credentials belong to it, and that the user holds a DRS permission there (e.g. DRS ReadOnlyAccess).`;
    if (error.httpStatus === 404) return `${target.endpoint} does not serve the DRS v3 API for ${project}: check drs:endpoint / DRS_ENDPOINT and drs:region / OS_REGION_NAME.`;
    if (error.httpStatus === 0) return "the endpoint answered the probe but not the API call: retry, and check proxies or firewalls between here and the endpoint.";
    return `${error.hint ?? "DRS refused the call"}${error.requestId ? " If it persists, give the X-Request-Id to the cloud's support." : ""}`;
}

/** A row for one `--job`: status, task type and available actions, judged by what `pulumi up` will do with it. */
function jobRow(jobId: string, found: JobInfo | undefined, target: Target): CheckRow {
    const check = `job ${jobId}`;
    if (!JOB_ID_PATTERN.test(jobId)) return { check, result: "FAIL", detail: "not a DRS job id (expected 8-4-4-4-12 letters/digits)", fix: "copy the job id from the DRS console (job list, ID column)." };
    if (!found) {
        return {
            check,
            result: "FAIL",
            detail: `not found in project ${target.projectId} (listed db_use_type ${DB_USE_TYPES.join(", ")} at ${target.endpoint})`,
            fix: `check the job id, and that drs:projectId / OS_PROJECT_ID and the region are those of the job (jobs are per project and region).`,
        };
    }
    const actions = found.availableActions ? `; available actions: ${found.availableActions.length > 0 ? found.availableActions.join(", ") : "none"}` : "";
    const error = found.errorMessage ? `; DRS says: ${found.errorMessage}` : "";
    const detail = `${found.status} (${found.dbUseType ?? "?"}, "${found.name}")${actions}${error}`;
    const family = jobStatusFamily(found.status);
    if (family === "failed" || family === "paused" || family === "stopped") return { check, result: "warn", detail, fix: `pulumi up will fail on job ${jobId}: ${DEAD_END_ACTIONS[family]}` };
    if (family === "notStarted" && found.availableActions && !found.availableActions.includes(START_ACTION)) {
        return { check, result: "warn", detail, fix: `DRS does not allow START on job ${jobId} now: finish its configuration in the DRS console (pulumi up starts only configured jobs).` };
    }
    if (family === "gone" || family === "unknown") return { check, result: "warn", detail, fix: `status ${found.status || "(none)"} of job ${jobId} is not one pulumi-drs acts on: check the job in the DRS console.` };
    return { check, result: "ok", detail };
}

/**
 * Runs every check in order (settings, project id, endpoint, reachability,
 * credentials, DRS's answer, job counts, the jobs asked about); a check
 * that cannot run because an earlier one failed is reported as skipped.
 * Settings are resolved by the provider's own code (stack config over the
 * environment, credentials by kind), calls made by its client.
 */
export async function runDoctor(options: DoctorOptions): Promise<CheckRow[]> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const transport = doctorTransport(timeoutMs);
    const jobChecks = options.jobIds.map((id) => `job ${id}`);
    const rows: CheckRow[] = [];

    const settings = await readStackSettings(options.cwd, options.stack, options.env);
    if (settings.kind === "error") return skipRest([{ check: "settings", result: "FAIL", detail: settings.message, fix: settings.fix }], ["endpoint", "credentials", "DRS API", "jobs", ...jobChecks], "settings unread");
    const values = settings.kind === "stack" ? settings.values : {};
    applyStackConfig({ config: { get: (key) => values[key] } });
    const env = effectiveEnvironment(options.env);
    rows.push(
        settings.kind === "stack"
            ? { check: "settings", result: "ok", detail: `stack "${settings.stack}" of ${settings.project} (${Object.keys(values).join(", ") || "no drs:* keys"}) over the environment` }
            : { check: "settings", result: settings.warning ? "warn" : "ok", detail: settings.reason, ...(settings.warning ? { fix: "put the pulumi CLI on PATH to check the stack's drs:* config too." } : {}) },
    );

    const problems: { property: string; reason: string }[] = [];
    const checked = checkTarget({}, env, (property, reason) => problems.push({ property, reason }));
    for (const { property, reason } of problems) rows.push({ check: SETTING_CHECKS[property] ?? property, result: "FAIL", detail: reason, fix: SETTING_FIXES[property] ?? reason });
    const { projectId, endpoint } = checked;
    if (problems.length > 0 || projectId === undefined || endpoint === undefined) return skipRest(rows, ["endpoint reachable", "credentials", "DRS API", "jobs", ...jobChecks], "fix the settings above first");
    const target: Target = { projectId, endpoint, region: checked.region, cloud: checked.cloud };
    rows.push({ check: "project id", result: "ok", detail: `${projectId} (${settingSource("OS_PROJECT_ID")})` });
    const endpointSource = env.DRS_ENDPOINT !== undefined ? settingSource("DRS_ENDPOINT") : `public endpoint of region ${checked.region}, from ${settingSource("OS_REGION_NAME")}`;
    rows.push({ check: "endpoint", result: "ok", detail: `${endpoint} (${endpointSource})` });

    const reach = await probe(endpoint, timeoutMs);
    const host = new URL(endpoint).host;
    if (!reach.reachable) {
        rows.push({ check: "endpoint reachable", result: "FAIL", detail: `${reach.failure}: ${reach.message}`, fix: connectFix(reach.failure, host) });
        return skipRest(rows, ["credentials", "DRS API", "jobs", ...jobChecks], "endpoint unreachable");
    }
    rows.push({ check: "endpoint reachable", result: "ok", detail: `answers (HTTP ${reach.httpStatus} to GET, ${reach.ms} ms); ${reach.tls ?? `plain http${new URL(endpoint).protocol === "http:" ? " (allowed for loopback only)" : ""}`}` });

    let auth: TokenSource | AkSkCredentials;
    try {
        auth = authFor(target, env, transport);
    } catch (error) {
        rows.push({ check: "credentials", result: "FAIL", detail: "none complete", fix: error instanceof Error ? error.message : String(error) });
        return skipRest(rows, ["DRS API", "jobs", ...jobChecks], "no credentials");
    }
    const authUrl = authUrlFor(target, env);
    rows.push({ check: "credentials", result: "ok", detail: describeAuth(auth, env, authUrl) });

    if (auth instanceof PasswordTokenSource) {
        try {
            await auth.token();
            rows.push({ check: "IAM token", result: "ok", detail: `issued for project ${projectId}` });
        } catch (error) {
            const unreachable = error instanceof DrsApiError && error.httpStatus === 0;
            const fix = unreachable
                ? `IAM at ${authUrl} did not answer: check drs:authUrl / OS_AUTH_URL (default: the region's IAM endpoint) and the network path to it.`
                : `${error instanceof DrsApiError && error.hint ? error.hint : "IAM refused the token request."} Project ${projectId} is read from ${settingSource("OS_PROJECT_ID")}.`;
            rows.push({ check: "IAM token", result: "FAIL", detail: failureLine(error), fix });
            return skipRest(rows, ["DRS API", "jobs", ...jobChecks], "no IAM token");
        }
    }

    const client = new DrsClient({ endpoint, projectId, auth, transport });
    const listed = new Map<DbUseType, JobInfo[]>();
    try {
        for (const dbUseType of DB_USE_TYPES) listed.set(dbUseType, await client.listJobs({ dbUseType }));
    } catch (error) {
        rows.push({ check: "DRS API", result: "FAIL", detail: failureLine(error), fix: drsRefusalFix(error, auth, target, env) });
        return skipRest(rows, ["jobs", ...jobChecks], "DRS refused the credentials");
    }
    rows.push({ check: "DRS API", result: "ok", detail: `${jobsUrl(endpoint, projectId)} accepts the ${isAkSk(auth) ? "signature" : "token"}` });

    const counts = DB_USE_TYPES.map((type) => `${type} ${listed.get(type)?.length ?? 0}`).join(", ");
    const total = [...listed.values()].reduce((sum, jobs) => sum + jobs.length, 0);
    rows.push(
        total > 0
            ? { check: "jobs", result: "ok", detail: counts }
            : { check: "jobs", result: "warn", detail: `${counts}: DRS lists no job in project ${projectId}`, fix: "check that the project id and region are those where the DRS jobs were created." },
    );

    const all = [...listed.entries()].flatMap(([type, jobs]) => jobs.map((job) => ({ ...job, dbUseType: job.dbUseType ?? type })));
    for (const jobId of options.jobIds) rows.push(jobRow(jobId, all.find((job) => job.id === jobId), target));
    return rows;
}
