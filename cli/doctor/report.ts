/**
 * What `pulumi-drs doctor` found, one row per check, and how it is printed:
 * an aligned table, then a `fix:` line for every check that needs one.
 */

/** How a check came out: `FAIL` blocks `pulumi up`; `warn` may; `skipped` could not run because an earlier check failed. */
export type CheckResult = "ok" | "warn" | "FAIL" | "skipped";

/** One check: its name, result, what was seen (never a secret), and for `FAIL`/`warn` what to do. */
export interface CheckRow {
    readonly check: string;
    readonly result: CheckResult;
    readonly detail: string;
    readonly fix?: string;
}

/** True when no check failed (warnings allowed): the exit code is 0. */
export function healthy(rows: readonly CheckRow[]): boolean {
    return rows.every((row) => row.result !== "FAIL");
}

/** The rows as an aligned `check | result | detail` table, the fixes below it, and a closing verdict line. */
export function renderTable(rows: readonly CheckRow[]): string {
    const header: CheckRow = { check: "check", result: "result" as CheckResult, detail: "detail" };
    const all = [header, ...rows];
    const checkWidth = Math.max(...all.map((row) => row.check.length));
    const resultWidth = Math.max(...all.map((row) => row.result.length));
    const line = (row: CheckRow) => `${row.check.padEnd(checkWidth)}  ${row.result.padEnd(resultWidth)}  ${row.detail}`.trimEnd();
    const rule = `${"-".repeat(checkWidth)}  ${"-".repeat(resultWidth)}  ${"-".repeat(6)}`;
    const fixes = rows.filter((row) => row.fix !== undefined).map((row) => `fix: ${row.check}: ${row.fix}`);
    const failed = rows.filter((row) => row.result === "FAIL").length;
    const verdict = failed === 0 ? "doctor: ready for pulumi up" : `doctor: ${failed} check${failed === 1 ? "" : "s"} failed`;
    return [line(header), rule, ...rows.map(line), ...(fixes.length > 0 ? ["", ...fixes] : []), "", verdict, ""].join("\n");
}

/** The rows as JSON (`--json`): `{ healthy, checks }`. */
export function renderJson(rows: readonly CheckRow[]): string {
    return `${JSON.stringify({ healthy: healthy(rows), checks: rows }, null, 2)}\n`;
}
