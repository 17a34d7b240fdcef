import { DEFAULT_USER, Emulator } from "../../emulator";
import { Environment } from "../../provider/settings";

/** Password-auth environment pointing at an emulator (what a user exports for the demo). */
export function emulatorEnv(emulator: Emulator, extra: Environment = {}): Environment {
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

/** A job id in DRS shape, unique per number. */
export function jobId(n: number): string {
    const hex = n.toString(16).padStart(8, "0");
    return `${hex}-88ad-43c8-811c-${n.toString(16).padStart(7, "0")}jb101`;
}
