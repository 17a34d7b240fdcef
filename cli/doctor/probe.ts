import * as http from "node:http";
import * as https from "node:https";
import type { TLSSocket } from "node:tls";

/** Why a connection to an endpoint failed, as far as the error tells. */
export type ConnectFailure = "dns" | "refused" | "tls" | "timeout" | "reset" | "other";

/** What one probe of an endpoint saw: an HTTP answer (any status), or why none came. */
export type ProbeOutcome = { readonly reachable: true; readonly httpStatus: number; readonly ms: number; readonly tls?: string } | { readonly reachable: false; readonly failure: ConnectFailure; readonly message: string };

/** Codes of a certificate or handshake problem (Node's OpenSSL verify codes and TLS errors). */
const TLS_CODES = new Set([
    "CERT_HAS_EXPIRED",
    "CERT_NOT_YET_VALID",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "UNABLE_TO_GET_ISSUER_CERT",
    "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "CERT_UNTRUSTED",
    "CERT_REVOKED",
    "EPROTO",
]);

/** Sorts a connection error by its `code`: DNS, refused, TLS, timeout, reset or other. */
export function classifyConnectError(code: string | undefined): ConnectFailure {
    if (code === undefined) return "other";
    if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NODATA" || code === "EAI_NONAME") return "dns";
    if (code === "ECONNREFUSED") return "refused";
    if (code === "ETIMEDOUT" || code === "ESOCKETTIMEDOUT") return "timeout";
    if (code === "ECONNRESET" || code === "EPIPE") return "reset";
    if (TLS_CODES.has(code) || code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_")) return "tls";
    return "other";
}

/** What to do about each {@link ConnectFailure}, for `host`. */
export function connectFix(failure: ConnectFailure, host: string): string {
    switch (failure) {
        case "dns":
            return `the host name ${host} does not resolve: check the endpoint or region (drs:endpoint / DRS_ENDPOINT, drs:region / OS_REGION_NAME) and this machine's DNS.`;
        case "refused":
            return `nothing accepts connections at ${host}: check the endpoint's host and port (for the emulator: is \`npm run emulator\` running, on that port?).`;
        case "tls":
            return `the TLS handshake with ${host} failed: if a proxy or private CA re-signs traffic, give Node its CA with NODE_EXTRA_CA_CERTS=<file.pem>; otherwise check the endpoint's host name.`;
        case "timeout":
            return `${host} did not answer in time: check firewalls and network routes to it (DRS endpoints answer on port 443).`;
        case "reset":
            return `${host} closed the connection: check that the endpoint speaks HTTPS (or plain HTTP for a loopback emulator) and that no proxy drops it.`;
        default:
            return `check the endpoint URL and the network path to ${host}.`;
    }
}

/**
 * Opens `url` with a plain `GET` (no credentials) and reports whether an HTTP
 * answer came, of any status, within `timeoutMs`; for https also the TLS
 * protocol and the certificate's subject and expiry.
 */
export function probe(url: string, timeoutMs: number): Promise<ProbeOutcome> {
    const started = Date.now();
    const target = new URL(url);
    const get = target.protocol === "https:" ? https.get : http.get;
    return new Promise((resolve) => {
        let tls: string | undefined;
        const request = get(target, { timeout: timeoutMs, headers: { Accept: "application/json" } }, (response) => {
            response.resume();
            resolve({ reachable: true, httpStatus: response.statusCode ?? 0, ms: Date.now() - started, ...(tls ? { tls } : {}) });
        });
        request.on("socket", (socket) => {
            if (!("encrypted" in socket)) return;
            const secure = socket as TLSSocket;
            secure.once("secureConnect", () => {
                const certificate = secure.getPeerCertificate();
                const subject = certificate.subject?.CN;
                tls = [secure.getProtocol() ?? "TLS", subject ? `certificate ${subject}` : undefined, certificate.valid_to ? `valid until ${certificate.valid_to}` : undefined].filter(Boolean).join(", ");
            });
        });
        request.on("timeout", () => {
            request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: "ETIMEDOUT" }));
        });
        request.on("error", (error: NodeJS.ErrnoException) => {
            resolve({ reachable: false, failure: classifyConnectError(error.code), message: `${error.code ? `${error.code}: ` : ""}${error.message}` });
        });
    });
}
