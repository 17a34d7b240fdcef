import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_KEYS } from "../../provider/stackConfig";

/**
 * Where the doctor read settings: the `drs:*` stack config of a stack (read
 * through the Pulumi CLI, secrets decrypted, held in memory only) over the
 * `OS_*` environment, as the provider sees them under `pulumi up`; or the
 * environment only, and why.
 */
export type StackSettings =
    | { readonly kind: "stack"; readonly project: string; readonly stack: string; readonly values: Readonly<Record<string, string>> }
    | { readonly kind: "environment"; readonly reason: string; readonly warning?: boolean }
    | { readonly kind: "error"; readonly message: string; readonly fix: string };

/** The directory holding `Pulumi.yaml` (or `.yml`), searched from `cwd` upwards as the Pulumi CLI does. */
export function findProjectDir(cwd: string): string | undefined {
    for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
        if (["Pulumi.yaml", "Pulumi.yml"].some((file) => fs.existsSync(path.join(dir, file)))) return dir;
        if (path.dirname(dir) === dir) return undefined;
    }
}

/** How long one Pulumi CLI call may take (it may decrypt secrets through a cloud KMS). */
const CLI_TIMEOUT_MS = 60_000;

/** Runs `pulumi <args>` in `cwd`; stdout, or the CLI's complaint (stderr's last non-empty lines, never stdout: it may hold secrets). */
function pulumi(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ ok: true; stdout: string } | { ok: false; missing: boolean; message: string }> {
    return new Promise((resolve) => {
        execFile("pulumi", [...args, "--non-interactive"], { cwd, env, timeout: CLI_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (!error) return resolve({ ok: true, stdout });
            const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
            const said = stderr
                .split("\n")
                .map((l) => l.trim())
                .filter(Boolean)
                .slice(-2)
                .join(" ");
            resolve({ ok: false, missing, message: said || error.message });
        });
    });
}

/**
 * The settings source for a doctor run in `cwd`: with a Pulumi project there
 * (or above) and the `pulumi` CLI on PATH, the `drs:*` keys of `stack` (else
 * the selected stack) from `pulumi config --json --show-secrets`; without a
 * project, the environment only. `stack` given without a project is an error.
 */
export async function readStackSettings(cwd: string, stack: string | undefined, env: NodeJS.ProcessEnv): Promise<StackSettings> {
    const project = findProjectDir(cwd);
    if (!project) {
        if (stack !== undefined) return { kind: "error", message: `--stack ${stack} given, but no Pulumi.yaml in ${cwd} or above`, fix: "run the doctor in the program's directory, or leave out --stack to check the OS_* environment only." };
        return { kind: "environment", reason: `no Pulumi project in ${cwd} or above: OS_* / DRS_* environment only` };
    }
    const noCli: StackSettings = { kind: "environment", reason: `Pulumi project ${project}, but no pulumi CLI on PATH: its stack config is not read, OS_* / DRS_* environment only`, warning: true };
    let stackName = stack;
    if (stackName === undefined) {
        const shown = await pulumi(["stack", "--show-name"], project, env);
        if (!shown.ok) {
            if (shown.missing) return noCli;
            return { kind: "error", message: `no stack selected in ${project} (${shown.message})`, fix: "pass --stack <name> or run `pulumi stack select <name>` first." };
        }
        stackName = shown.stdout.trim();
    }
    const config = await pulumi(["config", "--json", "--show-secrets", "--stack", stackName], project, env);
    if (!config.ok) {
        if (config.missing) return noCli;
        return {
            kind: "error",
            message: `pulumi config of stack ${stackName} failed: ${config.message}`,
            fix: "run the doctor where `pulumi up` runs, with the same PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE (or _FILE), and the stack name in --stack.",
        };
    }
    let parsed: Record<string, { value?: unknown }>;
    try {
        parsed = JSON.parse(config.stdout) as Record<string, { value?: unknown }>;
    } catch {
        return { kind: "error", message: `pulumi config --json of stack ${stackName} did not print JSON`, fix: "check the Pulumi CLI version (`pulumi version`); 3.x prints JSON." };
    }
    const values: Record<string, string> = {};
    for (const key of Object.keys(CONFIG_KEYS)) {
        const value = parsed[key]?.value;
        if (typeof value === "string" && value !== "") values[key] = value;
    }
    return { kind: "stack", project, stack: stackName, values };
}
