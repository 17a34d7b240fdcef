import { Environment } from "./settings";

/** What a door hands over from the engine's Configure call: stack config values by full key (`drs:region`). */
export interface ConfigureRequest {
    readonly config: { get(key: string): string | undefined };
}

/** Stack config keys (namespace `drs`) and the environment variables they stand for. */
export const CONFIG_KEYS: Readonly<Record<string, string>> = {
    "drs:region": "OS_REGION_NAME",
    "drs:projectId": "OS_PROJECT_ID",
    "drs:endpoint": "DRS_ENDPOINT",
    "drs:authUrl": "OS_AUTH_URL",
    "drs:token": "OS_TOKEN",
    "drs:username": "OS_USERNAME",
    "drs:password": "OS_PASSWORD",
    "drs:domainName": "OS_DOMAIN_NAME",
    "drs:accessKey": "OS_ACCESS_KEY",
    "drs:secretKey": "OS_SECRET_KEY",
    "drs:securityToken": "OS_SECURITY_TOKEN",
    "drs:cloud": "DRS_CLOUD",
};

/**
 * The `drs:*` stack config of this provider process, set by the engine's
 * Configure call (secrets arrive decrypted). Module state: the serialized
 * provider never holds it, and every resource of the deployment shares it.
 */
let fromStackConfig: Environment = {};

/** Records the `drs:*` values of the stack config (from either door's Configure call). */
export function applyStackConfig(req: ConfigureRequest): void {
    const values: Record<string, string> = {};
    for (const [key, variable] of Object.entries(CONFIG_KEYS)) {
        const value = req.config.get(key);
        if (value !== undefined && value !== "") values[variable] = value;
    }
    fromStackConfig = values;
}

/**
 * The settings a call sees: `drs:*` stack config over the process environment,
 * read when a setting is read. A view, not a copy (copying `process.env` costs
 * a native call per variable, several times per resource); spreading it still
 * yields every setting.
 */
export function effectiveEnvironment(env: Environment = process.env): Environment {
    const config = fromStackConfig;
    const read = (name: string) => (Object.hasOwn(config, name) ? config[name] : env[name]);
    const names = () => [...new Set([...Object.keys(env), ...Object.keys(config)])];
    return new Proxy(
        {},
        {
            get: (_, name) => (typeof name === "string" ? read(name) : undefined),
            has: (_, name) => typeof name === "string" && read(name) !== undefined,
            ownKeys: () => names().filter((name) => read(name) !== undefined),
            getOwnPropertyDescriptor: (_, name) => {
                const value = typeof name === "string" ? read(name) : undefined;
                return value === undefined ? undefined : { value, enumerable: true, configurable: true, writable: false };
            },
        },
    );
}
