import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { canonicalRequest, sdkDate, signature } from "../provider/drs/akskSigner";
import type { Verdict } from "./iam";

/** An access key the emulator accepts: its secret, and for temporary keys the security token. */
export interface AccessKey {
    readonly secretKey: string;
    /** Temporary credentials: requests must send (and sign) this `X-Security-Token`. */
    readonly securityToken?: string;
    /** Project the key may act on; default the emulator's project. */
    readonly projectId?: string;
}

/** The emulator's default access key pair: public demo values only the emulator accepts. */
export const DEFAULT_ACCESS_KEY = { accessKey: "EMULATORACCESSKEY001", secretKey: "emulator-only-secret-key" } as const;

/** How far `X-Sdk-Date` may be from the emulator's clock, as the gateway allows. */
const MAX_SKEW_MS = 15 * 60_000;

/**
 * Verifies an SDK-HMAC-SHA256 signed request the way the API gateway does:
 * known access key, `x-sdk-date` signed (the only header the gateway
 * requires: the vendor's Go SDK signs `user-agent;x-project-id;x-sdk-date`,
 * never `host`), date within 15 minutes, `X-Project-Id` equal to the
 * project in the path, the security token of temporary keys, and the
 * signature over method, path, query, whichever headers were signed, and body.
 */
export function verifySigned(req: { method?: string; url?: string; headers: IncomingHttpHeaders }, body: string, project: string, keys: ReadonlyMap<string, AccessKey>, defaultProjectId: string, now: number): Verdict {
    const match = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(String(req.headers.authorization ?? ""));
    if (!match) return "unauthorized";
    const [, accessKey, signedList, given] = match;
    const key = keys.get(accessKey);
    if (!key) return "unauthorized";
    const signed = signedList.split(";");
    const date = String(req.headers["x-sdk-date"] ?? "");
    if (!signed.includes("x-sdk-date") || !/^\d{8}T\d{6}Z$/.test(date)) return "unauthorized";
    const at = Date.parse(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
    if (!Number.isFinite(at) || Math.abs(now - at) > MAX_SKEW_MS || sdkDate(at) !== date) return "unauthorized";
    if (key.securityToken !== undefined && (!signed.includes("x-security-token") || req.headers["x-security-token"] !== key.securityToken)) return "unauthorized";
    const headers: Record<string, string> = {};
    for (const name of signed) {
        const value = req.headers[name];
        if (value === undefined) return "unauthorized";
        headers[name] = Array.isArray(value) ? value.join(",") : value;
    }
    // Only the path and query of this URL are signed; `host` counts only when it is among the signed headers.
    const { canonical } = canonicalRequest({ method: req.method ?? "POST", url: `http://emulator${req.url ?? "/"}`, headers, body });
    const expected = Buffer.from(signature(canonical, date, key.secretKey), "hex");
    if (!timingSafeEqual(expected, Buffer.from(given, "hex"))) return "unauthorized";
    if (req.headers["x-project-id"] !== project || project !== (key.projectId ?? defaultProjectId)) return "forbidden";
    return "ok";
}
