/**
 * `npm run bench:checkpoints`: the engine's own cost of a large `pulumi up`.
 * Real `pulumi up` runs through the CLI of N jobs (`BENCH_CHECKPOINT_N`,
 * default 500) on both doors, with the engine's checkpoints written after
 * every step (the default) and skipped (`PULUMI_EXPERIMENTAL=true
 * PULUMI_SKIP_CHECKPOINTS=true`: one write at the end), for jobs that are
 * started and waited on and for jobs that already replicate (adopted: no
 * start, no wait). Prints the wall time split into program start, DRS work
 * and engine tail, and the ratio skipped/written within this run. Heavy:
 * 8 runs of N resources; not part of `npm test`.
 */
import * as os from "node:os";
import { buildPlugin } from "../scripts/buildPlugin";
import { findEngine } from "../scripts/engine";
import { cliCase, type CliCaseResult, type Door, DRS_OPERATIONS, dynamicConsumer } from "./cliCase";

/** The environment that makes the engine write its checkpoint once, at the end. */
export const SKIP_CHECKPOINTS = { PULUMI_EXPERIMENTAL: "true", PULUMI_SKIP_CHECKPOINTS: "true" };

/** The slowest job of a started-and-waited case replicates this long after its start (200 ms starting, at most 3.6 s full transfer, 200 ms complete). */
const SLOWEST_JOB_MS = 4_000;

type Jobs = "started and waited" | "already replicating";

interface Row {
    readonly jobs: Jobs;
    readonly checkpoints: "written" | "skipped";
    readonly result: CliCaseResult;
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const load = () =>
    os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(" ");

async function main(): Promise<void> {
    const n = Number(process.env.BENCH_CHECKPOINT_N ?? "500");
    const doors = (process.env.BENCH_CLI_DOORS ?? "plugin,dynamic").split(",").filter(Boolean) as Door[];
    const engine = await findEngine();
    if (!engine?.languageHost || (doors.includes("plugin") && !engine.yamlHost)) {
        console.log("Not measured: no Pulumi CLI with its Node.js and YAML language hosts (run npm run setup:pulumi).");
        return;
    }
    const loadBefore = load();
    if (doors.includes("plugin")) buildPlugin();
    const consumer = doors.includes("dynamic") ? await dynamicConsumer() : undefined;
    const rows: Row[] = [];
    let base = 300_000;
    try {
        for (const jobs of ["started and waited", "already replicating"] as const) {
            for (const door of doors) {
                for (const checkpoints of ["written", "skipped"] as const) {
                    const result = await cliCase(engine, door, n, base, consumer?.dir ?? "", { replicating: jobs === "already replicating", env: checkpoints === "skipped" ? SKIP_CHECKPOINTS : {} });
                    base += n;
                    console.error(`  done: ${door} N=${n}, ${jobs}, checkpoints ${checkpoints}: ${s(result.wallMs)} s`);
                    rows.push({ jobs, checkpoints, result });
                }
            }
        }
    } finally {
        consumer?.remove();
    }

    console.log(
        `Real \`pulumi up --yes --skip-preview --parallel ${n + 8}\` of N=${n} through the CLI, checkpoints written after every step vs skipped (PULUMI_EXPERIMENTAL=true PULUMI_SKIP_CHECKPOINTS=true); ${os.cpus().length} cores, load average ${loadBefore} before and ${load()} after:\n`,
    );
    console.log("| door | jobs | checkpoints | created | wall s | program start s | DRS work s | engine tail s | DRS calls (lookups, starts, status, progress) | wall skipped/written |");
    console.log("|---|---|---|---|---|---|---|---|---|---|");
    for (const row of rows) {
        const r = row.result;
        const written = rows.find((x) => x.jobs === row.jobs && x.result.door === r.door && x.checkpoints === "written");
        const ratio = row.checkpoints === "skipped" && written ? (r.wallMs / written.result.wallMs).toFixed(2) : "";
        const all = DRS_OPERATIONS.reduce((sum, op) => sum + r.calls[op], 0);
        const byKind = DRS_OPERATIONS.map((op) => r.calls[op]).join(", ");
        console.log(`| ${r.door} | ${row.jobs} | ${row.checkpoints} | ${r.created} | ${s(r.wallMs)} | ${s(r.programStartMs)} | ${s(r.drsWorkMs)} | ${s(r.tailMs)} | ${all} (${byKind}) | ${ratio} |`);
    }
    const pluginSkipped = rows.find((x) => x.result.door === "plugin" && x.jobs === "started and waited" && x.checkpoints === "skipped");
    if (pluginSkipped) {
        const goal = SLOWEST_JOB_MS + 5_000;
        console.log(`\nPlugin door, started and waited, checkpoints skipped: ${s(pluginSkipped.result.wallMs)} s against the slowest job (${s(SLOWEST_JOB_MS)} s) + 5 s = ${s(goal)} s: ${pluginSkipped.result.wallMs <= goal ? "within" : "over"}.`);
    }
}

main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
});
