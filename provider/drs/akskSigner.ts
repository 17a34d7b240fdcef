import { createHash, createHmac } from "node:crypto";

/** The gateway's signing scheme name, as sent in `Authorization`. */
export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

/** Access key credentials; temporary ones carry a security token. */
export interface AkSkCredentials {
    readonly accessKey: string;
    readonly secretKey: string;
    /** Temporary credentials only: sent as `X-Security-Token` and signed. */
    readonly securityToken?: string;
}

/** The parts of a request that are signed. */
export interface SignableRequest {
    readonly method: string;
    readonly url: string;
    /** Headers that will be sent and signed (the signer adds host, X-Sdk-Date, X-Project-Id, X-Security-Token). */
    readonly headers: Readonly<Record<string, string>>;
    /** The exact body bytes that will be sent. */
    readonly body: string;
}

/** `YYYYMMDDTHHMMSSZ`, the `X-Sdk-Date` format. */
export function sdkDate(ms: number): string {
    return new Date(ms)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
}

const sha256Hex = (data: string) => createHash("sha256").update(data, "utf8").digest("hex");

/** RFC 3986 percent-encoding of one path segment or query component. */
function encode(value: string): string {
    return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Path segments decoded then re-encoded, always ending with `/` (the gateway's canonical URI). */
export function canonicalUri(pathname: string): string {
    const path = pathname
        .split("/")
        .map((segment) => encode(decodeURIComponent(segment)))
        .join("/");
    return path.endsWith("/") ? path : `${path}/`;
}

/** Query parameters sorted by name then value, each encoded. */
export function canonicalQuery(search: URLSearchParams): string {
    return [...search.entries()]
        .map(([k, v]) => [encode(k), encode(v)] as const)
        .sort(([ka, va], [kb, vb]) => (ka === kb ? (va < vb ? -1 : va > vb ? 1 : 0) : ka < kb ? -1 : 1))
        .map(([k, v]) => `${k}=${v}`)
        .join("&");
}

/** The canonical request and the signed header names for `headers` (lower-cased, sorted). */
export function canonicalRequest(request: SignableRequest): { canonical: string; signedHeaders: string } {
    const url = new URL(request.url);
    const headers = Object.entries(request.headers)
        .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const signedHeaders = headers.map(([name]) => name).join(";");
    const canonical = [request.method.toUpperCase(), canonicalUri(url.pathname), canonicalQuery(url.searchParams), headers.map(([name, value]) => `${name}:${value}\n`).join(""), signedHeaders, sha256Hex(request.body)].join("\n");
    return { canonical, signedHeaders };
}

/** The signature of a canonical request at `date` (`X-Sdk-Date`) with `secretKey`. */
export function signature(canonical: string, date: string, secretKey: string): string {
    const stringToSign = `${SIGNING_ALGORITHM}\n${date}\n${sha256Hex(canonical)}`;
    return createHmac("sha256", secretKey).update(stringToSign, "utf8").digest("hex");
}

/**
 * Signs a request the way the Open Telekom Cloud / Huawei Cloud API gateway
 * verifies it (SDK-HMAC-SHA256): returns every header to send, including
 * `Authorization`. `projectId` is sent as `X-Project-Id` for project-scoped APIs.
 */
export function signRequest(request: SignableRequest, credentials: AkSkCredentials, now: number, projectId?: string): Record<string, string> {
    const headers: Record<string, string> = {
        ...request.headers,
        Host: new URL(request.url).host,
        "X-Sdk-Date": sdkDate(now),
        ...(projectId ? { "X-Project-Id": projectId } : {}),
        ...(credentials.securityToken ? { "X-Security-Token": credentials.securityToken } : {}),
    };
    const { canonical, signedHeaders } = canonicalRequest({ ...request, headers });
    const sig = signature(canonical, headers["X-Sdk-Date"], credentials.secretKey);
    return { ...headers, Authorization: `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders}, Signature=${sig}` };
}
