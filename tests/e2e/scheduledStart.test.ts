import { strict as assert } from "node:assert";
import { type Emulator, startEmulator } from "../../emulator";
import { CliStack } from "../../scripts/cli";
import { setEmulatorConfig } from "../support/consumer";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { dynamicProgramDir, pluginStack, programDir, yamlProgram } from "../support/pluginProject";
import { until } from "../support/until";

const JOB = "140b5236-88ad-43c8-811c-1268453jb101";
/** The start is this far ahead when `up` runs: `up` must return long before it. */
const AHEAD_MS = 45_000;
/** DRS_START_GRACE_SECONDS for these stacks: a job still waiting this long after its time is a missed start. */
const GRACE_SECONDS = 2;

/**
 * `waitFor: "scheduled"` through the CLI, on both doors: `up` returns at
 * WAITING_FOR_START with one start, the drift gate (`preview --refresh
 * --expect-no-changes`) is green while the job waits, and red once the start
 * time passed (plus the grace) without a start; `up --refresh` then fails
 * naming the job, with no second start.
 */
describe("waitFor scheduled through the CLI", function () {
    this.timeout(300_000);
    const engine = useEngine({ languageHost: true, yamlHost: true });
    const cleanups = useCleanups(afterEach);

    const doors: { name: string; statusOutput: string; stack(emu: Emulator, startTime: string): Promise<CliStack> }[] = [
        {
            name: "dynamic door (TypeScript)",
            statusOutput: "status",
            async stack(emu, startTime) {
                const program = dynamicProgramDir("drs-scheduled", JOB, 0.1, { startTime, waitFor: "scheduled" });
                cleanups.push(program.remove);
                const stack = await CliStack.init(engine(), program.dir, "dev", { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true", DRS_START_GRACE_SECONDS: String(GRACE_SECONDS) } });
                cleanups.push(() => stack.remove());
                await setEmulatorConfig(stack, emu);
                return stack;
            },
        },
        {
            name: "plugin door (YAML)",
            statusOutput: "status0",
            async stack(emu, startTime) {
                const program = programDir({ "Pulumi.yaml": yamlProgram([JOB], { pollIntervalSeconds: 0.1, timeoutSeconds: 60, startTime, waitFor: "scheduled" }) });
                cleanups.push(program.remove);
                const stack = await pluginStack(engine(), program.dir, emu, { env: { DRS_START_GRACE_SECONDS: String(GRACE_SECONDS) } });
                cleanups.push(() => stack.remove());
                return stack;
            },
        },
    ];

    for (const door of doors) {
        it(`${door.name}: up returns at WAITING_FOR_START, the drift gate is green before the start and red once it was missed`, async () => {
            const emu = await startEmulator({ jobs: [{ id: JOB, name: "orders" }] });
            cleanups.push(() => emu.close());
            const at = Date.now() + AHEAD_MS;
            const startTime = new Date(at).toISOString();
            const stack = await door.stack(emu, startTime);

            const up = await stack.run(["up", "--yes", "--skip-preview"]);
            assert.ok(Date.now() < at, `up returned ${Date.now() - at} ms after the start time:\n${up.stdout}`);
            assert.equal(emu.jobs.get(JOB)?.status, "WAITING_FOR_START");
            assert.equal(emu.count("batch-starting"), 1);
            assert.equal((await stack.outputs())[door.statusOutput], "WAITING_FOR_START");
            // On the plugin door the line reaches the CLI through the engine's Log service, on its resource.
            assert.match(up.stdout + up.stderr, new RegExp(`DRS starts it at ${startTime.replace(/\./g, "\\.")}`));

            const gate = ["preview", "--refresh", "--expect-no-changes", "--diff"];
            const green = await stack.run(gate, { allowFailure: true });
            assert.equal(green.code, 0, `drift gate before the start:\n${green.stdout}${green.stderr}`);

            // DRS lost the schedule: the job waits for ever.
            emu.jobs.setStatus(JOB, "WAITING_FOR_START");
            await until(() => Date.now() > at + GRACE_SECONDS * 1000 + 500);
            const red = await stack.run(gate, { allowFailure: true });
            assert.notEqual(red.code, 0, `drift gate after a missed start:\n${red.stdout}`);
            assert.match(red.stdout, /jobStatus\s*:\s*"WAITING_FOR_START after its startTime [0-9T:.-]+Z" => "WAITING_FOR_START or started"/);

            const failed = await stack.run(["up", "--yes", "--refresh", "--skip-preview"], { allowFailure: true });
            assert.notEqual(failed.code, 0);
            assert.match(failed.stdout + failed.stderr, new RegExp(`DRS job ${JOB}: did not start at its startTime`));
            assert.equal(emu.count("batch-starting"), 1, "no second start");
        });
    }
});
