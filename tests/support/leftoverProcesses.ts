import * as fs from "node:fs";

/**
 * Environment variable that tags every process an e2e fixture spawns: the
 * Automation API hands it to the CLI, and the CLI to the language host and
 * the provider host (with their shell launchers). It survives re-parenting,
 * so orphans are found after their parent died.
 */
export const RUN_MARKER_VAR = "PULUMI_DRS_TEST_RUN";

/** A live process and its command line. */
export interface MarkedProcess {
    readonly pid: number;
    readonly command: string;
}

/** Live processes whose environment holds `RUN_MARKER_VAR=marker` (read from /proc: Linux only, empty elsewhere). */
export function markedProcesses(marker: string): MarkedProcess[] {
    if (process.platform !== "linux") return [];
    const tag = `${RUN_MARKER_VAR}=${marker}`;
    const found: MarkedProcess[] = [];
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            // A zombie's environ reads empty, so only processes still running match.
            if (!fs.readFileSync(`/proc/${entry}/environ`, "utf8").split("\0").includes(tag)) continue;
            const command = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
            found.push({ pid: Number(entry), command });
        } catch {
            // The process exited while we looked, or is not ours to read.
        }
    }
    return found;
}

/**
 * Waits up to `graceMs` for every process tagged with `marker` to exit, then
 * kills (SIGKILL) those still alive and returns them: empty means none was
 * left behind.
 */
export async function reapLeftovers(marker: string, graceMs: number): Promise<MarkedProcess[]> {
    const deadline = Date.now() + graceMs;
    let alive = markedProcesses(marker);
    while (alive.length > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        alive = markedProcesses(marker);
    }
    for (const { pid } of alive) {
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            // Already gone.
        }
    }
    return alive;
}
