import { strict as assert } from "node:assert";
import { setEmulatorConfig } from "../support/consumer";
import { type CliResult, CliStack } from "../../scripts/cli";
import { jobStatusFamily } from "../../provider/wait/jobStatusFamily";
import { useCleanups } from "../support/cleanups";
import { runCli } from "../support/doctorCli";
import { DRS_TYPE, useEngine } from "../support/e2eFixture";
import { exportedResources } from "../support/pluginProject";
import { type AcceptanceTarget, acceptanceProgramDir, acceptanceTarget, describeTarget } from "./target";

/** A job as `pulumi-drs doctor --json` saw it. */
interface SeenJob {
    readonly result: string;
    readonly status: string;
    readonly detail: string;
}

/** The DRS calls that only read, IAM tokens included (batch-starting is the one that acts on a job). */
const READS = new Set(["iam-token", "batch-status", "batch-progress", "list-jobs"]);

/**
 * The acceptance suite (docs/acceptance.md): real scenarios through the
 * Pulumi CLI and `pulumi-drs doctor` on a program directory, against the
 * emulator (default, CI) or the cloud the environment names
 * (`DRS_ACCEPTANCE=1`). Read-only unless a job to start is named. The
 * scenarios build on each other, in order: adopt, refresh, drift check,
 * destroy on one stack; start on another.
 */
describe("acceptance: scenarios through the CLI against the endpoint the environment names", function () {
    this.timeout(300_000);
    const engine = useEngine({ languageHost: true });
    const cleanups = useCleanups(after);
    let target: AcceptanceTarget;
    let programDir: string;
    /** The stack that adopts the running job, made by the first scenario that needs it. */
    let adopting: CliStack | undefined;
    /** The running job's status before the suite touched it. */
    let statusBefore: string;

    before(async () => {
        target = await acceptanceTarget(process.env);
        const emu = target.mode === "emulator" ? target.emu : undefined;
        if (emu) cleanups.push(() => emu.close());
        console.log(`      acceptance target: ${describeTarget(target, process.env)}`);
        const program = acceptanceProgramDir();
        cleanups.push(program.remove);
        programDir = program.dir;
    });

    /** `id`, or (cloud mode without it) a skip that prints `reason`. */
    function jobOrSkip(ctx: Mocha.Context, id: string | undefined, reason: string): string {
        if (id !== undefined) return id;
        console.log(`      (skipped: ${reason})`);
        return ctx.skip();
    }

    const runningJob = (ctx: Mocha.Context) => jobOrSkip(ctx, target.runningJobId, "DRS_ACCEPTANCE_RUNNING_JOB_ID is not set: name a replicating job (INCRE_TRANSFER_STARTED) the suite may adopt, refresh and forget; it is never started or stopped");

    /** A stack `name` of the program for `jobId`: emulator settings in its drs:* config (cloud: the OS_* environment), the target's wait settings. */
    async function stackFor(name: string, jobId: string): Promise<CliStack> {
        const stack = await CliStack.init(engine(), programDir, name);
        cleanups.push(() => stack.remove());
        if (target.mode === "emulator") await setEmulatorConfig(stack, target.emu);
        await stack.setConfigs({ jobId, ...target.config });
        return stack;
    }

    /** `pulumi-drs doctor --json --job <id> --stack <name>` in the program directory, as a user runs it before `up`. */
    async function doctor(stack: CliStack, jobId: string): Promise<SeenJob> {
        const run = await runCli(["doctor", "--json", "--job", jobId, "--stack", stack.name], { ...(process.env as Record<string, string>), ...stack.env }, stack.dir);
        assert.equal(run.code, 0, `doctor failed:\n${run.stdout}${run.stderr}`);
        const report = JSON.parse(run.stdout) as { checks: { check: string; result: string; detail: string }[] };
        const job = report.checks.find((c) => c.check === `job ${jobId}`);
        assert.ok(job, `the doctor reports job ${jobId}:\n${run.stdout}`);
        return { result: job.result, status: job.detail.split(" ")[0], detail: job.detail };
    }

    /** Everything one CLI run printed. */
    const printed = (run: CliResult) => `${run.stdout}${run.stderr}`;

    /** Emulator mode: how many start calls DRS received so far. */
    const starts = () => (target.mode === "emulator" ? target.emu.count("batch-starting") : undefined);

    it("doctor: the settings, credentials and project pass, and the running job is seen replicating", async function () {
        const jobId = runningJob(this);
        adopting = await stackFor("adopt", jobId);
        const seen = await doctor(adopting, jobId);
        assert.equal(seen.result, "ok", seen.detail);
        assert.equal(jobStatusFamily(seen.status), "target", `job ${jobId} is not replicating: ${seen.detail}`);
        statusBefore = seen.status;
    });

    it("adopt: pulumi up records the running job and starts nothing", async function () {
        const jobId = runningJob(this);
        assert.ok(adopting, "the doctor scenario made the stack");
        const up = await adopting.run(["up", "--yes"]);
        assert.ok(printed(up).includes(`drs job ${jobId}: already ${statusBefore}: adopted, not started`), printed(up));
        assert.equal(jobStatusFamily(String((await adopting.outputs()).status)), "target");
        assert.equal((await exportedResources(adopting, DRS_TYPE)).length, 1);
        if (target.mode === "emulator") assert.equal(starts(), 0, "no batch-starting call");
    });

    it("refresh: reads the job from DRS, quietly (no error, no warning, no start)", async function () {
        runningJob(this);
        assert.ok(adopting);
        const refresh = await adopting.run(["refresh", "--yes"]);
        assert.doesNotMatch(printed(refresh), /\berror\b|\bwarning\b/i, printed(refresh));
        const [resource] = await exportedResources(adopting, DRS_TYPE);
        assert.equal(jobStatusFamily(String(resource.outputs.status)), "target");
        if (target.mode === "emulator") assert.equal(starts(), 0);
    });

    it("drift check: pulumi preview --refresh --expect-no-changes passes for the running job", async function () {
        runningJob(this);
        assert.ok(adopting);
        const preview = await adopting.run(["preview", "--refresh", "--expect-no-changes"], { allowFailure: true });
        assert.equal(preview.code, 0, `a drift check of an unchanged job must pass:\n${printed(preview)}`);
        if (target.mode === "emulator") assert.equal(starts(), 0);
    });

    it("destroy: forgets the job, which keeps running in DRS", async function () {
        const jobId = runningJob(this);
        assert.ok(adopting);
        await adopting.run(["destroy", "--yes"]);
        assert.equal((await exportedResources(adopting, DRS_TYPE)).length, 0, "nothing left in state");
        const after = await doctor(adopting, jobId);
        assert.equal(jobStatusFamily(after.status), "target", `job ${jobId} still replicates after destroy: ${after.detail}`);
        if (target.mode === "emulator") {
            assert.equal(target.emu.jobs.get(jobId)?.status, "INCRE_TRANSFER_STARTED");
            // Besides DRS calls, only the doctor's reachability probe (a GET of the endpoint's root, answered 404).
            const others = target.emu.calls.filter((call) => !READS.has(call.operation) && !(call.operation === "unknown" && call.path === "/"));
            assert.deepEqual(others, [], "adopt, refresh, drift check and destroy only read");
        }
    });

    it("start: pulumi up starts the configured job once and waits until it replicates; destroy leaves it running", async function () {
        const jobId = jobOrSkip(this, target.startJobId, "DRS_ACCEPTANCE_START_JOB_ID is not set: the suite starts no job in the cloud (a started job bills); name a configured job (CONFIGURATION) you give up to it");
        this.timeout(target.waitMs + 300_000);
        const stack = await stackFor("start", jobId);
        const before = await doctor(stack, jobId);
        assert.equal(before.status, "CONFIGURATION", `the job to start must be configured and not started: ${before.detail}`);
        assert.match(before.detail, /available actions: .*\bSTART\b/, "DRS allows START");
        const startsBefore = starts();
        const up = await stack.run(["up", "--yes"]);
        assert.equal(String((await stack.outputs()).status), "INCRE_TRANSFER_STARTED", printed(up));
        if (target.mode === "emulator") {
            assert.equal(starts(), (startsBefore ?? 0) + 1, "one batch-starting call");
            assert.equal(target.emu.jobs.get(jobId)?.starts, 1);
        }
        await stack.run(["destroy", "--yes"]);
        const after = await doctor(stack, jobId);
        assert.equal(jobStatusFamily(after.status), "target", `job ${jobId} still replicates after destroy: ${after.detail}`);
    });
});
