#!/usr/bin/env node
/**
 * `pulumi-drs`: the package's command line (`npx pulumi-drs <command>`).
 * One command so far: `doctor`, the preflight check before the first `pulumi up`.
 */
import { parseArgs } from "node:util";
import { runDoctor } from "./doctor/doctor";
import { healthy, renderJson, renderTable } from "./doctor/report";

const USAGE = `usage: npx pulumi-drs doctor [--job <id or name>]... [--stack <name>] [--json] [--timeout <seconds>]

Checks what pulumi up will need, with the settings the provider reads: the
drs:* stack config of the Pulumi project in this directory (through the
pulumi CLI; --stack picks the stack, default the selected one) over the
OS_* / DRS_* environment. Prints one row per check: endpoint and TLS, the
credentials (IAM password, token or access keys; never their values) and
whether IAM and DRS accept them, the project id, the jobs DRS lists per
db_use_type, and each --job's status and available actions.

  --job <id or name>  show this job, by id or exact DRS name (repeatable)
  --stack <name>      read this stack's config (default: the selected stack)
  --json              print the checks as JSON
  --timeout <seconds> per connection and call (default 10)
  --help              this text

Exit code: 0 when nothing failed (warnings allowed), 1 when a check failed
(each failed check prints a "fix:" line), 2 on a usage error.`;

/** The command line's options and positionals; throws on an unknown option or a missing value. */
function parse(argv: readonly string[]) {
    return parseArgs({
        args: [...argv],
        allowPositionals: true,
        options: {
            job: { type: "string", multiple: true, default: [] },
            stack: { type: "string" },
            json: { type: "boolean", default: false },
            timeout: { type: "string", default: "10" },
            help: { type: "boolean", default: false },
        },
    });
}

/** Parses the command line, runs the command, and returns the exit code. */
async function main(argv: readonly string[]): Promise<number> {
    let parsed: ReturnType<typeof parse>;
    try {
        parsed = parse(argv);
    } catch (error) {
        console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
        return 2;
    }
    const { values, positionals } = parsed;
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    if (positionals.length !== 1 || positionals[0] !== "doctor") {
        console.error(`${positionals.length === 0 ? "no command given" : `unknown command: ${positionals.join(" ")}`}\n\n${USAGE}`);
        return 2;
    }
    const timeoutSeconds = Number(values.timeout);
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
        console.error(`--timeout must be a positive number of seconds (got ${values.timeout})\n\n${USAGE}`);
        return 2;
    }
    const rows = await runDoctor({ jobIds: values.job, stack: values.stack, cwd: process.cwd(), env: process.env, timeoutMs: timeoutSeconds * 1000 });
    process.stdout.write(values.json ? renderJson(rows) : renderTable(rows));
    return healthy(rows) ? 0 : 1;
}

main(process.argv.slice(2)).then(
    (code) => {
        process.exitCode = code;
    },
    (error: unknown) => {
        console.error(`pulumi-drs: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
    },
);
