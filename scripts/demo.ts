/**
 * `npm run demo`: what a user types. Starts the bundled DRS + IAM emulator with
 * the demo jobs and runs the project at the repository root (its Pulumi.yaml
 * runs examples/basic's program) through the Pulumi CLI and its Node.js
 * language host: `pulumi stack init demo` and `pulumi up`, streaming the
 * CLI's own output (a temp local file backend: nothing leaves this machine,
 * nothing in the repository is written). Then prints the stack outputs, the
 * DRS calls made and how to run the same project by hand, and removes the
 * stack and the emulator.
 */
import { clientEnv, DEMO_JOBS, DEMO_TIMINGS, startEmulator } from "../emulator";
import { CliStack } from "./cli";
import { findEngine, REPO_ROOT } from "./engine";

async function main(): Promise<void> {
    const engine = await findEngine();
    if (!engine) throw new Error("No Pulumi CLI found: run `npm run setup:pulumi` (builds it from Go modules into .pulumi/bin).");
    if (!engine.languageHost) throw new Error("No Node.js language host (pulumi-language-nodejs) found: run `npm run setup:pulumi`.");
    const emulator = await startEmulator({ jobs: DEMO_JOBS, timings: DEMO_TIMINGS });
    let stack: CliStack | undefined;
    try {
        console.log(`DRS + IAM emulator on ${emulator.url} (loopback only), ${DEMO_JOBS.length} jobs seeded`);
        console.log(`Pulumi CLI ${engine.command.version?.toString() ?? "(version unknown)"}, language host ${engine.languageHost}, local file backend`);
        console.log(`Project ${REPO_ROOT} (Pulumi.yaml: examples/basic's program)\n`);
        // The stack's settings file goes to the temp backend: the repository is not written to.
        stack = await CliStack.init(engine, REPO_ROOT, "demo", { settingsOutside: true, env: clientEnv(emulator, { DRS_PROGRESS_SECONDS: "1" }) });
        await stack.setConfig("pollIntervalSeconds", "1");
        console.log("$ pulumi up --yes --stack demo");
        await stack.run(["up", "--yes"], { echo: true });
        const calls = new Map<string, number>();
        for (const call of emulator.calls) calls.set(call.operation, (calls.get(call.operation) ?? 0) + 1);
        console.log(`\nDRS/IAM calls the provider made: ${[...calls].map(([op, n]) => `${op} ${n}`).join(", ")}`);
        console.log('\nThis was the project at the repository root: run it yourself (preview, up, refresh, destroy) as README.md\'s "The demo, by hand" shows.');
    } finally {
        stack?.remove();
        await emulator.close();
    }
}

main().catch((error: unknown) => {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
});
