/**
 * `npm run bench:lifecycle`: N replicating jobs declared as `drs:index:JobStart`
 * in a Pulumi YAML program on the `drs` resource plugin, through the real CLI
 * against the emulator: one `pulumi up` adopts them, the next declares
 * `runState: paused`, the last `running` again. Prints, per N and step, the
 * DRS calls by kind against ⌈N/100⌉, the jobs each lifecycle call carried,
 * the statuses reached and the wall time. Figures only: nothing is asserted.
 *
 * `BENCH_LIFECYCLE_SIZES` (default `1,200`) picks the N; needs the engine
 * (`npm run setup:pulumi`, with the YAML language host) and the plugin
 * tarball (the script builds it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type EmulatedOperation, type Emulator, startEmulator } from "../emulator";
import type { CliStack } from "../scripts/cli";
import { type Engine, findEngine } from "../scripts/engine";
import { jobId } from "../tests/support/env";
import { pluginStack, programDir, yamlProgram } from "../tests/support/pluginProject";

/** The DRS calls counted (IAM token calls apart). */
const OPERATIONS: readonly EmulatedOperation[] = ["list-jobs", "batch-status", "batch-progress", "batch-starting", "batch-pause-task", "batch-retry-task", "batch-jobs"];

/** Seconds between status polls of every job. */
const POLL_SECONDS = 0.5;

/** One step of a case: the run state declared, and what its `pulumi up` cost. */
interface StepResult {
    readonly n: number;
    readonly step: "adopt" | "pause" | "resume";
    readonly wallMs: number;
    readonly calls: Readonly<Record<string, number>>;
    /** Jobs in each lifecycle call of the step, in call order. */
    readonly lifecycleSizes: readonly number[];
    /** Jobs the emulator shows in the status the step declares. */
    readonly reached: number;
}

/** The status each step's jobs end in. */
const EXPECTED: Record<StepResult["step"], string> = { adopt: "INCRE_TRANSFER_STARTED", pause: "PAUSING", resume: "INCRE_TRANSFER_STARTED" };

/** The run state each step declares. */
const RUN_STATE: Record<StepResult["step"], string> = { adopt: "running", pause: "paused", resume: "running" };

/** Runs `pulumi up` of the program declaring `step`'s run state, and measures it against the emulator's call log. */
async function step(stack: CliStack, emu: Emulator, programFile: string, ids: readonly string[], which: StepResult["step"]): Promise<StepResult> {
    fs.writeFileSync(programFile, yamlProgram(ids, { pollIntervalSeconds: POLL_SECONDS, timeoutSeconds: 600, runState: RUN_STATE[which] }));
    emu.calls.length = 0;
    const started = Date.now();
    await stack.run(["up", "--yes", "--skip-preview", "--parallel", String(ids.length + 8)]);
    const wallMs = Date.now() - started;
    const lifecycle = emu.calls.filter((c) => c.operation === "batch-pause-task" || c.operation === "batch-retry-task");
    return {
        n: ids.length,
        step: which,
        wallMs,
        calls: Object.fromEntries(OPERATIONS.map((op) => [op, emu.count(op)])),
        lifecycleSizes: lifecycle.map((c) => ((c.body as { jobs?: unknown[] }).jobs ?? []).length),
        reached: ids.filter((id) => emu.jobs.get(id)?.status === EXPECTED[which]).length,
    };
}

/** N replicating jobs adopted, paused, resumed through the CLI on the plugin door. */
async function lifecycleCase(engine: Engine, n: number, base: number): Promise<StepResult[]> {
    const emu = await startEmulator();
    const ids = Array.from({ length: n }, (_, i) => jobId(base + i));
    for (const id of ids) emu.jobs.seed({ id, status: "INCRE_TRANSFER_STARTED" });
    const program = programDir({ "Pulumi.yaml": yamlProgram(ids) });
    const stack = await pluginStack(engine, program.dir, emu);
    try {
        const programFile = path.join(program.dir, "Pulumi.yaml");
        const results: StepResult[] = [];
        for (const which of ["adopt", "pause", "resume"] as const) {
            results.push(await step(stack, emu, programFile, ids, which));
            console.error(`  done: N=${n} ${which} in ${(results[results.length - 1].wallMs / 1000).toFixed(1)} s`);
        }
        return results;
    } finally {
        stack.remove();
        program.remove();
        await emu.close();
    }
}

async function main(): Promise<void> {
    const sizes = (process.env.BENCH_LIFECYCLE_SIZES ?? "1,200").split(",").filter(Boolean).map(Number);
    const engine = await findEngine();
    if (!engine?.yamlHost) {
        console.log("bench:lifecycle needs the Pulumi CLI and its YAML language host: run npm run setup:pulumi");
        process.exitCode = 1;
        return;
    }
    console.log(`pulumi-drs lifecycle benchmark: N replicating jobs on the drs plugin (Pulumi YAML), adopted, paused (runState: paused), resumed; poll interval ${POLL_SECONDS} s, emulator on loopback\n`);
    const results: StepResult[] = [];
    let base = 0x24_0000;
    for (const n of sizes) {
        results.push(...(await lifecycleCase(engine, n, base)));
        base += n;
    }
    console.log(`| N | step | ⌈N/100⌉ | batch-pause-task | batch-retry-task | jobs per lifecycle call | batch-status | list-jobs | batch-progress | batch-starting | batch-jobs | jobs reached | wall s |`);
    console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (const r of results) {
        const c = r.calls;
        console.log(
            `| ${r.n} | ${r.step} | ${Math.ceil(r.n / 100)} | ${c["batch-pause-task"]} | ${c["batch-retry-task"]} | ${r.lifecycleSizes.join(", ") || "-"} | ${c["batch-status"]} | ${c["list-jobs"]} | ${c["batch-progress"]} | ${c["batch-starting"]} | ${c["batch-jobs"]} | ${r.reached}/${r.n} ${EXPECTED[r.step]} | ${(r.wallMs / 1000).toFixed(1)} |`,
        );
    }
    const lifecycleCalls = (r: StepResult) => r.calls["batch-pause-task"] + r.calls["batch-retry-task"];
    for (const r of results.filter((x) => x.step !== "adopt")) {
        console.log(`N=${r.n} ${r.step}: ${lifecycleCalls(r)} lifecycle call(s) for ${r.n} jobs, ⌈N/100⌉ = ${Math.ceil(r.n / 100)}; ratio ${(lifecycleCalls(r) / Math.ceil(r.n / 100)).toFixed(2)}`);
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
