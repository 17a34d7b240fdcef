import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import { type CliResult, CliStack, type CliStackOptions, runPulumi } from "../../scripts/cli";
import { setEmulatorConfig } from "./consumer";
import { type Engine, makeProgramDir, REPO_ROOT } from "../../scripts/engine";
import { pluginPlatform } from "../../scripts/buildPlugin";

/** Type token of the plugin door's resources in state. */
export const PLUGIN_TYPE = "drs:index:JobStart";

/** This repository's version: the plugin's. */
export const PLUGIN_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

/** The tarball `npm run build:plugin` wrote (`npm test` builds it first). */
export function pluginTarball(): string {
    const tarball = path.join(REPO_ROOT, "dist", "plugin", `pulumi-resource-drs-v${PLUGIN_VERSION}-${pluginPlatform()}.tar.gz`);
    if (!fs.existsSync(tarball)) throw new Error(`${tarball} is missing: run npm run build:plugin`);
    return tarball;
}

/** `pulumi plugin install resource drs <version> --file <tarball>` into the PULUMI_HOME of `target` (a stack's, or any env's), as the docs tell users. */
export function installPlugin(engine: Engine, target: Pick<CliStack, "dir" | "env">): Promise<CliResult> {
    return runPulumi(engine, ["plugin", "install", "resource", "drs", PLUGIN_VERSION, "--file", pluginTarball()], target.dir, target.env);
}

/** A `dev` stack of the program in `dir` with the plugin installed and pointed at `emu` through the `drs:*` stack config. */
export async function pluginStack(engine: Engine, dir: string, emu: Emulator, options: CliStackOptions = {}): Promise<CliStack> {
    const stack = await CliStack.init(engine, dir, "dev", options);
    try {
        await installPlugin(engine, stack);
        await setEmulatorConfig(stack, emu);
    } catch (error) {
        stack.remove();
        throw error;
    }
    return stack;
}

/** A temp program directory holding `files` (name → content), e.g. a Pulumi.yaml. */
export function programDir(files: Readonly<Record<string, string>>): { dir: string; remove(): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drs-plugin-program-"));
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
    return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A Pulumi YAML program with one `drs:index:JobStart` per job id (resource names `job0`, `job1`, ...), fast waits. */
export function yamlProgram(jobIds: readonly string[], extra: Readonly<Record<string, string | number | boolean>> = { pollIntervalSeconds: 0.05, timeoutSeconds: 60 }): string {
    const props = Object.entries(extra).map(([key, value]) => `      ${key}: ${JSON.stringify(value)}`);
    const resources = jobIds.flatMap((id, i) => [`  job${i}:`, `    type: ${PLUGIN_TYPE}`, "    properties:", `      jobId: ${id}`, ...props]);
    const outputs = jobIds.flatMap((_, i) => [`  status${i}: \${job${i}.status}`]);
    return ["name: drs-yaml-test", "runtime: yaml", `resources:${resources.length ? "" : " {}"}`, ...resources, `outputs:${outputs.length ? "" : " {}"}`, ...outputs, ""].join("\n");
}

/**
 * The same one-job program on the dynamic door: a TypeScript project `name`
 * (pulumi-drs linked in by {@link makeProgramDir}) declaring `DrsJobStart`
 * "orders" for `jobId` (plus `extra` arguments) and exporting its status.
 */
export function dynamicProgramDir(name: string, jobId: string, pollIntervalSeconds: number, extra: Readonly<Record<string, string | number>> = {}): { dir: string; remove(): void } {
    const program = makeProgramDir();
    fs.writeFileSync(path.join(program.dir, "Pulumi.yaml"), `name: ${name}\nmain: index.ts\nruntime: nodejs\n`);
    const args = JSON.stringify({ jobId, pollIntervalSeconds, ...extra });
    fs.writeFileSync(path.join(program.dir, "index.ts"), `import { DrsJobStart } from "pulumi-drs";\nexport const status = new DrsJobStart("orders", ${args}).status;\n`);
    return program;
}

/** Resources of one type in a `pulumi stack export` of `stack`. */
export async function exportedResources(stack: CliStack, type: string): Promise<{ id?: string; urn: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[]> {
    const exported = JSON.parse((await stack.run(["stack", "export"])).stdout) as { deployment: { resources?: { type: string; id?: string; urn: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }[] } };
    return (exported.deployment.resources ?? []).filter((r) => r.type === type);
}
