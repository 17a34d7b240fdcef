import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { REPO_ROOT } from "./programDir";

/** A Pulumi CLI usable offline, and the PATH that makes its plugins resolvable. */
export interface Engine {
    readonly command: PulumiCommand;
    /** PATH with the CLI, the Node.js language host and the dynamic provider plugin. */
    readonly path: string;
}

/** Where `npm run setup:pulumi` puts the CLI it builds from Go modules. */
export const ENGINE_ROOT = path.join(REPO_ROOT, ".pulumi");

/** Directory of `pulumi-resource-pulumi-nodejs`, shipped inside @pulumi/pulumi. */
export const DYNAMIC_PLUGIN_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

/**
 * The built CLI in `.pulumi/bin`, else a `pulumi` (with `pulumi-language-nodejs`
 * beside it) on PATH; undefined when neither exists.
 */
export async function findEngine(): Promise<Engine | undefined> {
    const searchPath = [path.join(ENGINE_ROOT, "bin"), DYNAMIC_PLUGIN_DIR, process.env.PATH ?? ""].join(path.delimiter);
    const built = fs.existsSync(path.join(ENGINE_ROOT, "bin", "pulumi")) && fs.existsSync(path.join(ENGINE_ROOT, "bin", "pulumi-language-nodejs"));
    try {
        const command = await PulumiCommand.get(built ? { root: ENGINE_ROOT, skipVersionCheck: true } : { skipVersionCheck: true });
        const onPath = process.env.PATH?.split(path.delimiter).some((dir) => fs.existsSync(path.join(dir, "pulumi-language-nodejs")));
        return built || onPath ? { command, path: searchPath } : undefined;
    } catch {
        return undefined;
    }
}

/** Settings for an offline run: file backend in `stateDir`, no update check, no plugin downloads. */
export function offlineEnv(engine: Engine, stateDir: string): Record<string, string> {
    return {
        PATH: engine.path,
        PULUMI_BACKEND_URL: `file://${stateDir}`,
        PULUMI_HOME: path.join(stateDir, ".pulumi-home"),
        PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    };
}

/** A fresh stack of `programDir` with its own file backend; `remove()` deletes everything. */
export async function freshStack(engine: Engine, programDir: string, env: Record<string, string>): Promise<{ stack: Stack; stateDir: string; remove(): void }> {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-drs-state-"));
    const stack = await LocalWorkspace.createStack(
        { stackName: "e2e", workDir: programDir },
        { pulumiCommand: engine.command, envVars: { ...offlineEnv(engine, stateDir), ...env } },
    );
    return { stack, stateDir, remove: () => fs.rmSync(stateDir, { recursive: true, force: true }) };
}
