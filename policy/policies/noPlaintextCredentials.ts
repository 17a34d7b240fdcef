import type { ResourceValidationPolicy } from "@pulumi/policy";
import { validateDrsJobStart } from "./drsResource";

/** Property names that look like a credential: tokens, passwords, secret keys, AK/SK. */
export const CREDENTIAL_KEY = /(token|passw(or)?d|secret|credential|access[-_]?key|\bsk\b|\bak\b|private[-_]?key)/i;

/** Paths (a.b[0].c) of credential-looking properties holding a non-empty value. */
export function credentialPaths(value: unknown, path = ""): string[] {
    if (Array.isArray(value)) return value.flatMap((item, i) => credentialPaths(item, `${path}[${i}]`));
    if (value === null || typeof value !== "object") return [];
    const found: string[] = [];
    for (const [key, child] of Object.entries(value)) {
        const here = path ? `${path}.${key}` : key;
        if (CREDENTIAL_KEY.test(key) && child !== undefined && child !== null && child !== "") found.push(here);
        else found.push(...credentialPaths(child, here));
    }
    return found;
}

/** What is wrong with a DrsJobStart's inputs (empty when no credential-looking input is present). */
export function plaintextCredentialViolations(props: Record<string, unknown>): string[] {
    return credentialPaths(props).map(
        (path) =>
            `Input "${path}" looks like a credential. DrsJobStart never takes credentials as inputs (they would be stored in the stack state): ` +
            "set them with `pulumi config set --secret drs:password` (or drs:token / drs:secretKey), or the OS_* environment variables.",
    );
}

/**
 * `no-plaintext-credentials`: no credential-looking input on a DrsJobStart.
 * Policy validations see secrets already unwrapped (@pulumi/policy), so a
 * credential input is rejected whether or not it is a secret: the provider
 * reads credentials only from the `drs:*` stack config and the environment.
 */
export const noPlaintextCredentials: ResourceValidationPolicy = {
    name: "no-plaintext-credentials",
    description: "No token, password or secret key as a DrsJobStart input; credentials belong in secret stack config.",
    enforcementLevel: "mandatory",
    validateResource: validateDrsJobStart((props) => plaintextCredentialViolations(props as Record<string, unknown>)),
};
