/**
 * `npm run demo`: starts the bundled DRS + IAM emulator with the demo jobs, runs
 * `pulumi up` of examples/basic through the real Pulumi engine (local file
 * backend, nothing leaves this machine), streams the engine's output, prints
 * the stack outputs and the DRS calls made, then shuts everything down.
 */
import * as path from "node:path";
import { clientEnv, DEMO_JOBS, DEMO_TIMINGS, startEmulator } from "../emulator";
import { findEngine, localStack, makeProgramDir, moduleProgram, REPO_ROOT } from "./engine";

const EXAMPLE = path.join(REPO_ROOT, "dist", "examples", "basic", "index.js");

async function main(): Promise<void> {
    const engine = await findEngine();
    if (!engine) throw new Error("No Pulumi CLI found: run `npm run setup:pulumi` (builds it from Go modules into .pulumi/bin).");
    const emulator = await startEmulator({ jobs: DEMO_JOBS, timings: DEMO_TIMINGS });
    const workDir = makeProgramDir();
    let removeState = (): void => undefined;
    try {
        console.log(`DRS + IAM emulator on ${emulator.url} (loopback only), ${DEMO_JOBS.length} jobs seeded`);
        console.log(`Pulumi CLI ${engine.command.version?.toString() ?? "(version unknown)"}, local file backend\n`);
        const local = await localStack({ engine, projectName: "drs-basic", stackName: "demo", program: moduleProgram(EXAMPLE), workDir: workDir.dir, env: clientEnv(emulator, { DRS_PROGRESS_SECONDS: "1" }) });
        removeState = local.remove;
        await local.stack.setConfig("pollIntervalSeconds", { value: "1" });
        const up = await local.stack.up({ onOutput: (line) => process.stdout.write(line) });
        console.log("\nStack outputs:");
        for (const [key, output] of Object.entries(up.outputs)) console.log(`  ${key.padEnd(24)} ${JSON.stringify(output.value)}`);
        const calls = new Map<string, number>();
        for (const call of emulator.calls) calls.set(call.operation, (calls.get(call.operation) ?? 0) + 1);
        console.log(`\nDRS/IAM calls the provider made: ${[...calls].map(([op, n]) => `${op} ${n}`).join(", ")}`);
    } finally {
        removeState();
        workDir.remove();
        await emulator.close();
    }
}

main().catch((error: unknown) => {
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
});
