/**
 * The bench's CLI section: real `pulumi up` runs of N = 200 and 500 jobs on
 * both doors ({@link cliCase}), printed as one table and judged against the
 * scale targets of issue #19.
 */
import { buildPlugin } from "../scripts/buildPlugin";
import type { Engine } from "../scripts/engine";
import { cliCase, type CliCaseResult, CLI_POLL_SECONDS, type Door, DRS_OPERATIONS, dynamicConsumer } from "./cliCase";

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
    console.log(
        `Real \`pulumi up --yes --skip-preview --parallel <N + 8>\` through the CLI, poll interval ${CLI_POLL_SECONDS} s, jobs replicate 2-4 s after their start (limits: ⌈N/100⌉ lookups and starts, one status call per poll interval from the first start to the last status call, plus one):\n`,
    );
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

/** Why a call count is over its target: how full the calls were. */
function callsReason(sizes: readonly number[]): string {
    return ` (jobs per call: ${sizes.join(" ")}; windows served partly filled at the 4 s bound or after a pause of more than 1 s between creates)`;
}

/** The issue #19 targets judged on the N=500 CLI rows; a figure that misses its goal says why, where the bench can tell. */
export function cliTargets(results: readonly CliCaseResult[], target: TargetLine): string[] {
    const lines: string[] = [];
    for (const door of ["dynamic", "plugin"] as const) {
        const r = results.find((x) => x.door === door && x.n === 500);
        if (!r) {
            lines.push(target(`CLI N=500 ${door}`, "n/a", "", undefined));
            continue;
        }
        const all = DRS_OPERATIONS.reduce((sum, op) => sum + r.calls[op], 0);
        const lookups = r.calls["list-jobs"];
        const starts = r.calls["batch-starting"];
        lines.push(target(`CLI N=500 ${door}: lookups`, `${lookups}${lookups > 10 ? callsReason(r.lookupSizes) : ""}`, "≤ 10", lookups <= 10));
        lines.push(target(`CLI N=500 ${door}: starts`, `${starts}${starts > 10 ? callsReason(r.startSizes) : ""}`, "≤ 10", starts <= 10));
        const kinds = DRS_OPERATIONS.map((op) => `${op} ${r.calls[op]}`).join(", ");
        lines.push(target(`CLI N=500 ${door}: all DRS calls`, `${all}${all > 60 ? ` (${kinds})` : ""}`, "≤ 60", all <= 60));
        if (door === "dynamic") {
            const why = r.tailMs > DYNAMIC_TAIL_BEFORE_MS / 2 ? ` (state per resource ${kb(r.resourceBytes)} KB, checkpoint/N ${kb(r.checkpointBytesPerResource)} KB: the engine rewrites the checkpoint as each create starts and ends)` : "";
            lines.push(target("CLI N=500 dynamic: engine tail", `${s(r.tailMs)} s vs ${s(DYNAMIC_TAIL_BEFORE_MS)} s before${why}`, "≤ ½ before", r.tailMs <= DYNAMIC_TAIL_BEFORE_MS / 2));
        } else {
            const own = r.resourceBytes - r.programTraceBytes;
            const why = r.resourceBytes > 2048 ? ` (${kb(r.programTraceBytes)} KB of it the source position and stack trace the program's language host reports per resource; the rest ${kb(own)} KB)` : "";
            lines.push(target("CLI N=500 plugin: state per resource", `${kb(r.resourceBytes)} KB${why}`, "≤ 2 KB", r.resourceBytes <= 2048));
        }
    }
    return lines;
}
