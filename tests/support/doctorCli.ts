import { execFile } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../scripts/engine";

/** The built command line, what `npx pulumi-drs` runs (package.json `bin`). */
export const DOCTOR_CLI = path.join(REPO_ROOT, "dist", "cli", "main.js");

/** How a `pulumi-drs` run ended: its exit code and what it printed. */
export interface DoctorRun {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * This process's environment without the settings pulumi-drs reads
 * (`OS_*`, `DRS_*`), so a test names every setting itself.
 */
export function cleanEnv(): Record<string, string> {
    return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !/^(OS|DRS)_/.test(entry[0])));
}

/** Runs `node dist/cli/main.js <args>` in `cwd` with `env` as its whole environment. */
export function runCli(args: readonly string[], env: Readonly<Record<string, string>>, cwd: string): Promise<DoctorRun> {
    return new Promise((resolve, reject) => {
        execFile(process.execPath, [DOCTOR_CLI, ...args], { cwd, env, timeout: 120_000 }, (error, stdout, stderr) => {
            if (error && typeof error.code !== "number") return reject(error);
            resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
        });
    });
}

/** One row of the doctor's table, as printed. */
export interface PrintedRow {
    readonly result: string;
    readonly detail: string;
}

/** The doctor's table rows by check name, read back from its output (columns are aligned on the header). */
export function tableRows(stdout: string): Map<string, PrintedRow> {
    const lines = stdout.split("\n");
    const header = lines[0] ?? "";
    const resultAt = header.indexOf("result");
    const detailAt = header.indexOf("detail");
    const rows = new Map<string, PrintedRow>();
    for (const line of lines.slice(2)) {
        if (line.trim() === "") break;
        rows.set(line.slice(0, resultAt).trim(), { result: line.slice(resultAt, detailAt).trim(), detail: line.slice(detailAt).trim() });
    }
    return rows;
}

/** The `fix:` lines of the doctor's output. */
export function fixLines(stdout: string): string[] {
    return stdout.split("\n").filter((line) => line.startsWith("fix: "));
}
