#!/usr/bin/env node
import { parseArgs } from "node:util";
import { DEMO_JOBS } from "./demoJobs";
import { DEMO_TIMINGS } from "./jobs";
import { DEFAULT_USER, startEmulator } from "./server";

const HELP = `npm run emulator [-- --port N] [--no-seed] [--help]

Serves the DRS + IAM emulator on 127.0.0.1 until Ctrl-C, and prints the
variables that point pulumi-drs (or any DRS client) at it, ready to paste.

  --port N     listen on port N (default 8900; 0 picks a free port)
  --no-seed    start with no jobs (seed them over /__emulator/jobs, docs/emulator.md)
  --help       this text`;

/** A value as a POSIX shell reads it back verbatim: single-quoted. */
function shellQuote(value: string): string {
    return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `npm run emulator [-- --port N] [--no-seed] [--help]`: serve the emulator until Ctrl-C. */
async function main(): Promise<void> {
    const { values } = parseArgs({
        options: { port: { type: "string", default: "8900" }, "no-seed": { type: "boolean", default: false }, help: { type: "boolean", default: false } },
    });
    if (values.help) {
        console.log(HELP);
        return;
    }
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a TCP port (got ${values.port})`);
    const emulator = await startEmulator({ port, timings: DEMO_TIMINGS, jobs: values["no-seed"] ? [] : DEMO_JOBS });
    console.log(`DRS + IAM emulator listening on ${emulator.url} (loopback only, 127.0.0.1)`);
    console.log(`  export DRS_ENDPOINT=${emulator.url}`);
    console.log(`  export OS_AUTH_URL=${emulator.authUrl} OS_PROJECT_ID=${emulator.projectId}`);
    // The emulator's public demo password (only the emulator accepts it; the README prints it too).
    console.log(`  export OS_USERNAME=${shellQuote(DEFAULT_USER.name)} OS_DOMAIN_NAME=${shellQuote(DEFAULT_USER.domain)} OS_PASSWORD=${shellQuote(DEFAULT_USER.password)}`);
    console.log(`Seeded jobs: ${values["no-seed"] ? "none" : DEMO_JOBS.map((j) => `${j.id} (${j.name})`).join(", ")}`);
    const stop = () => void emulator.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
    console.error(String(error));
    process.exit(1);
});
