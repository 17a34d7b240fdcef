import { DrsApiError } from "./errors";
import { postJson, type TransportOptions } from "./http";

/** Supplies the `X-Auth-Token` for DRS calls. */
export interface TokenSource {
    /** A token valid for the project; cached where possible. */
    token(): Promise<string>;
    /**
     * Drops `token` after DRS answered 401 with it. Returns true when a
     * different token can be obtained (the caller then retries once).
     */
    invalidate(token: string): boolean;
}

/** A pre-issued token (`OS_TOKEN`): cannot be renewed. */
export class StaticTokenSource implements TokenSource {
    readonly #token: string;
    constructor(token: string) {
        this.#token = token;
    }
    token(): Promise<string> {
        return Promise.resolve(this.#token);
    }
    invalidate(): boolean {
        return false;
    }
}

/** Credentials for IAM password authentication, scoped to one project. */
export interface PasswordCredentials {
    /** IAM endpoint, with or without the trailing `/v3`. */
    readonly authUrl: string;
    readonly username: string;
    readonly password: string;
    readonly domainName: string;
    readonly projectId: string;
    /** Where the user, password and domain were read, for error messages (e.g. `drs:password stack config`); never a value. */
    readonly source?: string;
    /** Where the IAM endpoint was read (e.g. `drs:authUrl stack config`, or the region's default), for error messages. */
    readonly authUrlSource?: string;
}

/** Renew this long before the token's `expires_at`. */
export const TOKEN_RENEW_MARGIN_MS = 5 * 60_000;

interface CachedToken {
    readonly value: string;
    readonly renewAt: number;
}

/**
 * Keystone v3 password authentication (`POST {auth_url}/v3/auth/tokens`).
 * The token is cached until {@link TOKEN_RENEW_MARGIN_MS} before expiry;
 * concurrent callers share one IAM request.
 */
export class PasswordTokenSource implements TokenSource {
    readonly #credentials: PasswordCredentials;
    readonly #transport: TransportOptions;
    readonly #now: () => number;
    #cached?: CachedToken;
    #pending?: Promise<CachedToken>;

    constructor(credentials: PasswordCredentials, transport: TransportOptions, now: () => number = Date.now) {
        this.#credentials = credentials;
        this.#transport = transport;
        this.#now = now;
    }

    async token(): Promise<string> {
        if (this.#cached && this.#now() < this.#cached.renewAt) return this.#cached.value;
        this.#pending ??= this.#issue().finally(() => {
            this.#pending = undefined;
        });
        this.#cached = await this.#pending;
        return this.#cached.value;
    }

    invalidate(token: string): boolean {
        if (this.#cached?.value === token) this.#cached = undefined;
        return true;
    }

    async #issue(): Promise<CachedToken> {
        const c = this.#credentials;
        const response = await postJson(
            {
                operation: "iam-token",
                url: `${c.authUrl.replace(/\/+$/, "").replace(/\/v3$/, "")}/v3/auth/tokens`,
                headers: {},
                retryMode: "any",
                body: {
                    auth: {
                        identity: {
                            methods: ["password"],
                            password: { user: { name: c.username, password: c.password, domain: { name: c.domainName } } },
                        },
                        scope: { project: { id: c.projectId } },
                    },
                },
            },
            this.#transport,
        ).catch((error: unknown) => {
            if (error instanceof DrsApiError && (error.httpStatus === 401 || error.httpStatus === 400)) {
                throw new DrsApiError({
                    operation: "iam-token",
                    httpStatus: error.httpStatus,
                    code: error.code,
                    vendorMessage: error.vendorMessage,
                    hint: `IAM refused user "${c.username}" in domain "${c.domainName}" (read from ${c.source ?? "OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME"}): check that user, its password and domain, and the project id.`,
                    requestId: error.requestId,
                });
            }
            throw error;
        });
        const value = response.headers.get("x-subject-token");
        if (!value) {
            throw new DrsApiError({
                operation: "iam-token",
                httpStatus: response.status,
                vendorMessage: "IAM answered without an X-Subject-Token header",
                hint: `Check that ${c.authUrl} (${c.authUrlSource ?? "OS_AUTH_URL"}) is the IAM endpoint; set it with drs:authUrl or OS_AUTH_URL.`,
                requestId: response.headers.get("x-request-id") ?? undefined,
            });
        }
        const token = (response.body as { token?: { expires_at?: unknown } }).token;
        const expiresAt = typeof token?.expires_at === "string" ? Date.parse(token.expires_at) : NaN;
        // Without a readable expiry assume the documented 24 h lifetime.
        const expiry = Number.isNaN(expiresAt) ? this.#now() + 24 * 3600_000 : expiresAt;
        return { value, renewAt: Math.max(this.#now(), expiry - TOKEN_RENEW_MARGIN_MS) };
    }
}
