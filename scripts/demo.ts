/**
 * `npm run demo`: what a user types. Starts the bundled DRS + IAM emulator with
 * the demo jobs, lays out a project directory from examples/basic (its own
 * Pulumi.yaml, index.ts and package.json, pulumi-drs linked in as an install of
 * this repository), and runs `pulumi stack init` and `pulumi up` there through
 * the Pulumi CLI and its Node.js language host, streaming the CLI's own output
 * (local file backend: nothing leaves this machine). Then prints the stack
 * outputs and the DRS calls made, and removes everything.
 */
import { clientEnv, DEMO_JOBS, DEMO_TIMINGS, startEmulator } from "../emulator";
import { CliStack } from "./cli";
import { exampleProjectDir, findEngine } from "./engine";

async function main(): Promise<void> {
    const engine = await findEngine();
    if (!engine) throw new Error("No Pulumi CLI found: run `npm run setup:pulumi` (builds it from Go modules into .pulumi/bin).");
    if (!engine.languageHost) throw new Error("No Node.js language host (pulumi-language-nodejs) found: run `npm run setup:pulumi`.");
    const emulator = await startEmulator({ jobs: DEMO_JOBS, timings: DEMO_TIMINGS });
    const project = exampleProjectDir("basic");
    let stack: CliStack | undefined;
    try {
        console.log(`DRS + IAM emulator on ${emulator.url} (loopback only), ${DEMO_JOBS.length} jobs seeded`);
        console.log(`Pulumi CLI ${engine.command.version?.toString() ?? "(version unknown)"}, language host ${engine.languageHost}, local file backend`);
        console.log(`Project directory ${project.dir} (examples/basic)\n`);
        stack = await CliStack.init(engine, project.dir, "demo", { env: clientEnv(emulator, { DRS_PROGRESS_SECONDS: "1" }) });
        await stack.setConfig("pollIntervalSeconds", "1");
        console.log("$ pulumi up --yes --stack demo");
        await stack.run(["up", "--yes"], { echo: true });
        const calls = new Map<string, number>();
        for (const call of emulator.calls) calls.set(call.operation, (calls.get(call.operation) ?? 0) + 1);
        console.log(`\nDRS/IAM calls the provider made: ${[...calls].map(([op, n]) => `${op} ${n}`).join(", ")}`);
    } finally {
        stack?.remove();
        project.remove();
        await emulator.close();
    }
}

main().catch((error: unknown) => {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
});
