import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { clientEnv, DEMO_JOBS, type Emulator, startEmulator } from "../../emulator";
import { CliStack } from "../../scripts/cli";
import { REPO_ROOT } from "../../scripts/engine";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";

/** Every example program: a directory of examples/ with a Pulumi.yaml and an index.ts. */
const EXAMPLES = fs.readdirSync(path.join(REPO_ROOT, "examples")).filter((name) => fs.existsSync(path.join(REPO_ROOT, "examples", name, "Pulumi.yaml")) && fs.existsSync(path.join(REPO_ROOT, "examples", name, "index.ts")));

/**
 * True when the example's Pulumi.yaml names its program (`main: index.ts`):
 * inside this repository the CLI would otherwise run pulumi-drs's own entry
 * point (the nearest package.json is the repository's).
 */
function namesItsProgram(example: string): boolean {
    return /^main:\s*index\.ts\s*$/m.test(fs.readFileSync(path.join(REPO_ROOT, "examples", example, "Pulumi.yaml"), "utf8"));
}

/** IDs of the emulator's demo jobs by name. */
const DEMO_ID = Object.fromEntries(DEMO_JOBS.map((job) => [job.name, job.id]));

describe("examples: each runs where it lives, through the CLI, against the emulator", function () {
    this.timeout(240_000);
    const engine = useEngine({ languageHost: true });
    const cleanups = useCleanups(afterEach);

    /** A `dev` stack of the example (its own Pulumi.dev.yaml, if any, as the stack settings) against a fresh emulator. */
    async function exampleStack(example: string): Promise<{ stack: CliStack; emu: Emulator }> {
        const emu = await startEmulator({ jobs: DEMO_JOBS });
        cleanups.push(() => emu.close());
        const dir = path.join(REPO_ROOT, "examples", example);
        // `npm run build` type-checks every example (tsc -p .); here the runtime only transpiles.
        const stack = await CliStack.init(engine(), dir, "dev", { env: clientEnv(emu, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }), settingsOutside: true });
        cleanups.push(() => stack.remove());
        return { stack, emu };
    }

    it("finds the examples; each names its program, so it runs in place", () => {
        for (const expected of ["basic", "many-jobs", "scheduled-start", "adopt-running-job", "gitops-pipeline", "policy-checked-rollout", "maintenance-pause"]) assert.ok(EXAMPLES.includes(expected), expected);
        assert.deepEqual(
            EXAMPLES.filter((example) => !namesItsProgram(example)),
            [],
        );
        assert.ok(fs.existsSync(path.join(REPO_ROOT, "examples", "gitops-pipeline", ".github", "workflows", "drs-rollout.yml")));
    });

    for (const example of EXAMPLES) {
        it(`${example}: pulumi preview plans its DrsJobStart creates and calls no DRS API`, async () => {
            const files = fs.readdirSync(path.join(REPO_ROOT, "examples", example)).sort();
            const { stack, emu } = await exampleStack(example);
            const preview = await stack.run(["preview"]);
            const creates = Number(/\+ (\d+) to create/.exec(preview.stdout)?.[1]);
            assert.ok(creates >= 2, `${example}: ${preview.stdout}`);
            assert.match(preview.stdout, /pulumi-nodejs:dynamic\/drs:DrsJobStart/);
            assert.deepEqual(
                emu.calls.filter((c) => c.operation !== "iam-token"),
                [],
                "preview calls no DRS API",
            );
            assert.deepEqual(fs.readdirSync(path.join(REPO_ROOT, "examples", example)).sort(), files, "the example directory is not written to");
        });
    }

    it("basic: pulumi up starts the job once, refresh keeps it, destroy leaves it running", async () => {
        const { stack, emu } = await exampleStack("basic");
        await stack.run(["config", "set", "pollIntervalSeconds", "0.05"]);
        await stack.run(["up", "--yes", "--skip-preview"]);
        const outputs = await stack.outputs();
        assert.equal(outputs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(outputs.jobId, DEMO_ID["orders-replication"]);
        assert.equal(emu.count("batch-starting"), 1);
        await stack.run(["refresh", "--yes"]);
        const destroy = await stack.run(["destroy", "--yes"]);
        assert.match(destroy.stdout, /2 deleted/);
        assert.equal(emu.jobs.get(DEMO_ID["orders-replication"])?.status, "INCRE_TRANSFER_STARTED");
        assert.equal(emu.count("batch-starting"), 1);
    });

    it("maintenance-pause: the runState flag pauses the set with one batch-pause-task and resumes it with one batch-retry-task", async () => {
        const { stack, emu } = await exampleStack("maintenance-pause");
        const ids = [DEMO_ID["orders-replication"], DEMO_ID["customers-sync"]];
        await stack.run(["config", "set", "pollIntervalSeconds", "0.05"]);
        await stack.run(["up", "--yes", "--skip-preview"]);
        assert.deepEqual((await stack.outputs()).statuses, { "orders-replication": "INCRE_TRANSFER_STARTED", "customers-sync": "INCRE_TRANSFER_STARTED" });

        await stack.run(["config", "set", "runState", "paused"]);
        const pausePreview = await stack.run(["preview", "--diff"]);
        assert.match(pausePreview.stdout, /~ 2 to update/);
        assert.equal(emu.count("batch-pause-task"), 0, "preview pauses nothing");
        const paused = await stack.run(["up", "--yes", "--skip-preview"]);
        const pausedOutputs = await stack.outputs();
        assert.deepEqual(pausedOutputs.statuses, { "orders-replication": "PAUSING", "customers-sync": "PAUSING" }, paused.stdout);
        assert.deepEqual(Object.keys(pausedOutputs.pausedSince as object).sort(), ["customers-sync", "orders-replication"]);
        assert.deepEqual(
            ids.map((id) => emu.jobs.get(id)?.status),
            ["PAUSING", "PAUSING"],
        );
        assert.deepEqual(
            ids.map((id) => emu.jobs.get(id)?.paused?.mode),
            ["target", "target"],
        );
        const pauseCall = emu.calls.find((c) => c.operation === "batch-pause-task");
        assert.equal(emu.count("batch-pause-task"), 1, "the two pauses share one call");
        assert.equal((pauseCall?.body as { jobs: unknown[] } | undefined)?.jobs.length, 2);

        await stack.run(["config", "set", "runState", "running"]);
        await stack.run(["up", "--yes", "--skip-preview"]);
        assert.deepEqual((await stack.outputs()).statuses, { "orders-replication": "INCRE_TRANSFER_STARTED", "customers-sync": "INCRE_TRANSFER_STARTED" });
        assert.equal(emu.count("batch-retry-task"), 1, "the two resumes share one call");
        assert.equal(emu.count("batch-starting"), 1, "only the first up started a job (customers-sync was adopted)");
        assert.deepEqual(
            ids.map((id) => [emu.jobs.get(id)?.pauses, emu.jobs.get(id)?.retries]),
            [
                [1, 1],
                [1, 1],
            ],
        );
        await stack.run(["destroy", "--yes"]);
        assert.deepEqual(
            ids.map((id) => emu.jobs.get(id)?.status),
            ["INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"],
            "deletePolicy leave: destroy leaves them running",
        );
    });

    it("many-jobs: pulumi up starts the configured jobs once each and adopts the running one; refresh, destroy", async () => {
        const { stack, emu } = await exampleStack("many-jobs");
        await stack.run(["config", "set", "pollIntervalSeconds", "0.05"]);
        await stack.run(["up", "--yes", "--skip-preview", "--parallel", "8"]);
        const outputs = await stack.outputs();
        assert.deepEqual(outputs.statuses, { "orders-replication": "INCRE_TRANSFER_STARTED", "customers-sync": "INCRE_TRANSFER_STARTED", "audit-dr": "INCRE_TRANSFER_STARTED" });
        assert.equal(emu.jobs.get(DEMO_ID["orders-replication"])?.starts, 1);
        assert.equal(emu.jobs.get(DEMO_ID["audit-dr"])?.starts, 1);
        assert.equal(emu.jobs.get(DEMO_ID["customers-sync"])?.starts, 0, "the running job is adopted, not started");
        await stack.run(["refresh", "--yes"]);
        const destroy = await stack.run(["destroy", "--yes"]);
        assert.match(destroy.stdout, /4 deleted/);
        assert.deepEqual(
            DEMO_JOBS.slice(0, 3).map((job) => emu.jobs.get(job.id)?.starts),
            [1, 0, 1],
            "refresh and destroy start nothing",
        );
    });
});
