import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type InlineProgramArgs, LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";

/** The repository root (this file runs from dist/scripts). */
export const REPO_ROOT = path.resolve(__dirname, "../..");

/** Where `npm run setup:pulumi` puts the CLI it builds from Go modules. */
export const ENGINE_ROOT = path.join(REPO_ROOT, ".pulumi");

/** Directory of `pulumi-resource-pulumi-nodejs`, the dynamic provider plugin shipped inside @pulumi/pulumi. */
export const DYNAMIC_PLUGIN_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

/** A Pulumi CLI usable offline, and the PATH that makes its plugins resolvable. */
export interface Engine {
    /** The CLI the Automation API drives. */
    readonly command: PulumiCommand;
    /** PATH with `.pulumi/bin` (CLI, language hosts, dynamic provider launcher) first. */
    readonly path: string;
    /**
     * The Node.js language host (`pulumi-language-nodejs`) the CLI runs program
     * directories with: the one `npm run setup:pulumi` built, else one on PATH;
     * undefined when there is none (then only inline programs run).
     */
    readonly languageHost: string | undefined;
    /** The Pulumi YAML language host (`pulumi-language-yaml`), when `setup:pulumi` built one or PATH has one. */
    readonly yamlHost: string | undefined;
    /** The Go language host (`pulumi-language-go`), likewise. */
    readonly goHost: string | undefined;
}

/** The first executable `name` in the directories of `searchPath`. */
function onPath(name: string, searchPath: string): string | undefined {
    for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
        const candidate = path.join(dir, name);
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not in this directory
        }
    }
    return undefined;
}

/**
 * The CLI built into `.pulumi/bin` by `npm run setup:pulumi`, else a `pulumi` on
 * PATH; undefined when neither exists. A language host in `.pulumi/bin` comes
 * first on PATH, so the CLI runs program directories with it.
 */
export async function findEngine(): Promise<Engine | undefined> {
    const binDir = path.join(ENGINE_ROOT, "bin");
    const built = fs.existsSync(path.join(binDir, "pulumi"));
    // `setup:pulumi` installs the dynamic provider launcher beside a CLI it built, as a regular
    // installation ships it; only without one is the launcher taken from @pulumi/pulumi.
    const launcherBeside = fs.existsSync(path.join(binDir, "pulumi-resource-pulumi-nodejs"));
    const searchPath = [...(fs.existsSync(binDir) ? [binDir] : []), ...(launcherBeside ? [] : [DYNAMIC_PLUGIN_DIR]), process.env.PATH ?? ""].join(path.delimiter);
    try {
        const command = await PulumiCommand.get(built ? { root: ENGINE_ROOT, skipVersionCheck: true } : { skipVersionCheck: true });
        return {
            command,
            path: searchPath,
            languageHost: onPath("pulumi-language-nodejs", searchPath),
            yamlHost: onPath("pulumi-language-yaml", searchPath),
            goHost: onPath("pulumi-language-go", searchPath),
        };
    } catch {
        return undefined;
    }
}

/** Settings for an offline run: file backend in `stateDir`, no update check, no plugin downloads. */
export function offlineEnv(engine: Engine, stateDir: string, passphrase: string): Record<string, string> {
    return {
        PATH: engine.path,
        PULUMI_BACKEND_URL: `file://${stateDir}`,
        PULUMI_HOME: path.join(stateDir, ".pulumi-home"),
        PULUMI_CONFIG_PASSPHRASE: passphrase,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    };
}

/** What `localStack` needs: the program, where it lives and the environment it sees. */
export interface LocalStackArgs {
    readonly engine: Engine;
    readonly projectName: string;
    readonly stackName: string;
    /** The program, run by the Automation API's in-process Node.js language host. */
    readonly program: PulumiFn;
    /** Program directory: stack settings files go here; the provider host resolves `pulumi-drs` from it. */
    readonly workDir: string;
    /** Extra environment for the engine and the provider (credentials, endpoint). */
    readonly env: Record<string, string>;
    readonly passphrase?: string;
}

/** A new stack with its own file backend in a temp dir; `remove()` deletes that state. */
export async function localStack(args: LocalStackArgs): Promise<{ stack: Stack; stateDir: string; remove(): void }> {
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-drs-state-"));
    const inline: InlineProgramArgs = { projectName: args.projectName, stackName: args.stackName, program: args.program };
    const stack = await LocalWorkspace.createStack(inline, {
        workDir: args.workDir,
        pulumiCommand: args.engine.command,
        projectSettings: { name: args.projectName, runtime: "nodejs" },
        envVars: { ...offlineEnv(args.engine, stateDir, args.passphrase ?? "pulumi-drs-local"), ...args.env },
    });
    return { stack, stateDir, remove: () => fs.rmSync(stateDir, { recursive: true, force: true }) };
}

/**
 * A temporary directory laid out like a user's Pulumi program: its
 * node_modules/pulumi-drs links to this repository (as `npm link` does) and
 * node_modules/@pulumi and node_modules/typescript to ours, so the serialized
 * provider's `require("pulumi-drs/provider")` resolves as it does for users, to
 * the one installed copy. `files` are copied in.
 */
export function makeProgramDir(files: readonly string[] = []): { dir: string; remove(): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-drs-program-"));
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "pulumi-drs"), "dir");
    for (const dependency of ["@pulumi", "typescript"]) fs.symlinkSync(path.join(REPO_ROOT, "node_modules", dependency), path.join(dir, "node_modules", dependency), "dir");
    for (const file of files) fs.copyFileSync(file, path.join(dir, path.basename(file)));
    return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The version of a package installed in this repository's node_modules. */
export function installedVersion(name: string): string {
    return (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
}

/**
 * A program directory built from `examples/<example>` as a user lays one out:
 * its Pulumi.yaml and index.ts, a package.json that declares pulumi-drs,
 * @pulumi/pulumi and typescript, and those packages linked in by
 * {@link makeProgramDir} (pulumi-drs as a linked install of this repository).
 */
export function exampleProjectDir(example: string): { dir: string; remove(): void } {
    const source = path.join(REPO_ROOT, "examples", example);
    const project = makeProgramDir(["Pulumi.yaml", "index.ts"].map((file) => path.join(source, file)));
    const packageJson = {
        name: `drs-${example}`,
        private: true,
        main: "index.ts",
        dependencies: { "@pulumi/pulumi": installedVersion("@pulumi/pulumi"), "pulumi-drs": `file:${REPO_ROOT}`, typescript: installedVersion("typescript") },
    };
    fs.writeFileSync(path.join(project.dir, "package.json"), `${JSON.stringify(packageJson, null, 2)}\n`);
    return project;
}
