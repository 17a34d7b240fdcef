/**
 * `npm run bench`: DRS calls per job, detection latency, provider CPU per
 * status tick and peak RSS for N = 1, 10, 100, 500, 1000 jobs started at
 * once, coalesced vs the naive one-job-per-call mode (DRS_COALESCE=off) of the
 * same code, against the emulator; then one real `pulumi up` of 50 DrsJobStart
 * resources in each mode; then real `pulumi up` runs through the CLI of N =
 * 200 and 500 jobs on both doors (`BENCH_CLI_SIZES`, `BENCH_CLI_DOORS`; empty
 * skips them). Prints tables and each target against its figure, and writes
 * the chart (docs/bench-chart.svg); not part of `npm test`.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { writeChart } from "./chart";
import { cliTargets, printCliTable, runCliCases } from "./cliTable";
import type { CliCaseResult, Door } from "./cliCase";
import { clientEnv, type EmulatedOperation, type Emulator, startEmulator } from "../emulator";
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
    for (const [i, id] of ids.entries()) emu.jobs.seed({ id, dbUseType: "migration", fullTransferMs: 2000 + ((i * 7919) % 4000) });
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

/** One real `pulumi up` in one mode. */
interface EngineResult {
    readonly mode: Mode;
    readonly created: number;
    readonly calls: number;
    readonly detail: string;
    readonly wallS: number;
}

async function engineCase(mode: Mode, jobs: number): Promise<EngineResult | undefined> {
    const engine = await findEngine();
    if (!engine) return undefined;
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
            const wallS = (Date.now() - started) / 1000;
            const calls = OPS.reduce((sum, op) => sum + emu.count(op), 0);
            return { mode, created: up.summary.resourceChanges?.create ?? 0, calls, detail: OPS.map((op) => `${op} ${emu.count(op)}`).join(", "), wallS };
        } finally {
            remove();
        }
    } finally {
        program.remove();
        await emu.close();
    }
}

const totalCalls = (r: CaseResult) => OPS.reduce((sum, op) => sum + r.calls[op], 0);

/** One line of the targets table: the figure, the target, met or not. */
function target(name: string, figure: string, goal: string, met: boolean | undefined): string {
    return `| ${name} | ${figure} | ${goal} | ${met === undefined ? "not measured" : met ? "met" : "NOT met"} |`;
}

async function main(): Promise<void> {
    const list = (value: string) => value.split(",").filter(Boolean);
    const sizes = list(process.env.BENCH_SIZES ?? "1,10,100,500,1000").map(Number);
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
    if (results.length > 0) console.log("| N | mode | start/job | status/job | progress/job | list/job | all calls | ratio vs naive | p50 detect ms | p95 detect ms | CPU ms/status tick | CPU ms total | peak RSS MB | heap after GC MB | failed |");
    if (results.length > 0) console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (const r of results) {
        const total = totalCalls(r);
        const naiveTotal = totalCalls(results.find((x) => x.n === r.n && x.mode === "naive")!);
        const perJob = (op: EmulatedOperation) => fmt(r.calls[op] / r.n, 2);
        console.log(
            `| ${r.n} | ${r.mode} | ${perJob("batch-starting")} | ${perJob("batch-status")} | ${perJob("batch-progress")} | ${perJob("list-jobs")} | ${total} | ${r.mode === "naive" ? "1" : `1/${fmt(naiveTotal / total)}`} | ${fmt(percentile(r.latencies, 50), 0)} | ${fmt(percentile(r.latencies, 95), 0)} | ${r.tickCpuMsPerTick === undefined ? `${fmt(r.cpuMs / Math.max(1, r.calls["batch-status"]), 2)} (per call)` : fmt(r.tickCpuMsPerTick, 2)} | ${fmt(r.cpuMs, 0)} | ${fmt(r.maxRssMb)} | ${fmt(r.liveHeapMb)} | ${r.failures} |`,
        );
    }
    // One job gives one latency per run, and the shared tick's ±10 % jitter moves it by up to 100 ms:
    // the N=1 target is judged on the median of several runs per mode.
    const n1Runs = Number(process.env.BENCH_N1_RUNS ?? "9");
    const n1Latencies: Record<Mode, number[]> = { naive: [], coalesced: [] };
    for (let run = 0; run < n1Runs; run++) {
        for (const mode of ["naive", "coalesced"] as const) {
            n1Latencies[mode].push(...(await providerCase(1, mode, base)).latencies);
            base += 1;
        }
    }
    if (n1Runs > 0)
        console.log(`
N=1 detection latency over ${n1Runs} runs per mode (ms): naive ${n1Latencies.naive.map((x) => fmt(x, 0)).join(" ")}; coalesced ${n1Latencies.coalesced.map((x) => fmt(x, 0)).join(" ")}`);

    const engineJobs = Number(process.env.BENCH_ENGINE_JOBS ?? "50");
    if (engineJobs > 0) console.log(`\nReal \`pulumi up\` of ${engineJobs} DrsJobStart resources (--parallel ${engineJobs + 10}):\n`);
    if (engineJobs > 0) console.log("| mode | created | DRS calls | wall time |\n|---|---|---|---|");
    const engines: EngineResult[] = [];
    for (const mode of engineJobs > 0 ? (["naive", "coalesced"] as const) : []) {
        const e = await engineCase(mode, engineJobs);
        if (!e) {
            console.log(`| ${mode} | (no Pulumi CLI: run npm run setup:pulumi) | | |`);
            continue;
        }
        engines.push(e);
        console.log(`| ${mode} | ${e.created} | ${e.calls} (${e.detail}) | ${fmt(e.wallS)} s |`);
    }

    const cliSizes = list(process.env.BENCH_CLI_SIZES ?? "200,500").map(Number);
    const cliDoors = list(process.env.BENCH_CLI_DOORS ?? "dynamic,plugin") as Door[];
    const cliEngine = cliSizes.length > 0 ? await findEngine() : undefined;
    let cli: CliCaseResult[] = [];
    if (cliSizes.length > 0) console.log("");
    const hosts = cliEngine?.languageHost && (!cliDoors.includes("plugin") || cliEngine.yamlHost);
    if (cliSizes.length > 0 && !hosts) console.log("CLI runs: not measured (no Pulumi CLI with its Node.js and YAML language hosts: run npm run setup:pulumi)");
    else if (cliEngine) {
        cli = await runCliCases(cliEngine, cliSizes, cliDoors, 200_000);
        printCliTable(cli);
    }

    const find = (n: number, mode: Mode) => results.find((r) => r.n === n && r.mode === mode);
    const [upNaive, upCoalesced] = [engines.find((e) => e.mode === "naive"), engines.find((e) => e.mode === "coalesced")];
    const n500 = find(500, "coalesced");
    const n1000 = find(1000, "coalesced");
    const [n100Naive, n100] = [find(100, "naive"), find(100, "coalesced")];
    const [n1P50Naive, n1P50] = [percentile(n1Latencies.naive, 50), percentile(n1Latencies.coalesced, 50)];
    const n1Delta = n1P50 - n1P50Naive;
    const n100Ratio = n100 && n100Naive ? totalCalls(n100Naive) / totalCalls(n100) : NaN;
    console.log("\nTargets (same run; the machine is shared, so timings are noisy):\n");
    console.log("| target | measured | goal | |");
    console.log("|---|---|---|---|");
    console.log(target(`real \`pulumi up\` of ${engineJobs}: DRS calls`, upCoalesced ? String(upCoalesced.calls) : "n/a", "≤ 10", upCoalesced && upCoalesced.calls <= 10));
    console.log(
        target(
            `real \`pulumi up\` of ${engineJobs}: wall time`,
            upCoalesced && upNaive ? `${fmt(upCoalesced.wallS)} s vs naive ${fmt(upNaive.wallS)} s (${fmt((upCoalesced.wallS / upNaive.wallS - 1) * 100)} %)` : "n/a",
            "≤ naive + 5 %",
            upCoalesced && upNaive ? upCoalesced.wallS <= upNaive.wallS * 1.05 : undefined,
        ),
    );
    const n1Measured = Number.isFinite(n1Delta);
    console.log(target(`N=1: p50 detection (${n1Runs} runs)`, n1Measured ? `${fmt(n1P50, 0)} ms vs naive ${fmt(n1P50Naive, 0)} ms (${n1Delta >= 0 ? "+" : ""}${fmt(n1Delta, 0)} ms)` : "n/a", "≤ naive + 100 ms", n1Measured ? n1Delta <= 100 : undefined));
    console.log(target("N=500: CPU per status tick", n500?.tickCpuMsPerTick !== undefined ? `${fmt(n500.tickCpuMsPerTick, 2)} ms` : "n/a", "≤ 5 ms", n500?.tickCpuMsPerTick !== undefined ? n500.tickCpuMsPerTick <= 5 : undefined));
    console.log(target("N=1000: peak RSS", n1000 ? `${fmt(n1000.maxRssMb)} MB` : "n/a", "≤ 100 MB", n1000 ? n1000.maxRssMb <= 100 : undefined));
    console.log(target("N=100: calls vs naive", n100 ? `1/${fmt(n100Ratio)}` : "n/a", "≤ 1/60", n100 ? n100Ratio >= 60 : undefined));
    for (const line of cliTargets(cli, target)) console.log(line);

    if (results.length === 0) return;
    const chart = await writeChart(
        results.map((r) => ({ n: r.n, mode: r.mode, callsPerJob: totalCalls(r) / r.n, p95DetectMs: percentile(r.latencies, 95) })),
        path.join(__dirname, "..", "..", "docs", "bench-chart.svg"),
        cli.flatMap((r) => [
            { run: `${r.door} N=${r.n}`, part: "1 program start" as const, seconds: r.programStartMs / 1000 },
            { run: `${r.door} N=${r.n}`, part: "2 DRS work" as const, seconds: r.drsWorkMs / 1000 },
            { run: `${r.door} N=${r.n}`, part: "3 engine tail" as const, seconds: r.tailMs / 1000 },
        ]),
    );
    console.log(`\nChart: ${path.relative(process.cwd(), chart)}`);
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
