import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { DEFAULT_ACCESS_KEY, DEMO_JOBS, type Emulator, startEmulator } from "../../emulator";
import { type MaintenanceWindowConfig, WEEKDAYS } from "../../policy/policies/maintenanceWindow";
import { type CliResult, CliStack, runPulumi } from "../../scripts/cli";
import { ENGINE_ROOT, exampleProjectDir, REPO_ROOT } from "../../scripts/engine";
import { npmEnv } from "../support/consumer";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";

/*
 * examples/gitops-pipeline's workflow, run job by job against the emulator: each
 * step as GitHub Actions would run it, in a temp copy of the repository layout
 * the workflow expects. A step this file cannot run fails the test.
 */

const EXAMPLE = path.join(REPO_ROOT, "examples", "gitops-pipeline");
const WORKFLOW_FILE = path.join(EXAMPLE, ".github", "workflows", "drs-rollout.yml");

/** One step of a job, as the workflow file holds it. */
interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly with?: Record<string, unknown>;
    readonly run?: string;
    readonly "working-directory"?: string;
}

/** One job of the workflow. */
interface Job {
    readonly if?: string;
    /** GitHub cancels the job after this long: every job of the workflow must set it, and the run must fit in it. */
    readonly "timeout-minutes"?: number;
    readonly steps: readonly Step[];
}

/** The parts of the workflow file this test runs. */
interface Workflow {
    readonly env: Record<string, string>;
    readonly jobs: Record<string, Job>;
}

/** Keys a step may have here; any other (step `env:`, `if:`, `shell:`, ...) fails the test rather than being ignored. */
const STEP_KEYS = new Set(["name", "uses", "with", "run", "working-directory"]);

/**
 * Actions that do nothing here. actions/checkout: the temp layout is the
 * checkout. actions/setup-node: the CLI and npm run on this process's Node.js.
 */
const NO_OP_ACTIONS = new Set(["actions/checkout", "actions/setup-node"]);

/**
 * Once `up` returned at WAITING_FOR_START, the emulator's clock is moved this
 * far ahead of the real one, so the start the stack scheduled (5 minutes
 * ahead, inside the maintenance window) is due at once instead of 5 minutes
 * later. The provider and the pack keep the real clock; a signed request's
 * date may be 15 minutes off.
 */
const EMULATOR_AHEAD_MS = 10 * 60_000;

/**
 * The workflow's `env:` names, mapped to the emulator's. A name not listed
 * here fails the test. The file backend (CliStack's PULUMI_BACKEND_URL)
 * stands for Pulumi Cloud, so PULUMI_ACCESS_TOKEN maps to nothing.
 */
const ENV_MAP: Record<string, (emu: Emulator, value: string) => Record<string, string>> = {
    PULUMI_ACCESS_TOKEN: () => ({}),
    OS_ACCESS_KEY: () => ({ OS_ACCESS_KEY: DEFAULT_ACCESS_KEY.accessKey }),
    OS_SECRET_KEY: () => ({ OS_SECRET_KEY: DEFAULT_ACCESS_KEY.secretKey }),
    OS_PROJECT_ID: (emu) => ({ OS_PROJECT_ID: emu.projectId }),
    // The region as written; its DRS and IAM endpoints are the emulator.
    OS_REGION_NAME: (emu, region) => ({ OS_REGION_NAME: region, DRS_ENDPOINT: emu.url, OS_AUTH_URL: emu.authUrl }),
};

/** The job ids of Pulumi.prod.yaml by name (the emulator is seeded with DEMO_JOBS, which holds them). */
const DEMO_ID = Object.fromEntries(DEMO_JOBS.map((job) => [job.name, job.id]));

/** How one job ended: the exit code of its failed step (0 when all passed) and everything its steps printed. */
interface JobOutcome {
    readonly code: number | null;
    readonly output: string;
}

/** Runs `command args` in `cwd` with `env`, collecting its output. */
function spawnCollect(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    });
}

/** True when job `job` runs on event `event`: its `if:` must be `github.event_name == '...'` terms joined by `||`. */
function runsOn(job: Job, event: string): boolean {
    const terms = (job.if ?? "").split("||").map((term) => /^\s*github\.event_name == '([a-z_]+)'\s*$/.exec(term)?.[1]);
    assert.ok(
        terms.every((term) => term !== undefined),
        `cannot read the job condition ${JSON.stringify(job.if)}`,
    );
    return terms.includes(event);
}

/**
 * The maintenance window of the example's policy-config.json moved to the
 * hour (UTC) that holds `startTime`, so that the start is scheduled minutes
 * ahead, not on the next weekend; the rest of the pack config is the example's.
 */
function packConfigAround(startTime: Date): string {
    const config = JSON.parse(fs.readFileSync(path.join(EXAMPLE, "policy-config.json"), "utf8")) as Record<string, object>;
    const hour = startTime.getUTCHours();
    const window: Partial<MaintenanceWindowConfig> = { days: [WEEKDAYS[startTime.getUTCDay()]], startHour: hour, endHour: hour + 1, timeZone: "UTC" };
    return JSON.stringify({ ...config, "maintenance-window": { ...config["maintenance-window"], ...window } }, null, 2);
}

/**
 * The repository the workflow expects, in a temp dir: infra/drs is the example
 * laid out as a user's project (exampleProjectDir: package.json, pulumi-drs
 * linked in as in the other directory tests) with its Pulumi.prod.yaml and
 * policy config; infra/drs/policy is this repository's pack, sources only,
 * with its dependencies linked to this repository's node_modules.
 */
function repositoryLayout(startTime: Date): { root: string; remove(): void } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "drs-gitops-repo-"));
    const drs = path.join(root, "infra", "drs");
    fs.mkdirSync(path.dirname(drs));
    fs.renameSync(exampleProjectDir("gitops-pipeline").dir, drs);
    fs.copyFileSync(path.join(EXAMPLE, "Pulumi.prod.yaml"), path.join(drs, "Pulumi.prod.yaml"));
    fs.writeFileSync(path.join(drs, "policy-config.json"), packConfigAround(startTime));
    const policySource = path.join(REPO_ROOT, "policy");
    const policy = path.join(drs, "policy");
    fs.cpSync(policySource, policy, { recursive: true, filter: (source) => !/^(bin|node_modules)(\/|$)/.test(path.relative(policySource, source)) });
    fs.mkdirSync(path.join(policy, "node_modules", ".bin"), { recursive: true });
    for (const dependency of ["@pulumi", "@types", "typescript"]) fs.symlinkSync(path.join(REPO_ROOT, "node_modules", dependency), path.join(policy, "node_modules", dependency), "dir");
    fs.symlinkSync(path.join("..", "typescript", "bin", "tsc"), path.join(policy, "node_modules", ".bin", "tsc"));
    return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

describe("gitops-pipeline: the workflow's jobs, step by step, against the emulator", function () {
    this.timeout(300_000);
    const engine = useEngine({ languageHost: true });
    const cleanups = useCleanups(after);

    const workflow = parse(fs.readFileSync(WORKFLOW_FILE, "utf8")) as Workflow;

    /**
     * A `pulumi/actions` step as the CLI command its inputs stand for (the
     * action drives the CLI through the Automation API: `up` is
     * `up --yes --skip-preview`, `refresh` is `refresh --yes --skip-preview`).
     * An input not listed fails the test.
     */
    function pulumiActionCommand(inputs: Record<string, unknown>, root: string): { cwd: string; args: string[] } {
        let cwd = root;
        const args: string[] = [];
        for (const [input, value] of Object.entries(inputs)) {
            const text = String(value);
            switch (input) {
                case "command":
                    assert.ok(text === "preview" || text === "up" || text === "refresh", `pulumi/actions command ${text}`);
                    args.unshift(...(text === "preview" ? ["preview"] : [text, "--yes", "--skip-preview"]));
                    break;
                case "stack-name":
                    args.push("--stack", text);
                    break;
                case "work-dir":
                    cwd = path.join(root, text);
                    break;
                case "parallel":
                    args.push("--parallel", text);
                    break;
                case "refresh":
                case "expect-no-changes":
                case "diff":
                    if (value === true) args.push(`--${input}`);
                    break;
                case "policyPacks":
                    // The Node.js language host built here (sdk/v3 v3.68.0) cannot run a pack
                    // directory ("could not read plugin ... not supported"): with it, the pack
                    // runs through its binary-analyzer launcher; any other host gets the directory.
                    for (const pack of text.split("\n").filter(Boolean)) args.push("--policy-pack", packArgument(path.join(root, pack)));
                    break;
                case "policyPackConfigs":
                    for (const file of text.split("\n").filter(Boolean)) args.push("--policy-pack-config", path.join(root, file));
                    break;
                case "comment-on-pr":
                    // Ignored: there is no pull request to comment on; the output is asserted instead.
                    break;
                default:
                    assert.fail(`pulumi/actions input ${input} has no CLI mapping in this test`);
            }
        }
        assert.ok(args[0] === "preview" || args[0] === "up" || args[0] === "refresh", "pulumi/actions step without a command");
        return { cwd, args: [...args, "--non-interactive"] };
    }

    /** The `--policy-pack` argument for the pack directory `dir` under this engine's language host. */
    function packArgument(dir: string): string {
        return engine().languageHost?.startsWith(ENGINE_ROOT) ? path.join(dir, "run-analyzer") : dir;
    }

    /** A prod stack of the layout against a fresh emulator, its environment mapped from the workflow's. */
    async function setUp(): Promise<{ emu: Emulator; stack: CliStack; root: string; passStartTime(): void }> {
        let ahead = 0;
        const emu = await startEmulator({ jobs: DEMO_JOBS, now: () => Date.now() + ahead });
        cleanups.push(() => emu.close());
        const startTime = new Date(Math.ceil((Date.now() + 5 * 60_000) / 1000) * 1000);
        const layout = repositoryLayout(startTime);
        cleanups.push(layout.remove);
        const env: Record<string, string> = {};
        for (const [name, value] of Object.entries(workflow.env)) {
            const map = ENV_MAP[name];
            assert.ok(map, `workflow env ${name} has no emulator mapping in this test`);
            Object.assign(env, map(emu, value));
        }
        // `npm run build` type-checks the example (tsc -p .); here the runtime only transpiles.
        env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
        // The stack exists before the workflow runs (the action does not create it).
        const stack = await CliStack.init(engine(), path.join(layout.root, "infra", "drs"), "prod", { env });
        cleanups.push(() => stack.remove());
        // The pull request that rolls the jobs out schedules their start inside the window.
        await stack.setConfig("startTime", startTime.toISOString());
        return { emu, stack, root: layout.root, passStartTime: () => (ahead = EMULATOR_AHEAD_MS) };
    }

    /** Runs the one job of the workflow that `event` triggers, which must be `name`, step by step, stopping at the first failed step. */
    async function runJob(event: string, name: string, stack: CliStack, root: string): Promise<JobOutcome> {
        assert.deepEqual(
            Object.keys(workflow.jobs).filter((job) => runsOn(workflow.jobs[job], event)),
            [name],
            `jobs on ${event}`,
        );
        const limitMinutes = workflow.jobs[name]["timeout-minutes"];
        assert.ok(typeof limitMinutes === "number" && limitMinutes > 0, `${name}: timeout-minutes must bound the job`);
        const began = Date.now();
        let output = "";
        for (const [index, step] of workflow.jobs[name].steps.entries()) {
            const where = `${name} step ${index + 1} (${step.name ?? step.uses ?? step.run})`;
            const unknownKeys = Object.keys(step).filter((key) => !STEP_KEYS.has(key));
            assert.deepEqual(unknownKeys, [], `${where}: keys this test cannot run`);
            let result: CliResult;
            if (step.run !== undefined) {
                // As written, in GitHub's default shell, except `npm ci`, which runs as `npm ls`: node_modules
                // is prepared (linked to this repository's install, as in the other directory tests), and
                // `npm ls` fails unless it holds what package.json declares. A real `npm ci` would download
                // (the test stays offline) and, through the links, rewrite this repository's node_modules.
                const script = step.run.replace(/\bnpm ci\b/g, "npm ls");
                const cwd = path.join(root, step["working-directory"] ?? ".");
                result = await spawnCollect("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd, { ...npmEnv(), ...stack.env });
            } else {
                const [action, version] = (step.uses ?? "").split("@");
                assert.ok(version, `${where}: a step must be \`run:\` or \`uses: <action>@<version>\``);
                if (NO_OP_ACTIONS.has(action)) continue;
                assert.equal(action, "pulumi/actions", `${where}: no mapping for ${action} in this test`);
                const { cwd, args } = pulumiActionCommand(step.with ?? {}, root);
                result = await runPulumi(engine(), args, cwd, stack.env, { allowFailure: true });
            }
            output += `--- ${where}\n${result.stdout}${result.stderr}`;
            if (result.code !== 0) return { code: result.code, output };
        }
        assert.ok(Date.now() - began < limitMinutes * 60_000, `${name} outlasted its timeout-minutes ${limitMinutes}`);
        return { code: 0, output };
    }

    it("preview on a pull request, up on main returning at the scheduled start, then the drift check: green while waiting and once replicating, red once a job failed in DRS", async () => {
        const { emu, stack, root, passStartTime } = await setUp();
        const starts = () => emu.count("batch-starting");

        const preview = await runJob("pull_request", "preview", stack, root);
        assert.equal(preview.code, 0, preview.output);
        assert.match(preview.output, /drs-rollout@v0\.2\.0/, "the pack ran");
        assert.match(preview.output, /\+ 3 to create/);
        assert.equal(starts(), 0, "preview starts nothing");

        const up = await runJob("push", "up", stack, root);
        assert.equal(up.code, 0, up.output);
        assert.match(up.output, /drs-rollout@v0\.2\.0/, "the pack ran again in up");
        for (const job of ["orders-replication", "audit-dr"]) {
            const emulated = emu.jobs.get(DEMO_ID[job]);
            assert.equal(emulated?.starts, 1, `${job} started once`);
            assert.equal(emulated?.status, "WAITING_FOR_START", `${job}: up returned once DRS accepted the schedule`);
            assert.equal(emulated?.autoCreateCompare, false, `${job}: isAutoCreateCompare from Pulumi.prod.yaml`);
        }
        const { statuses } = (await stack.outputs()) as { statuses: Record<string, string> };
        assert.deepEqual(Object.values(statuses), ["WAITING_FOR_START", "WAITING_FOR_START"], "the stack's outputs");
        const batched = emu.calls.filter((call) => call.operation === "batch-starting").flatMap((call) => (call.body as { jobs: { job_id: string }[] }).jobs.map((job) => job.job_id));
        assert.deepEqual(batched.sort(), [DEMO_ID["orders-replication"], DEMO_ID["audit-dr"]].sort(), "batch-starting named each job once");
        assert.ok(starts() >= 1 && starts() <= 2, `batch-starting calls: ${starts()}`);
        assert.equal(emu.count("iam-token"), 0, "the workflow's access keys sign the requests");

        const startsAfterUp = starts();
        const waiting = await runJob("schedule", "drift-check", stack, root);
        assert.equal(waiting.code, 0, `green while the jobs wait for their start:\n${waiting.output}`);

        passStartTime();
        for (const job of ["orders-replication", "audit-dr"]) assert.equal(emu.jobs.get(DEMO_ID[job])?.status, "INCRE_TRANSFER_STARTED", `${job} started at its time`);
        const clean = await runJob("schedule", "drift-check", stack, root);
        assert.equal(clean.code, 0, `green once they replicate:\n${clean.output}`);
        assert.equal(starts(), startsAfterUp, "the drift check starts nothing");

        // DRS rebuilds a node: routine maintenance, not drift (within DRS_RECOVERY_GRACE_SECONDS).
        emu.jobs.setStatus(DEMO_ID["audit-dr"], "REBUILD_NODE_STARTED");
        const maintained = await runJob("schedule", "drift-check", stack, root);
        assert.equal(maintained.code, 0, `green during DRS's own maintenance:\n${maintained.output}`);
        assert.match(maintained.output, /warning: REBUILD_NODE_STARTED since /);
        emu.jobs.setStatus(DEMO_ID["audit-dr"], "INCRE_TRANSFER_STARTED");

        emu.jobs.setStatus(DEMO_ID["orders-replication"], "INCRE_TRANSFER_FAILED", { errorCode: "DRS.M04001", errorMessage: "Binlog purged on source" });
        const drift = await runJob("schedule", "drift-check", stack, root);
        assert.notEqual(drift.code, 0, `the drift check must fail:\n${drift.output}`);
        assert.match(drift.output, /orders-replication/);
        // The declaration of a scheduled start: the job is waiting for its time, or started since.
        assert.match(drift.output, /~ jobStatus\s*: "INCRE_TRANSFER_FAILED" => "WAITING_FOR_START or started"/);
        assert.equal(starts(), startsAfterUp, "the drift check starts nothing");
        assert.equal(emu.jobs.get(DEMO_ID["orders-replication"])?.status, "INCRE_TRANSFER_FAILED");
    });
});
