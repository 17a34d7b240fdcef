/**
 * One real `pulumi up` of N jobs through the CLI, as users run it, on either
 * door: the dynamic door (a consumer project on the `npm pack` tarball, N
 * `DrsJobStart` resources) or the `drs` resource plugin (installed from its
 * tarball, N `drs:index:JobStart` in a Pulumi YAML program). Measures the
 * wall time split into program start, DRS work and engine tail, DRS calls by
 * kind, state bytes per resource and the provider process's peak RSS.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type EmulatedOperation, type Emulator, startEmulator } from "../emulator";
import { CliStack } from "../scripts/cli";
import type { Engine } from "../scripts/engine";
import { consumerProject, packedTarball, setEmulatorConfig } from "../tests/support/consumer";
import { pluginStack, programDir, yamlProgram } from "../tests/support/pluginProject";
import { jobId } from "../tests/support/env";
import { sampleProviderRss } from "./providerRss";

/** Which door a case drives. */
export type Door = "dynamic" | "plugin";

/** The DRS calls (IAM token calls are counted apart). */
export const DRS_OPERATIONS = ["list-jobs", "batch-starting", "batch-status", "batch-progress"] as const;

/** One DRS call kind. */
export type DrsOperation = (typeof DRS_OPERATIONS)[number];

/** Seconds between status polls of every job in the CLI cases. */
export const CLI_POLL_SECONDS = 1;

/** What one CLI case measured. */
export interface CliCaseResult {
    readonly door: Door;
    readonly n: number;
    /** Resources the CLI reported created (the stack itself included). */
    readonly created: number;
    /** `pulumi up` from spawn to exit. */
    readonly wallMs: number;
    /** Spawn to the first DRS call: CLI, language host, program, provider start, first window. */
    readonly programStartMs: number;
    /** First to last DRS call. */
    readonly drsWorkMs: number;
    /** Last DRS call to the CLI's exit: the engine finishing the resources and writing state. */
    readonly tailMs: number;
    readonly calls: Readonly<Record<DrsOperation, number>>;
    readonly iamCalls: number;
    /** At most one status call per poll interval from the first start to the last status call (plus the first look). */
    readonly statusLimit: number;
    /** The checkpoint file's bytes divided by N. */
    readonly checkpointBytesPerResource: number;
    /** Mean bytes of one resource's entry of this door's type, as the checkpoint stores it (indented JSON). */
    readonly resourceBytes: number;
    /** Of {@link resourceBytes}: the `__provider` strings (inputs and outputs), 0 on the plugin door. */
    readonly providerShimBytes: number;
    /** Of {@link resourceBytes}: where the program declared it (`sourcePosition`, `stackTrace`), as the language host reports it. */
    readonly programTraceBytes: number;
    /** Peak RSS of the provider process (the dynamic provider host, or the plugin). */
    readonly providerPeakRssMb: number;
    /** Jobs per tenant listing, in call order. */
    readonly lookupSizes: readonly number[];
    /** Jobs per `batch-starting`, in call order. */
    readonly startSizes: readonly number[];
}

/** Jobs named by one DRS call: the comma-separated ids of a listing, the `jobs` of a start. */
function jobsIn(body: unknown): number {
    const b = (body ?? {}) as { name?: unknown; jobs?: unknown };
    if (Array.isArray(b.jobs)) return b.jobs.length;
    return typeof b.name === "string" && b.name !== "" ? b.name.split(",").length : 0;
}

/** Jobs that replicate 2-4 s after their start (200 ms starting, 1.6-3.6 s full transfer, 200 ms complete). */
const TIMINGS = { startingMs: 200, fullTransferMs: 2000, fullCompleteMs: 200 };

/** Seeds `n` jobs from number `base` whose full transfer is spread over 1.6-3.6 s, or that already replicate. */
function seedJobs(emu: Emulator, n: number, base: number, replicating = false): string[] {
    const ids = Array.from({ length: n }, (_, i) => jobId(base + i));
    for (const [i, id] of ids.entries()) emu.jobs.seed({ id, dbUseType: "migration", fullTransferMs: 1600 + ((i * 7919) % 2000), ...(replicating ? { status: "INCRE_TRANSFER_STARTED" } : {}) });
    return ids;
}

/** Variations of a CLI case beyond door and size. */
export interface CliCaseOptions {
    /** Environment of every CLI run (e.g. `PULUMI_EXPERIMENTAL`, `PULUMI_SKIP_CHECKPOINTS`). */
    readonly env?: Record<string, string>;
    /** Every job already replicates: the up adopts them all, no start and no wait. */
    readonly replicating?: boolean;
}

/** The consumer program of the dynamic door: one DrsJobStart per id of the `jobIds` config, each job's status exported. */
const DYNAMIC_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { DrsJobStart } from "pulumi-drs";

const config = new pulumi.Config();
const pollIntervalSeconds = config.requireNumber("pollIntervalSeconds");
export const statuses = Object.fromEntries(
    config.requireObject<string[]>("jobIds").map((jobId, i) => [\`job\${i}\`, new DrsJobStart(\`job\${i}\`, { jobId, pollIntervalSeconds, timeoutSeconds: 600 }).status]),
);
`;

/** A consumer project on this repository's `npm pack` tarball running {@link DYNAMIC_PROGRAM}; made once per bench run. */
export async function dynamicConsumer(): Promise<{ dir: string; remove(): void }> {
    const project = await consumerProject(await packedTarball());
    fs.writeFileSync(path.join(project.dir, "Pulumi.yaml"), "name: drs-bench\nmain: index.ts\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
    fs.writeFileSync(path.join(project.dir, "index.ts"), DYNAMIC_PROGRAM);
    return project;
}

/** The type token of each door's resources in state. */
const TYPES: Record<Door, string> = { dynamic: "pulumi-nodejs:dynamic/drs:DrsJobStart", plugin: "drs:index:JobStart" };

/** The provider process of each door, by command line. */
const PROVIDER_PROCESS: Record<Door, RegExp> = { dynamic: /dynamic-provider/, plugin: /pulumi-resource-drs|plugin\.js/ };

/** A stack of `door`'s program for `ids`, pointed at `emu`. */
async function stackFor(engine: Engine, door: Door, ids: readonly string[], emu: Emulator, consumerDir: string, env: Record<string, string> = {}): Promise<{ stack: CliStack; remove(): void }> {
    if (door === "plugin") {
        const program = programDir({ "Pulumi.yaml": yamlProgram(ids, { pollIntervalSeconds: CLI_POLL_SECONDS, timeoutSeconds: 600 }) });
        const stack = await pluginStack(engine, program.dir, emu, { env });
        return {
            stack,
            remove: () => {
                stack.remove();
                program.remove();
            },
        };
    }
    const stack = await CliStack.init(engine, consumerDir, `n${ids.length}`, { env });
    await setEmulatorConfig(stack, emu);
    await stack.setConfigs({ pollIntervalSeconds: String(CLI_POLL_SECONDS), jobIds: JSON.stringify(ids) });
    return {
        stack,
        remove: () => {
            stack.remove();
            fs.rmSync(stack.settingsFile, { force: true });
        },
    };
}

/** One resource of a checkpoint, as far as the sizes look at it. */
interface StoredResource {
    readonly type: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly sourcePosition?: unknown;
    readonly stackTrace?: unknown;
}

/** State bytes of `door`'s resources in a checkpoint: mean entry size (indented as stored), and of it the `__provider` strings and the program's source positions. */
function stateSizes(checkpoint: string, door: Door): { resourceBytes: number; providerShimBytes: number; programTraceBytes: number } {
    const parsed = JSON.parse(checkpoint) as { checkpoint: { latest: { resources?: StoredResource[] } } };
    const resources = (parsed.checkpoint.latest.resources ?? []).filter((r) => r.type === TYPES[door]);
    const mean = (f: (r: (typeof resources)[number]) => number) => resources.reduce((sum, r) => sum + f(r), 0) / Math.max(1, resources.length);
    const shim = (props?: Record<string, unknown>) => (typeof props?.__provider === "string" ? JSON.stringify(props.__provider).length : 0);
    const indented = (r: StoredResource) => JSON.stringify(r, null, 4).length;
    return {
        resourceBytes: mean(indented),
        providerShimBytes: mean((r) => shim(r.inputs) + shim(r.outputs)),
        programTraceBytes: mean((r) => indented(r) - indented({ ...r, sourcePosition: undefined, stackTrace: undefined })),
    };
}

/**
 * Runs `pulumi up --yes --skip-preview --parallel <n + 8>` of `n` jobs on
 * `door` against a fresh emulator (job numbers from `base`) and measures it.
 * `consumerDir` is the dynamic door's project ({@link dynamicConsumer}); the
 * plugin door needs the plugin tarball (`npm run build:plugin`).
 */
export async function cliCase(engine: Engine, door: Door, n: number, base: number, consumerDir: string, options: CliCaseOptions = {}): Promise<CliCaseResult> {
    const emu = await startEmulator({ timings: TIMINGS });
    try {
        const ids = seedJobs(emu, n, base, options.replicating);
        const { stack, remove } = await stackFor(engine, door, ids, emu, consumerDir, options.env);
        try {
            let rss = { stop: () => Number.NaN };
            const started = Date.now();
            const up = await stack.run(["up", "--yes", "--skip-preview", "--parallel", String(n + 8)], { onSpawn: (pid) => (rss = sampleProviderRss(pid, PROVIDER_PROCESS[door])) });
            const ended = Date.now();
            const providerPeakRssMb = rss.stop();
            const drs = emu.calls.filter((c) => (DRS_OPERATIONS as readonly string[]).includes(c.operation));
            if (drs.length === 0) throw new Error(`pulumi up of ${n} jobs on the ${door} door made no DRS call:\n${up.stdout}\n${up.stderr}`);
            const [first, last] = [drs[0].at, drs[drs.length - 1].at];
            const calls = Object.fromEntries(DRS_OPERATIONS.map((op) => [op, emu.count(op as EmulatedOperation)])) as Record<DrsOperation, number>;
            const firstStart = drs.find((c) => c.operation === "batch-starting")?.at ?? first;
            const lastStatus = [...drs].reverse().find((c) => c.operation === "batch-status")?.at ?? last;
            const checkpoint = stack.storedState();
            return {
                door,
                n,
                created: Number([...up.stdout.matchAll(/(\d+) created/g)].pop()?.[1] ?? 0),
                wallMs: ended - started,
                programStartMs: first - started,
                drsWorkMs: last - first,
                tailMs: ended - last,
                calls,
                iamCalls: emu.count("iam-token"),
                statusLimit: Math.ceil((lastStatus - firstStart) / (CLI_POLL_SECONDS * 1000)) + 1,
                checkpointBytesPerResource: Buffer.byteLength(checkpoint) / n,
                ...stateSizes(checkpoint, door),
                providerPeakRssMb,
                lookupSizes: drs.filter((c) => c.operation === "list-jobs").map((c) => jobsIn(c.body)),
                startSizes: drs.filter((c) => c.operation === "batch-starting").map((c) => jobsIn(c.body)),
            };
        } finally {
            remove();
        }
    } finally {
        await emu.close();
    }
}
