/**
 * The Pulumi CLI run on a program directory, as users type it: `pulumi up` in a
 * directory that holds Pulumi.yaml, the program evaluated by the Node.js
 * language host (`pulumi-language-nodejs`). Each {@link CliStack} has its own
 * offline file backend in a temp dir.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Engine, offlineEnv } from "./engine";

/** What one CLI run printed and how it ended. */
export interface CliResult {
    /** Exit code; null when a signal ended the CLI. */
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** How to run one CLI command. */
export interface CliRunOptions {
    /** Resolve with the result instead of rejecting when the CLI exits non-zero. */
    readonly allowFailure?: boolean;
    /** Copy the CLI's output to this process's stdout and stderr as it comes. */
    readonly echo?: boolean;
    /** Told the CLI's process id once it is spawned (e.g. to watch the processes it starts). */
    readonly onSpawn?: (pid: number) => void;
}

/** The CLI's output quoted in an error message. */
function describe(args: readonly string[], result: CliResult): string {
    return `pulumi ${args.join(" ")} exited with ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`;
}

/** Runs `pulumi <args>` in `cwd` with `env` on top of this process's environment. */
export function runPulumi(engine: Engine, args: readonly string[], cwd: string, env: Record<string, string>, options: CliRunOptions = {}): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(engine.command.command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
        if (child.pid !== undefined) options.onSpawn?.(child.pid);
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => {
            out.push(chunk);
            if (options.echo) process.stdout.write(chunk);
        });
        child.stderr.on("data", (chunk: Buffer) => {
            err.push(chunk);
            if (options.echo) process.stderr.write(chunk);
        });
        child.on("error", reject);
        child.on("close", (code) => {
            const result = { code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
            if (code !== 0 && !options.allowFailure) reject(new Error(options.echo ? `pulumi ${args.join(" ")} exited with ${code}` : describe(args, result)));
            else resolve(result);
        });
    });
}

/** Commands that read the stack settings file, and so take `--config-file`. */
const SETTINGS_COMMANDS = new Set(["up", "preview", "refresh", "destroy", "config"]);

/** How {@link CliStack.init} sets up a stack. */
export interface CliStackOptions {
    /** Environment on top of the offline settings (endpoint, credentials, ...). */
    readonly env?: Record<string, string>;
    /**
     * Keep the stack settings file (`Pulumi.<stack>.yaml`, which `stack init`
     * and `config set` write) in the temp state dir instead of the program
     * directory, so a directory of this repository (examples/*) runs where it
     * lives without being written to. A settings file the directory holds for
     * the stack is copied there first.
     */
    readonly settingsOutside?: boolean;
    /** The command that creates the stack instead of `stack init <name>`, such as `new <template> --stack <name> ...`. */
    readonly create?: readonly string[];
}

/** A stack of a program directory, driven through the CLI against its own temp file backend. */
export class CliStack {
    /** The file backend directory (PULUMI_BACKEND_URL). */
    readonly stateDir: string;
    /** Environment of every CLI run: offline settings plus the extra variables. */
    readonly env: Record<string, string>;
    /** The stack settings file. */
    readonly settingsFile: string;

    private constructor(
        private readonly engine: Engine,
        /** The program directory (holds Pulumi.yaml). */
        readonly dir: string,
        /** The stack name. */
        readonly name: string,
        private readonly settingsDir: string | undefined,
        stateDir: string,
        options: CliStackOptions,
    ) {
        this.stateDir = stateDir;
        this.env = { ...offlineEnv(engine, stateDir, "pulumi-drs-local"), ...options.env };
        this.settingsFile = path.join(settingsDir ?? dir, `Pulumi.${name}.yaml`);
    }

    /** `pulumi stack init <name>` (or `options.create`) for the program in `dir`, against a new temp file backend. */
    static async init(engine: Engine, dir: string, name: string, options: CliStackOptions = {}): Promise<CliStack> {
        const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-drs-state-"));
        let settingsDir: string | undefined;
        if (options.settingsOutside) {
            // `stack init` has no --config-file: it runs beside a copy of Pulumi.yaml instead.
            settingsDir = path.join(stateDir, "settings");
            fs.mkdirSync(settingsDir);
            for (const file of ["Pulumi.yaml", `Pulumi.${name}.yaml`]) if (fs.existsSync(path.join(dir, file))) fs.copyFileSync(path.join(dir, file), path.join(settingsDir, file));
        }
        const stack = new CliStack(engine, dir, name, settingsDir, stateDir, options);
        try {
            await runPulumi(engine, [...(options.create ?? ["stack", "init", name]), "--non-interactive"], settingsDir ?? dir, stack.env);
        } catch (error) {
            stack.remove();
            throw error;
        }
        return stack;
    }

    /** `pulumi <args> --stack <name> --non-interactive` in the program directory. */
    run(args: readonly string[], options: CliRunOptions = {}): Promise<CliResult> {
        const settings = this.settingsDir && SETTINGS_COMMANDS.has(args[0]) ? ["--config-file", this.settingsFile] : [];
        return runPulumi(this.engine, [...args, ...settings, "--stack", this.name, "--non-interactive"], this.dir, this.env, options);
    }

    /** `pulumi config set [--secret] <key> <value>`. */
    async setConfig(key: string, value: string, secret = false): Promise<void> {
        await this.run(["config", "set", ...(secret ? ["--secret"] : []), key, value]);
    }

    /** `pulumi config set-all --plaintext <key>=<value> ...`: plaintext values in one run. */
    async setConfigs(values: Record<string, string>): Promise<void> {
        await this.run(["config", "set-all", ...Object.entries(values).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`])]);
    }

    /** The stack outputs (`pulumi stack output --json --show-secrets`). */
    async outputs(): Promise<Record<string, unknown>> {
        return JSON.parse((await this.run(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<string, unknown>;
    }

    /** The stack's checkpoint file as the file backend stores it on disk. */
    storedState(): string {
        const stacks = path.join(this.stateDir, ".pulumi", "stacks");
        const files = fs.readdirSync(stacks, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(`${this.name}.json`));
        if (files.length !== 1) throw new Error(`one checkpoint of ${this.name} expected in ${stacks}: ${files.join(", ")}`);
        return fs.readFileSync(path.join(stacks, files[0]), "utf8");
    }

    /** Deletes the file backend (the program directory is the caller's). */
    remove(): void {
        fs.rmSync(this.stateDir, { recursive: true, force: true });
    }
}
