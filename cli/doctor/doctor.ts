import { PasswordTokenSource, type TokenSource } from "../../provider/drs/auth";
import type { AkSkCredentials } from "../../provider/drs/akskSigner";
import { DrsClient, isAkSk, jobsUrl } from "../../provider/drs/client";
import { DrsApiError } from "../../provider/drs/errors";
import type { TransportOptions } from "../../provider/drs/http";
import { DB_USE_TYPES, type DbUseType, type JobInfo } from "../../provider/drs/wire";
import { authFor, authUrlFor, type Target } from "../../provider/settings";
import { applyStackConfig, effectiveEnvironment, settingSource } from "../../provider/stackConfig";
import { checkTarget } from "../../provider/validate";
import { describeAuth, drsRefusalFix, failureLine } from "./credentials";
import { jobRow } from "./jobRow";
import { connectFix, probe } from "./probe";
import type { CheckRow } from "./report";
import { readStackSettings } from "./stackSettings";

/** What `pulumi-drs doctor` checks, and where. */
export interface DoctorOptions {
    /** Jobs, by id or exact name, whose status and available actions to show (`--job`). */
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
        total > 0 ? { check: "jobs", result: "ok", detail: counts } : { check: "jobs", result: "warn", detail: `${counts}: DRS lists no job in project ${projectId}`, fix: "check that the project id and region are those where the DRS jobs were created." },
    );

    const all = [...listed.entries()].flatMap(([type, jobs]) => jobs.map((job) => ({ ...job, dbUseType: job.dbUseType ?? type })));
    for (const job of options.jobIds) rows.push(jobRow(job, all, target));
    return rows;
}
