/** Environment variables as the provider reads them, at call time. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** What a door hands over from the engine's Configure call: stack config values by full key (`drs:region`). */
export interface ConfigureRequest {
    readonly config: { get(key: string): string | undefined };
}

/** One `drs:*` stack config key: the variable it stands for, what it sets, and whether it is a secret. */
export interface ConfigSetting {
    readonly variable: string;
    readonly description: string;
    readonly secret?: boolean;
}

/** Stack config keys (namespace `drs`, also the plugin's provider config) and the environment variables they stand for. */
export const CONFIG_SETTINGS: Readonly<Record<string, ConfigSetting>> = {
    region: { variable: "OS_REGION_NAME", description: "Default region of every job, e.g. `eu-de`." },
    projectId: { variable: "OS_PROJECT_ID", description: "Default project id (32 hex characters); tokens are scoped to it." },
    endpoint: { variable: "DRS_ENDPOINT", description: "Default DRS base URL." },
    cloud: { variable: "DRS_CLOUD", description: "`otc` (default) or `huaweicloud`: which cloud's endpoint templates apply." },
    authUrl: { variable: "OS_AUTH_URL", description: "IAM endpoint (with or without `/v3`); default: the region's IAM endpoint." },
    token: { variable: "OS_TOKEN", description: "A pre-issued IAM token (cannot be renewed).", secret: true },
    username: { variable: "OS_USERNAME", description: "IAM user name for password authentication." },
    password: { variable: "OS_PASSWORD", description: "IAM password.", secret: true },
    domainName: { variable: "OS_DOMAIN_NAME", description: "IAM domain (account) name for password authentication." },
    accessKey: { variable: "OS_ACCESS_KEY", description: "Access key: every request is signed with SDK-HMAC-SHA256 (no IAM call)." },
    secretKey: { variable: "OS_SECRET_KEY", description: "Secret key of the access key.", secret: true },
    securityToken: { variable: "OS_SECURITY_TOKEN", description: "Security token of a temporary access key.", secret: true },
    progressSeconds: { variable: "DRS_PROGRESS_SECONDS", description: "Seconds between progress lines while a job stays in one phase (default 30)." },
    startGraceSeconds: { variable: "DRS_START_GRACE_SECONDS", description: "Seconds after its `startTime` a job may still be `WAITING_FOR_START` before a refresh calls it drift (default 900)." },
    recoveryGraceSeconds: { variable: "DRS_RECOVERY_GRACE_SECONDS", description: "Seconds DRS's own maintenance of a running job (`REBUILD_NODE_STARTED`, `NODE_UPGRADE_START`, `CHANGE_JOB_STARTED`) may last before a refresh calls it drift (default 3600)." },
};

/** Full stack config keys (`drs:region`) and the environment variables they stand for. */
export const CONFIG_KEYS: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(CONFIG_SETTINGS).map(([key, setting]) => [`drs:${key}`, setting.variable]));

/**
 * The `drs:*` stack config of this provider process, set by the engine's
 * Configure call (secrets arrive decrypted). Module state: the serialized
 * provider never holds it, and every resource of the deployment shares it.
 */
let fromStackConfig: Environment = {};
/** The environment's credential variables {@link fromStackConfig} hides (see {@link CREDENTIAL_KINDS}). */
let hiddenCredentials: ReadonlySet<string> = new Set();

/** Records the `drs:*` values of the stack config (from either door's Configure call). */
export function applyStackConfig(req: ConfigureRequest): void {
    const values: Record<string, string> = {};
    for (const [key, variable] of Object.entries(CONFIG_KEYS)) {
        const value = req.config.get(key);
        if (value !== undefined && value !== "") values[variable] = value;
    }
    fromStackConfig = values;
    hiddenCredentials = hiddenByStackConfig(values);
}

/**
 * The credential kinds, in the order a source is read: a token, access keys,
 * IAM user and password. Stack config names the kind as a whole: when it holds
 * any variable of a kind, the environment's variables of the other kinds are
 * not read (an `OS_ACCESS_KEY` pair in the environment does not override the
 * `drs:username`/`drs:password` of the stack), while the missing parts of the
 * kind it names may still come from the environment.
 */
const CREDENTIAL_KINDS: readonly (readonly string[])[] = [["OS_TOKEN"], ["OS_ACCESS_KEY", "OS_SECRET_KEY", "OS_SECURITY_TOKEN"], ["OS_USERNAME", "OS_PASSWORD", "OS_DOMAIN_NAME"]];

/** The environment's credential variables a stack config hides (see {@link CREDENTIAL_KINDS}). */
function hiddenByStackConfig(config: Environment): ReadonlySet<string> {
    const named = CREDENTIAL_KINDS.find((kind) => kind.some((name) => Object.hasOwn(config, name)));
    return new Set(named ? CREDENTIAL_KINDS.filter((kind) => kind !== named).flat() : []);
}

/** Where a setting is read from now, named for messages: `drs:password stack config` or `OS_PASSWORD`. Never a value. */
export function settingSource(variable: string): string {
    const key = Object.entries(CONFIG_KEYS).find(([, v]) => v === variable)?.[0];
    return key && Object.hasOwn(fromStackConfig, variable) ? `${key} stack config` : variable;
}

/**
 * The settings a call sees: `drs:*` stack config over the process environment,
 * read when a setting is read (credentials by kind: {@link CREDENTIAL_KINDS}).
 * A view, not a copy (copying `process.env` costs a native call per variable,
 * several times per resource); spreading it still yields every setting.
 */
export function effectiveEnvironment(env: Environment = process.env): Environment {
    const config = fromStackConfig;
    const hidden = hiddenCredentials;
    const read = (name: string) => (Object.hasOwn(config, name) ? config[name] : hidden.has(name) ? undefined : env[name]);
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
