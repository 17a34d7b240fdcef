import { createHash } from "node:crypto";
import type { AkSkCredentials } from "./drs/akskSigner";
import { PasswordTokenSource, StaticTokenSource, type TokenSource } from "./drs/auth";
import { DrsClient } from "./drs/client";
import { DEFAULT_TRANSPORT, type TransportOptions } from "./drs/http";
import { type Environment, settingSource } from "./stackConfig";
import { CoalescingJobsApi } from "./jobs/coalescingJobsApi";
import { DirectJobsApi } from "./jobs/directJobsApi";
import type { JobsApi } from "./jobs/jobsApi";
import { type Clock, systemClock } from "./wait/clock";

/** Clouds that serve the same DRS API under different host names. */
export const CLOUDS = ["otc", "huaweicloud"] as const;

/** One of {@link CLOUDS}: Open Telekom Cloud (default) or Huawei Cloud. */
export type Cloud = (typeof CLOUDS)[number];

const DOMAINS: Record<Cloud, string> = { otc: "otc.t-systems.com", huaweicloud: "myhuaweicloud.com" };

/**
 * Open Telekom Cloud's Swiss region lives under its own domain, with IAM at
 * `iam-pub` (as the public configurations of the OTC Terraform provider
 * give it). Its DRS host follows the region's service naming: an assumption,
 * as DRS is not confirmed there; set `endpoint` if it differs.
 */
const OTC_SWISS = "eu-ch2";

/** The DRS endpoint of a region: `https://drs.{region}.otc.t-systems.com` (`.sc.` for eu-ch2) or `.myhuaweicloud.com`. */
export function regionEndpoint(region: string, cloud: Cloud = "otc"): string {
    if (cloud === "otc" && region === OTC_SWISS) return `https://drs.${region}.sc.${DOMAINS.otc}`;
    return `https://drs.${region}.${DOMAINS[cloud]}`;
}

/** The IAM endpoint of a region on the cloud (`iam-pub.eu-ch2.sc.otc.t-systems.com` for the Swiss region). */
export function regionAuthUrl(region: string, cloud: Cloud = "otc"): string {
    if (cloud === "otc" && region === OTC_SWISS) return `https://iam-pub.${region}.sc.${DOMAINS.otc}/v3`;
    return `https://iam.${region}.${DOMAINS[cloud]}/v3`;
}

const nonEmpty = (value: string | undefined): string | undefined => (value && value.trim() !== "" ? value.trim() : undefined);

/** `projectId` input, else `OS_PROJECT_ID`. */
export function resolveProjectId(input: string | undefined, env: Environment): string | undefined {
    return nonEmpty(input) ?? nonEmpty(env.OS_PROJECT_ID);
}

/** `region` input, else `OS_REGION_NAME`. */
export function resolveRegion(input: string | undefined, env: Environment): string | undefined {
    return nonEmpty(input) ?? nonEmpty(env.OS_REGION_NAME);
}

/** `endpoint` input, else `DRS_ENDPOINT`, else the region's public endpoint on `cloud`. */
export function resolveEndpoint(input: string | undefined, region: string | undefined, env: Environment, cloud: Cloud = "otc"): string | undefined {
    const explicit = nonEmpty(input) ?? nonEmpty(env.DRS_ENDPOINT);
    if (explicit) return explicit.replace(/\/+$/, "");
    return region ? regionEndpoint(region, cloud) : undefined;
}

/** Where a client for one job points. */
export interface Target {
    readonly projectId: string;
    readonly region?: string;
    readonly cloud?: Cloud;
    readonly endpoint: string;
}

/** `OS_AUTH_URL`, else the IAM endpoint of the target's region and cloud. */
export function authUrlFor(target: Target, env: Environment): string | undefined {
    return nonEmpty(env.OS_AUTH_URL) ?? (target.region ? regionAuthUrl(target.region, target.cloud) : undefined);
}

/**
 * A hash of who calls DRS where: endpoint-independent credential identity
 * (token, or IAM user, domain, auth URL, project and password). No credential
 * is kept in clear outside the token source itself.
 */
function identityKey(target: Target, env: Environment): string {
    const token = nonEmpty(env.OS_TOKEN);
    const keys = accessKeysOf(env);
    const authUrl = authUrlFor(target, env);
    const identity = token ? ["token", token] : keys ? ["aksk", keys.accessKey, keys.secretKey, keys.securityToken] : ["password", authUrl, nonEmpty(env.OS_USERNAME), nonEmpty(env.OS_DOMAIN_NAME), target.projectId, env.OS_PASSWORD];
    return createHash("sha256").update(JSON.stringify(identity)).digest("hex");
}

/** Token sources live here, one per credential identity, for the life of the provider process. */
const tokenSources = new Map<string, TokenSource>();

/** `OS_ACCESS_KEY` + `OS_SECRET_KEY` (+ `OS_SECURITY_TOKEN` for temporary keys), when both are set. */
function accessKeysOf(env: Environment): AkSkCredentials | undefined {
    const accessKey = nonEmpty(env.OS_ACCESS_KEY);
    const secretKey = nonEmpty(env.OS_SECRET_KEY);
    if (!accessKey || !secretKey) return undefined;
    const securityToken = nonEmpty(env.OS_SECURITY_TOKEN);
    return securityToken ? { accessKey, secretKey, securityToken } : { accessKey, secretKey };
}

/**
 * How calls for `target` authenticate, from the environment read now, in this
 * order: `OS_TOKEN`; access keys (`OS_ACCESS_KEY`/`OS_SECRET_KEY`, optional
 * `OS_SECURITY_TOKEN`), which sign every request; IAM password auth
 * (`OS_USERNAME`, `OS_PASSWORD`, `OS_DOMAIN_NAME`, `OS_AUTH_URL` or the
 * region's IAM). Token sources are cached per identity so every resource of a
 * deployment shares one token; the cache key is a hash, so no credential is
 * kept in clear outside the source itself.
 */
export function authFor(target: Target, env: Environment, transport: TransportOptions = DEFAULT_TRANSPORT): TokenSource | AkSkCredentials {
    const token = nonEmpty(env.OS_TOKEN);
    if (!token) {
        const keys = accessKeysOf(env);
        if (keys) return keys;
    }
    const authUrl = authUrlFor(target, env);
    const username = nonEmpty(env.OS_USERNAME);
    const password = env.OS_PASSWORD;
    const domainName = nonEmpty(env.OS_DOMAIN_NAME);
    const key = identityKey(target, env);
    const cached = tokenSources.get(key);
    if (cached) return cached;
    let source: TokenSource;
    if (token) {
        source = new StaticTokenSource(token);
    } else if (username && password && authUrl && domainName) {
        const from = [...new Set(["OS_USERNAME", "OS_PASSWORD", "OS_DOMAIN_NAME"].map(settingSource))].join(", ");
        const authUrlSource = nonEmpty(env.OS_AUTH_URL) ? settingSource("OS_AUTH_URL") : `the IAM endpoint of region ${target.region ?? "(none)"}`;
        source = new PasswordTokenSource({ authUrl, username, password, domainName, projectId: target.projectId, source: from, authUrlSource }, transport);
    } else {
        const missing = [!username && "drs:username / OS_USERNAME", !password && "drs:password / OS_PASSWORD", !domainName && "drs:domainName / OS_DOMAIN_NAME", !authUrl && "drs:authUrl / OS_AUTH_URL (or a region)"].filter(Boolean);
        throw new Error(`No DRS credentials: set drs:token (or OS_TOKEN), or drs:accessKey and drs:secretKey (or OS_ACCESS_KEY and OS_SECRET_KEY), or IAM password auth (missing: ${missing.join(", ")}).`);
    }
    tokenSources.set(key, source);
    return source;
}

/**
 * Which credentials calls for `target` use, in the order {@link authFor}
 * reads them, and where each part comes from, e.g. `IAM user drs-demo of
 * domain emulator-domain (drs:username stack config, OS_PASSWORD, ...)`.
 * Names sources and the user, never a secret, token or access key.
 */
export function credentialsInUse(env: Environment): string | undefined {
    const from = (...names: string[]) => [...new Set(names.filter((n) => nonEmpty(env[n]) !== undefined).map(settingSource))].join(", ");
    if (nonEmpty(env.OS_TOKEN)) return `an IAM token (${from("OS_TOKEN")})`;
    if (accessKeysOf(env)) return `access keys (${from("OS_ACCESS_KEY", "OS_SECRET_KEY", "OS_SECURITY_TOKEN")})`;
    const username = nonEmpty(env.OS_USERNAME);
    if (!username || env.OS_PASSWORD === undefined) return undefined;
    return `IAM user ${username} of domain ${nonEmpty(env.OS_DOMAIN_NAME) ?? "(none)"} (${from("OS_USERNAME", "OS_PASSWORD", "OS_DOMAIN_NAME")})`;
}

/** A client for `target` with credentials from `env`. */
export function clientFor(target: Target, env: Environment, transport: TransportOptions = DEFAULT_TRANSPORT): DrsClient {
    return new DrsClient({ endpoint: target.endpoint, projectId: target.projectId, auth: authFor(target, env, transport), transport });
}

/** Shared DRS access, one per endpoint, project, identity and transport, for the life of the provider process. */
const jobsApis = new Map<string, JobsApi>();

/**
 * The DRS access for `target`: by default the process-wide
 * {@link CoalescingJobsApi} of its endpoint, project and credential identity,
 * so every resource of a deployment shares batch calls and one status tick.
 * `DRS_COALESCE=off` gives one call per job ({@link DirectJobsApi}).
 */
export function jobsApiFor(target: Target, env: Environment, transport: TransportOptions = DEFAULT_TRANSPORT, clock: Clock = systemClock): JobsApi {
    if (env.DRS_COALESCE === "off") return new DirectJobsApi(clientFor(target, env, transport), clock);
    const key = createHash("sha256")
        .update(JSON.stringify([target.endpoint, target.projectId, identityKey(target, env), transport.requestTimeoutMs, transport.retry]))
        .digest("hex");
    const cached = jobsApis.get(key);
    if (cached) return cached;
    let api: CoalescingJobsApi | undefined;
    const throttleAware: TransportOptions = {
        ...transport,
        onRetry: (failure) => {
            if (failure.httpStatus === 429) api?.ticker.throttled();
            transport.onRetry?.(failure);
        },
    };
    api = new CoalescingJobsApi(clientFor(target, env, throttleAware), clock);
    jobsApis.set(key, api);
    return api;
}
