import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { DEFAULT_USER, type Emulator } from "../../emulator";
import type { CliStack } from "../../scripts/cli";
import { installedVersion, REPO_ROOT } from "../../scripts/engine";

const run = promisify(execFile);

/**
 * This process's environment for a nested npm, without the `npm_*` variables
 * `npm test` sets for its own script (they would point the nested npm at this
 * repository's package). Registry, cache and user config settings stay.
 */
export function npmEnv(): NodeJS.ProcessEnv {
    const keep = new Set(["npm_config_registry", "npm_config_cache", "npm_config_userconfig"]);
    return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith("npm_") || keep.has(key.toLowerCase())));
}

/** Runs `npm <args>` in `cwd`; rejects with npm's output when it fails. Returns stdout and stderr. */
export async function npm(args: readonly string[], cwd: string): Promise<string> {
    try {
        const { stdout, stderr } = await run("npm", [...args], { cwd, env: npmEnv(), maxBuffer: 64 * 1024 * 1024 });
        return `${stdout}${stderr}`;
    } catch (error) {
        const e = error as Error & { stdout?: string; stderr?: string };
        throw new Error(`npm ${args.join(" ")} failed in ${cwd}: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
}

/** The tarball of this test process, packed once. */
let packed: Promise<string> | undefined;

/**
 * The tarball `npm pack` makes of this repository (which runs the `prepare`
 * build), packed once per test process into a temp dir removed at exit.
 */
export function packedTarball(): Promise<string> {
    packed ??= (async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-drs-pack-"));
        process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
        const out = await npm(["pack", "--pack-destination", dir, "--silent"], REPO_ROOT);
        const tarball = path.join(dir, out.trim().split("\n").pop() ?? "");
        if (!fs.existsSync(tarball)) throw new Error(`npm pack named no tarball in ${dir}: ${out}`);
        return tarball;
    })();
    return packed;
}

/**
 * A project outside this repository laid out as the README tells users: a new
 * directory with examples/basic's Pulumi.yaml and index.ts, `npm init -y`, the
 * entry point set to index.ts, and `npm install <pulumiDrs> @pulumi/pulumi typescript`
 * (the versions this repository uses). `--prefer-offline` takes every package
 * from npm's cache when it is there (`npm ci` put them there), so the registry
 * is asked only about what the cache lacks.
 */
export async function consumerProject(pulumiDrs: string): Promise<{ dir: string; installLog: string; remove(): void }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drs-consumer-"));
    for (const file of ["Pulumi.yaml", "index.ts"]) fs.copyFileSync(path.join(REPO_ROOT, "examples", "basic", file), path.join(dir, file));
    let installLog = await npm(["init", "-y"], dir);
    installLog += await npm(["pkg", "set", "main=index.ts"], dir);
    const packages = [pulumiDrs, `@pulumi/pulumi@${installedVersion("@pulumi/pulumi")}`, `typescript@${installedVersion("typescript")}`];
    installLog += await npm(["install", "--prefer-offline", "--no-audit", "--no-fund", ...packages], dir);
    return { dir, installLog, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The `drs:*` stack config that points a program at `emu` as a user's points
 * it at their cloud; the password goes in separately, as a secret.
 */
export function emulatorConfig(emu: Emulator): Record<string, string> {
    return { "drs:endpoint": emu.url, "drs:authUrl": emu.authUrl, "drs:projectId": emu.projectId, "drs:username": DEFAULT_USER.name, "drs:domainName": DEFAULT_USER.domain };
}

/** Points `stack` at `emu` as the README tells users: {@link emulatorConfig} plus `config set --secret drs:password`. */
export async function setEmulatorConfig(stack: CliStack, emu: Emulator): Promise<void> {
    await stack.setConfig("drs:password", DEFAULT_USER.password, true);
    await stack.setConfigs(emulatorConfig(emu));
}
