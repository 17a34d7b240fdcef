import { StaticTokenSource, type TokenSource } from "../../provider/drs/auth";
import type { AkSkCredentials } from "../../provider/drs/akskSigner";
import { isAkSk } from "../../provider/drs/client";
import { DrsApiError } from "../../provider/drs/errors";
import type { Target } from "../../provider/settings";
import type { Environment } from "../../provider/stackConfig";
import { settingSource } from "../../provider/stackConfig";

/** A DRS or IAM failure in one line: call, HTTP status, vendor code and message, request id. Never a credential (the error holds none). */
export function failureLine(error: unknown): string {
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
export function describeAuth(auth: TokenSource | AkSkCredentials, env: Environment, authUrl: string | undefined): string {
    if (isAkSk(auth)) return `access key pair (${credentialSources(["OS_ACCESS_KEY", "OS_SECRET_KEY", "OS_SECURITY_TOKEN"], env)}): every request signed, no IAM call`;
    if (auth instanceof StaticTokenSource) return `pre-issued token (${settingSource("OS_TOKEN")}): cannot be renewed`;
    return `IAM password of user "${env.OS_USERNAME}" in domain "${env.OS_DOMAIN_NAME}" (${credentialSources(["OS_USERNAME", "OS_PASSWORD", "OS_DOMAIN_NAME"], env)}) at ${authUrl}`;
}

/** What to do when DRS refuses the list call with `error`, given the credentials in use and the target. */
export function drsRefusalFix(error: unknown, auth: TokenSource | AkSkCredentials, target: Target, env: Environment): string {
    if (!(error instanceof DrsApiError)) return "report this output as a bug of pulumi-drs.";
    const project = `project ${target.projectId} (${settingSource("OS_PROJECT_ID")})`;
    if (error.httpStatus === 401) {
        if (auth instanceof StaticTokenSource)
            return `DRS refused the token in ${settingSource("OS_TOKEN")}: it has expired (IAM tokens last 24 h) or belongs to another cloud. Get a new one, or use drs:username/drs:password (renewed by the provider) instead.`;
        if (isAkSk(auth))
            return `DRS refused the access key signature: check ${credentialSources(["OS_ACCESS_KEY", "OS_SECRET_KEY", "OS_SECURITY_TOKEN"], env)} (a pair from My Credentials > Access Keys; temporary keys need their security token and expire) and this machine's clock (signatures older than 15 min are refused).`;
        return "DRS refused the token IAM issued: check that the IAM endpoint (drs:authUrl / OS_AUTH_URL) and the DRS endpoint belong to the same cloud and region.";
    }
    if (error.httpStatus === 403)
        return `the credentials are not allowed in ${project}: check that the id is the project of this region (${target.region ?? target.endpoint}) where the jobs live, that the credentials belong to it, and that the user holds a DRS permission there (e.g. DRS ReadOnlyAccess).`;
    if (error.httpStatus === 404) return `${target.endpoint} does not serve the DRS v3 API for ${project}: check drs:endpoint / DRS_ENDPOINT and drs:region / OS_REGION_NAME.`;
    if (error.httpStatus === 0) return "the endpoint answered the probe but not the API call: retry, and check proxies or firewalls between here and the endpoint.";
    return `${error.hint ?? "DRS refused the call"}${error.requestId ? " If it persists, give the X-Request-Id to the cloud's support." : ""}`;
}
