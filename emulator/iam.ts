import { randomBytes } from "node:crypto";

/** An IAM user the emulator accepts for password auth. */
export interface IamUser {
    readonly name: string;
    readonly password: string;
    readonly domain: string;
    /** Projects the user may scope tokens to; default: any. */
    readonly projectIds?: readonly string[];
}

interface IssuedToken {
    readonly projectId: string;
    readonly expiresAt: number;
}

/** Result of a token request. */
export type IssueResult = { readonly ok: true; readonly token: string; readonly projectId: string; readonly expiresAt: number } | { readonly ok: false; readonly reason: string };

/** Result of checking a request's `X-Auth-Token` against the project in its path. */
export type Verdict = "ok" | "unauthorized" | "forbidden";

/** Issues and checks the emulator's IAM tokens (Keystone v3 password method, project scope). */
export class TokenRegistry {
    readonly #tokens = new Map<string, IssuedToken>();
    /** How many tokens were issued (tests count renewals). */
    issuedCount = 0;

    constructor(
        private readonly users: readonly IamUser[],
        preIssued: Readonly<Record<string, string>>,
        private readonly ttlMs: number,
        private readonly now: () => number,
    ) {
        for (const [token, projectId] of Object.entries(preIssued)) this.#tokens.set(token, { projectId, expiresAt: Number.MAX_SAFE_INTEGER });
    }

    /** Handles a `POST /v3/auth/tokens` body. */
    issue(body: unknown): IssueResult {
        const auth = (body as { auth?: Record<string, unknown> } | undefined)?.auth;
        const identity = auth?.identity as { methods?: unknown; password?: { user?: { name?: unknown; password?: unknown; domain?: { name?: unknown } } } } | undefined;
        const user = identity?.password?.user;
        const projectId = (auth?.scope as { project?: { id?: unknown } } | undefined)?.project?.id;
        if (!Array.isArray(identity?.methods) || !identity.methods.includes("password") || !user) return { ok: false, reason: "The request you have made requires authentication." };
        const match = this.users.find((u) => u.name === user.name && u.password === user.password && u.domain === user.domain?.name);
        if (!match) return { ok: false, reason: "The username or password is wrong." };
        if (typeof projectId !== "string" || (match.projectIds && !match.projectIds.includes(projectId))) return { ok: false, reason: "The user has no access to the requested project." };
        const token = `emu-${randomBytes(24).toString("hex")}`;
        const expiresAt = this.now() + this.ttlMs;
        this.#tokens.set(token, { projectId, expiresAt });
        this.issuedCount++;
        return { ok: true, token, projectId, expiresAt };
    }

    /** Checks a token for a project. */
    verify(header: string | string[] | undefined, projectId: string): Verdict {
        const token = Array.isArray(header) ? header[0] : header;
        const issued = token ? this.#tokens.get(token) : undefined;
        if (!issued || issued.expiresAt <= this.now()) return "unauthorized";
        return issued.projectId === projectId ? "ok" : "forbidden";
    }

    /** Invalidates every token, as if all expired now (pre-issued ones too). */
    revokeAll(): void {
        this.#tokens.clear();
    }
}
