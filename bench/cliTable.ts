/**
 * The bench's CLI section: real `pulumi up` runs of N = 200 and 500 jobs on
 * both doors ({@link cliCase}), printed as one table and judged against the
 * scale targets of issue #19.
 */
import { buildPlugin } from "../scripts/buildPlugin";
import { Engine } from "../scripts/engine";
import { cliCase, CliCaseResult, CLI_POLL_SECONDS, Door, DRS_OPERATIONS, dynamicConsumer } from "./cliCase";

/**
 * The dynamic door's engine tail at N=500 before issue #19 (commit 50e672b's
 * provider and SDK, 7.3 KB per resource entry of which 4.7 KB were the
 * serialized shim, twice): the reference of the "at most half" target,
 * measured with this bench (38.1 s; 42.0 s in a run on a busier machine).
 */
export const DYNAMIC_TAIL_BEFORE_MS = 38_100;

const s = (ms: number) => (ms / 1000).toFixed(1);
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** `count/limit`, starred when over. */
function against(count: number, limit: number): string {
    return `${count}/${limit}${count > limit ? " (over)" : ""}`;
}

/** Runs every (size, door) case in turn, printing progress to stderr. */
export async function runCliCases(engine: Engine, sizes: readonly number[], doors: readonly Door[], base: number): Promise<CliCaseResult[]> {
    if (doors.includes("plugin")) buildPlugin();
    const consumer = doors.includes("dynamic") ? await dynamicConsumer() : undefined;
    const results: CliCaseResult[] = [];
    try {
        for (const n of sizes) {
            for (const door of doors) {
                const r = await cliCase(engine, door, n, base, consumer?.dir ?? "");
                base += n;
                console.error(`  done: CLI ${door} N=${n} in ${s(r.wallMs)} s`);
                results.push(r);
            }
        }
    } finally {
        consumer?.remove();
    }
    return results;
}

/** The CLI table: one row per case. */
export function printCliTable(results: readonly CliCaseResult[]): void {
    console.log(`Real \`pulumi up --yes --skip-preview --parallel <N + 8>\` through the CLI, poll interval ${CLI_POLL_SECONDS} s, jobs replicate 2-4 s after their start (limits: ⌈N/100⌉ lookups and starts, one status call per poll interval from the first start to the last status call, plus one):\n`);
    console.log("| door | N | created | wall s | program start s | DRS work s | engine tail s | lookups | starts | status | progress | all DRS calls | IAM | state/resource KB (shim, program trace) | checkpoint/N KB | provider peak RSS MB |");
    console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (const r of results) {
        const limit = Math.ceil(r.n / 100);
        const all = DRS_OPERATIONS.reduce((sum, op) => sum + r.calls[op], 0);
        console.log(
            `| ${r.door} | ${r.n} | ${r.created} | ${s(r.wallMs)} | ${s(r.programStartMs)} | ${s(r.drsWorkMs)} | ${s(r.tailMs)} | ${against(r.calls["list-jobs"], limit)} | ${against(r.calls["batch-starting"], limit)} | ${against(r.calls["batch-status"], r.statusLimit)} | ${r.calls["batch-progress"]} | ${all} | ${r.iamCalls} | ${kb(r.resourceBytes)} (${kb(r.providerShimBytes)}, ${kb(r.programTraceBytes)}) | ${kb(r.checkpointBytesPerResource)} | ${r.providerPeakRssMb.toFixed(1)} |`,
        );
    }
    console.log("");
    for (const r of results) console.log(`Jobs per call, ${r.door} N=${r.n}: lookups ${r.lookupSizes.join(" ")}; starts ${r.startSizes.join(" ")}`);
}

/** One line of a targets table: the figure, the goal, met or not (and why not, when known). */
export type TargetLine = (name: string, figure: string, goal: string, met: boolean | undefined) => string;

/** The issue #19 targets judged on the N=500 CLI rows. */
export function cliTargets(results: readonly CliCaseResult[], target: TargetLine): string[] {
    const lines: string[] = [];
    for (const door of ["dynamic", "plugin"] as const) {
        const r = results.find((x) => x.door === door && x.n === 500);
        const all = r ? DRS_OPERATIONS.reduce((sum, op) => sum + r.calls[op], 0) : undefined;
        lines.push(target(`CLI N=500 ${door}: lookups`, r ? String(r.calls["list-jobs"]) : "n/a", "≤ 10", r && r.calls["list-jobs"] <= 10));
        lines.push(target(`CLI N=500 ${door}: starts`, r ? String(r.calls["batch-starting"]) : "n/a", "≤ 10", r && r.calls["batch-starting"] <= 10));
        lines.push(target(`CLI N=500 ${door}: all DRS calls`, all === undefined ? "n/a" : String(all), "≤ 60", all === undefined ? undefined : all <= 60));
        if (door === "dynamic") {
            const figure = r ? `${s(r.tailMs)} s vs ${s(DYNAMIC_TAIL_BEFORE_MS)} s before` : "n/a";
            lines.push(target("CLI N=500 dynamic: engine tail", figure, "≤ ½ before", r && r.tailMs <= DYNAMIC_TAIL_BEFORE_MS / 2));
        } else {
            lines.push(target("CLI N=500 plugin: state per resource", r ? `${kb(r.resourceBytes)} KB` : "n/a", "≤ 2 KB", r && r.resourceBytes <= 2048));
            const own = r ? r.resourceBytes - r.programTraceBytes : undefined;
            lines.push(target("CLI N=500 plugin: state per resource without the program's source positions", own === undefined ? "n/a" : `${kb(own)} KB`, "≤ 2 KB", own === undefined ? undefined : own <= 2048));
        }
    }
    return lines;
}
