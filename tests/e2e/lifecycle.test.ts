import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import type { CliStack } from "../../scripts/cli";
import { useCleanups } from "../support/cleanups";
import { run } from "../support/automationRun";
import { DRS_TYPE, FAST, type Fixture, useEngine, useEngineFixtures } from "../support/e2eFixture";
import { jobId } from "../support/env";
import { exportedResources, PLUGIN_TYPE, pluginStack, programDir, yamlProgram } from "../support/pluginProject";
import { until } from "../support/until";

/** DRS calls by kind since call number `since` (IAM and the emulator's control API left out). */
function callsByKind(emu: Emulator, since = 0): string {
    const counts: Record<string, number> = {};
    for (const call of emu.calls.slice(since)) if (call.operation !== "iam-token" && call.operation !== "control") counts[call.operation] = (counts[call.operation] ?? 0) + 1;
    return Object.entries(counts)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(", ");
}

/** The recorded outputs of the DrsJobStart named `name`. */
async function recorded(f: Fixture, name: string): Promise<Record<string, unknown>> {
    const deployment = (await f.stack.exportStack()).deployment as { resources: { type: string; urn: string; outputs: Record<string, unknown> }[] };
    const resource = deployment.resources.find((r) => r.type === DRS_TYPE && r.urn.endsWith(`::${name}`));
    assert.ok(resource, `${name} is in state`);
    return resource.outputs;
}

const J = jobId(0x24_20);
const K = jobId(0x24_21);
/** The full transfer takes 10 minutes: a seeded or resumed job stays in its transfer unless a test moves it. */
const SLOW = { startingMs: 50, fullTransferMs: 600_000, fullCompleteMs: 50, releaseMs: 200 };

describe("the declared lifecycle through the CLI, dynamic door", function () {
    this.timeout(300_000);
    const fixture = useEngineFixtures();
    const log: string[] = [];
    after(() => log.length > 0 && console.log(`      lifecycle (dynamic door):\n${log.map((l) => `        ${l}`).join("\n")}`));

    it("pause -> resume round trip: preview names the call, drift both ways, one pause and one resume per up, never a second start", async () => {
        const f = await fixture({ jobs: [{ id: J, name: "orders", status: "INCRE_TRANSFER_STARTED" }], timings: SLOW });
        const declare = (extra: Record<string, unknown>) => f.setJobs([{ name: "orders", jobId: J, dbUseType: "migration", ...FAST, ...extra }]);
        await declare({});
        assert.equal((await run(f.stack.up())).code, 0);

        await declare({ runState: "paused" });
        const preview = await run(f.stack.preview({ diff: true }));
        assert.ok(preview.output.includes(`drs job ${J}: INCRE_TRANSFER_STARTED: pulumi up pauses it (batch-pause-task, pauseMode target)`), preview.output);
        let mark = f.emu.calls.length;
        const pause = await run(f.stack.up());
        assert.equal(pause.code, 0, pause.output);
        log.push(`up runState paused (1 resource): ${callsByKind(f.emu, mark)}`);
        assert.equal((await recorded(f, "orders")).status, "PAUSING");
        assert.equal(typeof (await recorded(f, "orders")).pausedAt, "string");
        assert.equal((await run(f.stack.preview({ refresh: true, expectNoChanges: true }))).code, 0, "paused as declared: no drift");

        // Resumed elsewhere: drift; up pauses it again.
        f.emu.jobs.act(J, { action: "resume" });
        const gate = await run(f.stack.preview({ refresh: true, expectNoChanges: true, diff: true }));
        assert.notEqual(gate.code, 0, "a job resumed elsewhere is drift");
        assert.match(gate.output, /~ jobStatus\s*: "INCRE_TRANSFER_STARTED" => "PAUSING or not started"/);
        assert.equal((await run(f.stack.up({ refresh: true }))).code, 0);
        assert.equal(f.emu.jobs.get(J)?.pauses, 2);

        await declare({});
        mark = f.emu.calls.length;
        const resume = await run(f.stack.up());
        assert.equal(resume.code, 0, resume.output);
        log.push(`up runState running (1 resource): ${callsByKind(f.emu, mark)}`);
        assert.equal((await recorded(f, "orders")).status, "INCRE_TRANSFER_STARTED");
        assert.deepEqual([f.emu.count("batch-pause-task"), f.emu.count("batch-retry-task"), f.emu.count("batch-starting")], [2, 1, 0]);
    });

    it("a failed job retried by up (one retry), and destroy with deletePolicy stop and delete", async () => {
        const f = await fixture({
            jobs: [
                { id: J, name: "orders", status: "INCRE_TRANSFER_STARTED" },
                { id: K, name: "customers", status: "INCRE_TRANSFER_STARTED" },
            ],
            timings: SLOW,
        });
        await f.setJobs([
            { name: "orders", jobId: J, dbUseType: "migration", retryFailed: true, deletePolicy: "stop", ...FAST },
            { name: "customers", jobId: K, dbUseType: "migration", deletePolicy: "delete", ...FAST },
        ]);
        const up = await run(f.stack.up());
        assert.equal(up.code, 0, up.output);
        assert.ok(up.output.includes(`drs job ${K}: warning: deletePolicy delete: pulumi destroy (or a replace of this resource) will stop the job by force and delete it from DRS`), up.output);

        f.emu.jobs.act(J, { action: "fail", errorCode: "DRS.M04001", errorMessage: "Binlog purged on source" });
        const retried = await run(f.stack.up({ refresh: true }));
        assert.equal(retried.code, 0, retried.output);
        assert.equal(f.emu.count("batch-retry-task"), 1, "one retry");
        assert.equal((await recorded(f, "orders")).status, "INCRE_TRANSFER_STARTED");
        log.push(`up --refresh on an INCRE_TRANSFER_FAILED job with retryFailed: batch-retry-task ${f.emu.count("batch-retry-task")}, exit ${retried.code}`);

        const mark = f.emu.calls.length;
        const destroy = await run(f.stack.destroy());
        assert.equal(destroy.code, 0, destroy.output);
        log.push(`destroy (stop + delete): ${callsByKind(f.emu, mark)}; ${J} ${f.emu.jobs.get(J)?.status}, ${K} ${f.emu.jobs.get(K)?.status ?? "gone"}`);
        assert.equal(f.emu.jobs.get(J)?.status, "RELEASE_RESOURCE_COMPLETE");
        assert.equal(f.emu.jobs.get(K), undefined, "deleted from DRS");
    });
});

describe("the declared lifecycle through the CLI, plugin door (YAML)", function () {
    this.timeout(300_000);
    const engine = useEngine({ yamlHost: true });
    const cleanups = useCleanups(afterEach);

    /** A YAML program of one `drs:index:JobStart` for J with `extra` properties, in a fresh stack against `emu`. */
    async function yamlStack(emu: Emulator, extra: Record<string, string | number | boolean>): Promise<{ stack: CliStack; declare: (more: Record<string, string | number | boolean>) => void }> {
        const fast = { pollIntervalSeconds: 0.05, timeoutSeconds: 120 };
        const program = programDir({ "Pulumi.yaml": yamlProgram([J], { ...fast, ...extra }) });
        cleanups.push(program.remove);
        const stack = await pluginStack(engine(), program.dir, emu);
        cleanups.push(() => stack.remove());
        return { stack, declare: (more) => fs.writeFileSync(path.join(program.dir, "Pulumi.yaml"), yamlProgram([J], { ...fast, ...more })) };
    }

    it("pause -> resume round trip, then destroy with deletePolicy delete: the job is gone from DRS", async () => {
        const emu = await startEmulator({ jobs: [{ id: J, name: "orders", status: "INCRE_TRANSFER_STARTED" }], timings: SLOW });
        cleanups.push(() => emu.close());
        const { stack, declare } = await yamlStack(emu, { runState: "paused", deletePolicy: "delete" });
        await stack.run(["up", "--yes", "--skip-preview"]);
        assert.equal((await stack.outputs()).status0, "PAUSING");
        declare({ deletePolicy: "delete" });
        const preview = await stack.run(["preview", "--diff"]);
        assert.ok(`${preview.stdout}${preview.stderr}`.includes(`PAUSING: pulumi up resumes it (batch-retry-task)`), preview.stdout);
        await stack.run(["up", "--yes", "--skip-preview"]);
        assert.equal((await stack.outputs()).status0, "INCRE_TRANSFER_STARTED");
        assert.deepEqual([emu.count("batch-pause-task"), emu.count("batch-retry-task"), emu.count("batch-starting")], [1, 1, 0]);
        await stack.run(["destroy", "--yes", "--skip-preview"]);
        assert.equal(emu.jobs.get(J), undefined, "deleted from DRS");
        assert.deepEqual(await exportedResources(stack, PLUGIN_TYPE), []);
    });

    it("a failed job retried by up (one retry), then destroy with deletePolicy stop: RELEASE_RESOURCE_COMPLETE", async () => {
        const emu = await startEmulator({ jobs: [{ id: J, name: "orders", status: "INCRE_TRANSFER_STARTED" }], timings: SLOW });
        cleanups.push(() => emu.close());
        const { stack } = await yamlStack(emu, { retryFailed: true, deletePolicy: "stop" });
        const up = await stack.run(["up", "--yes", "--skip-preview"]);
        assert.ok(`${up.stdout}${up.stderr}`.includes(`drs job ${J}: warning: deletePolicy stop`), up.stdout);
        emu.jobs.act(J, { action: "fail", errorCode: "DRS.M04001", errorMessage: "Binlog purged on source" });
        await stack.run(["up", "--yes", "--skip-preview", "--refresh"]);
        assert.equal((await stack.outputs()).status0, "INCRE_TRANSFER_STARTED");
        assert.deepEqual([emu.count("batch-retry-task"), emu.count("batch-starting")], [1, 0], "one retry, no start");
        await stack.run(["destroy", "--yes", "--skip-preview"]);
        assert.equal(emu.jobs.get(J)?.status, "RELEASE_RESOURCE_COMPLETE");
        assert.deepEqual(
            emu.calls.filter((c) => c.operation === "batch-jobs").map((c) => (c.body as { jobs: { delete_type: string }[] }).jobs[0].delete_type),
            ["terminate"],
        );
    });

    /** `pulumi up` of `stack` as a terminal's foreground job (its own process group), with its output. */
    function upInOwnGroup(stack: CliStack): { pid: number; exited: Promise<number | null>; output: () => string } {
        const cli = spawn(engine().command.command, ["up", "--yes", "--skip-preview", "--stack", stack.name, "--non-interactive"], { cwd: stack.dir, env: { ...process.env, ...stack.env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        cli.stdout.on("data", (d: Buffer) => (output += d.toString()));
        cli.stderr.on("data", (d: Buffer) => (output += d.toString()));
        return { pid: cli.pid!, exited: new Promise((resolve) => cli.once("close", (code) => resolve(code))), output: () => output };
    }

    /** Sends one Ctrl-C to `cli`'s group; returns how soon the CLI exited and the last DRS call came after it (ms). */
    async function interrupt(emu: Emulator, cli: ReturnType<typeof upInOwnGroup>): Promise<{ exitedAfterMs: number; lastMs: number }> {
        const interruptedAt = Date.now();
        process.kill(-cli.pid, "SIGINT");
        await cli.exited;
        const exitedAfterMs = Date.now() - interruptedAt;
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const after = emu.calls.filter((c) => c.operation !== "control" && c.at >= interruptedAt).map((c) => c.at - interruptedAt);
        return { exitedAfterMs, lastMs: after.length > 0 ? Math.max(...after) : 0 };
    }

    it("Ctrl-C while a pause is refused as busy and backs off: up ends within 5 s and sends no further pause", async () => {
        const emu = await startEmulator({ jobs: [{ id: J, name: "orders", status: "INCRE_TRANSFER_STARTED" }], timings: SLOW });
        cleanups.push(() => emu.close());
        emu.jobs.actAsOther(J, { kind: "busy", times: 100, call: "pause" });
        const { stack } = await yamlStack(emu, { runState: "paused" });
        const cli = upInOwnGroup(stack);
        await until(() => emu.count("batch-pause-task") >= 2);
        const pausesAtInterrupt = emu.count("batch-pause-task");
        const { exitedAfterMs, lastMs } = await interrupt(emu, cli);
        console.log(`      plugin door, pause backoff: the CLI exited ${exitedAfterMs} ms after one Ctrl-C; the last DRS call ${lastMs} ms after it`);
        assert.ok(exitedAfterMs < 5_000 && lastMs < 5_000, cli.output());
        assert.equal(emu.count("batch-pause-task"), pausesAtInterrupt, "no pause after the Ctrl-C");
        assert.match(cli.output(), new RegExp(`DRS job ${J}: the pause cancelled \\(the deployment was interrupted\\) while DRS refused it as busy`));
        assert.equal(emu.jobs.get(J)?.status, "INCRE_TRANSFER_STARTED");
    });

    it("Ctrl-C during the wait after a resume ends it within 5 s; the job is kept in state and the next up resumes nothing twice", async () => {
        // Paused in its full transfer (10 minutes): after the resume only the cancel can end the wait early.
        const emu = await startEmulator({ jobs: [{ id: J, name: "orders", status: "FULL_TRANSFER_STARTED" }], timings: SLOW });
        cleanups.push(() => emu.close());
        emu.jobs.act(J, { action: "pause" });
        const { stack } = await yamlStack(emu, {});
        const cli = upInOwnGroup(stack);
        await until(() => emu.count("batch-retry-task") === 1 && emu.count("batch-status") >= 3);
        const { exitedAfterMs, lastMs } = await interrupt(emu, cli);
        console.log(`      plugin door, resume wait: the CLI exited ${exitedAfterMs} ms after one Ctrl-C; the last DRS call ${lastMs} ms after it`);
        const output = cli.output();
        assert.ok(lastMs < 5_000 && exitedAfterMs < 5_000, output);
        assert.match(output, new RegExp(`DRS job ${J}: wait for INCRE_TRANSFER_STARTED cancelled`));
        const [kept] = await exportedResources(stack, PLUGIN_TYPE);
        assert.equal(kept?.outputs.status, "FULL_TRANSFER_STARTED");
        emu.jobs.setStatus(J, "INCRE_TRANSFER_STARTED");
        await stack.run(["up", "--yes", "--skip-preview"]);
        assert.deepEqual([emu.count("batch-retry-task"), emu.count("batch-starting")], [1, 0], "resumed once, never started");
    });
});
