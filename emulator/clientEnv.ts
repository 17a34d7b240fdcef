import type { Emulator } from "./server";
import { DEFAULT_USER } from "./server";

/**
 * The environment a user exports to point pulumi-drs at `emulator` with IAM
 * password auth (emulator-only credentials), plus `extra`.
 */
export function clientEnv(emulator: Emulator, extra: Record<string, string> = {}): Record<string, string> {
    return {
        DRS_ENDPOINT: emulator.url,
        OS_AUTH_URL: emulator.authUrl,
        OS_PROJECT_ID: emulator.projectId,
        OS_USERNAME: DEFAULT_USER.name,
        OS_PASSWORD: DEFAULT_USER.password,
        OS_DOMAIN_NAME: DEFAULT_USER.domain,
        ...extra,
    };
}
