/**
 * `npm run bench`: DRS calls per job, detection latency, provider CPU per
 * status tick and peak RSS for N = 1, 10, 100, 500 jobs started at once,
 * coalesced vs the naive one-job-per-call mode (DRS_COALESCE=off) of the same
 * code, against the emulator; then one real `pulumi up` of 50 DrsJobStart
 * resources in each mode. Prints tables; not part of `npm test`.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { clientEnv, EmulatedOperation, Emulator, startEmulator } from "../emulator";
import { findEngine, localStack, makeProgramDir } from "../scripts/engine";
import { e2eProgram } from "../tests/e2e/program";
import { jobId } from "../tests/support/env";

const run = promisify(execFile);
const POLL_SECONDS = 1;
const TIMINGS = { startingMs: 200, fullTransferMs: 3000, fullCompleteMs: 200 };
const OPS: EmulatedOperation[] = ["batch-starting", "batch-status", "batch-progress", "list-jobs"];


type Mode = "naive" | "coalesced";

interface CaseResult {
    n: number;
    mode: Mode;
    calls: Record<EmulatedOperation, number>;
    latencies: number[];
    cpuMs: number;
    /** CPU of the shared status ticks (coalesced mode); naive mode has no ticks. */
    tickCpuMsPerTick?: number;
    maxRssMb: number;
    liveHeapMb: number;
    failures: number;
    wallMs: number;
}

/** Jobs whose full transfer lasts 2-6 s, so they reach their target at different moments. */
function seedJobs(emu: Emulator, n: number, base: number): string[] {
    const ids = Array.from({ length: n }, (_, i) => jobId(base + i));
    ids.forEach((id, i) => emu.jobs.seed({ id, dbUseType: "migration", fullTransferMs: 2000 + ((i * 7919) % 4000) }));
    return ids;
}

async function providerCase(n: number, mode: Mode, base: number): Promise<CaseResult> {
    const emu = await startEmulator({ timings: TIMINGS });
    try {
        const ids = seedJobs(emu, n, base);
        const env = { ...process.env, ...clientEnv(emu), BENCH_JOB_IDS: ids.join(","), BENCH_POLL_SECONDS: String(POLL_SECONDS), DRS_COALESCE: mode === "naive" ? "off" : "on" };
        const started = Date.now();
        const { stdout } = await run(process.execPath, ["--expose-gc", path.join(__dirname, "providerCase.js")], { env, maxBuffer: 64 * 1024 * 1024 });
        const wallMs = Date.now() - started;
        const out = JSON.parse(stdout) as { resolvedAt: Record<string, number>; failures: string[]; cpuMs: number; tickCpuMs?: number; ticks?: number; maxRssKb: number; liveHeapMb: number };
        const latencies = ids.filter((id) => out.resolvedAt[id]).map((id) => out.resolvedAt[id] - emu.jobs.get(id)!.since);
        const calls = Object.fromEntries([...OPS, "iam-token" as const].map((op) => [op, emu.count(op)])) as Record<EmulatedOperation, number>;
        const tickCpuMsPerTick = out.tickCpuMs !== undefined && out.ticks ? out.tickCpuMs / out.ticks : undefined;
        return { n, mode, calls, latencies, cpuMs: out.cpuMs, tickCpuMsPerTick, maxRssMb: out.maxRssKb / 1024, liveHeapMb: out.liveHeapMb, failures: out.failures.length, wallMs };
    } finally {
        await emu.close();
    }
}

function percentile(values: number[], p: number): number {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "n/a");

async function engineCase(mode: Mode, jobs: number): Promise<string> {
    const engine = await findEngine();
    if (!engine) return `| ${mode} | (no Pulumi CLI: run npm run setup:pulumi) | | |`;
    const emu = await startEmulator({ timings: TIMINGS });
    const program = makeProgramDir();
    try {
        const ids = seedJobs(emu, jobs, mode === "naive" ? 90_000 : 95_000);
        const env = clientEnv(emu, mode === "naive" ? { DRS_COALESCE: "off" } : {});
        const { stack, remove } = await localStack({ engine, projectName: "drs-bench", stackName: mode, program: e2eProgram, workDir: program.dir, env });
        try {
            await stack.setConfig("jobs", { value: JSON.stringify(ids.map((id, i) => ({ name: `job-${i}`, jobId: id, pollIntervalSeconds: POLL_SECONDS }))) });
            const started = Date.now();
            const up = await stack.up({ parallel: jobs + 10 });
            const wall = (Date.now() - started) / 1000;
            const total = OPS.reduce((sum, op) => sum + emu.count(op), 0);
            return `| ${mode} | ${up.summary.resourceChanges?.create ?? 0} | ${total} (${OPS.map((op) => `${op} ${emu.count(op)}`).join(", ")}) | ${fmt(wall)} s |`;
        } finally {
            remove();
        }
    } finally {
        program.remove();
        await emu.close();
    }
}

async function main(): Promise<void> {
    const sizes = (process.env.BENCH_SIZES ?? "1,10,100,500").split(",").map(Number);
    console.log(`pulumi-drs benchmark: jobs started at once, poll interval ${POLL_SECONDS} s, full transfer 2-6 s per job, emulator on loopback\n`);
    const results: CaseResult[] = [];
    let base = 1;
    for (const n of sizes) {
        for (const mode of ["naive", "coalesced"] as const) {
            results.push(await providerCase(n, mode, base));
            base += n;
            const r = results[results.length - 1];
            console.error(`  done: N=${n} ${mode} in ${fmt(r.wallMs / 1000)} s`);
        }
    }
    console.log("| N | mode | start/job | status/job | progress/job | list/job | all calls | ratio vs naive | p50 detect ms | p95 detect ms | CPU ms/status tick | CPU ms total | peak RSS MB | heap after GC MB | failed |");
    console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (const r of results) {
        const total = OPS.reduce((sum, op) => sum + r.calls[op], 0);
        const naive = results.find((x) => x.n === r.n && x.mode === "naive")!;
        const naiveTotal = OPS.reduce((sum, op) => sum + naive.calls[op], 0);
        const perJob = (op: EmulatedOperation) => fmt(r.calls[op] / r.n, 2);
        console.log(
            `| ${r.n} | ${r.mode} | ${perJob("batch-starting")} | ${perJob("batch-status")} | ${perJob("batch-progress")} | ${perJob("list-jobs")} | ${total} | ${r.mode === "naive" ? "1" : `1/${fmt(naiveTotal / total)}`} | ${fmt(percentile(r.latencies, 50), 0)} | ${fmt(percentile(r.latencies, 95), 0)} | ${r.tickCpuMsPerTick === undefined ? `${fmt(r.cpuMs / Math.max(1, r.calls["batch-status"]), 2)} (per call)` : fmt(r.tickCpuMsPerTick, 2)} | ${fmt(r.cpuMs, 0)} | ${fmt(r.maxRssMb)} | ${fmt(r.liveHeapMb)} | ${r.failures} |`,
        );
    }
    const engineJobs = Number(process.env.BENCH_ENGINE_JOBS ?? "50");
    console.log(`\nReal \`pulumi up\` of ${engineJobs} DrsJobStart resources (--parallel ${engineJobs + 10}):\n`);
    console.log("| mode | created | DRS calls | wall time |");
    console.log("|---|---|---|---|");
    for (const mode of ["naive", "coalesced"] as const) console.log(await engineCase(mode, engineJobs));
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
