import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { clientEnv, DEMO_JOBS, startEmulator } from "../../emulator";
import { describeWindowIn, MAINTENANCE_WINDOW_DEFAULTS, type MaintenanceWindowConfig, windowAtOrAfter } from "../../policy/policies/maintenanceWindow";
import { CliStack } from "../../scripts/cli";
import { REPO_ROOT } from "../../scripts/engine";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { installPlugin, programDir, yamlProgram } from "../support/pluginProject";

const EXAMPLE_SRC = path.join(REPO_ROOT, "examples", "policy-checked-rollout");
/**
 * The pack as a binary analyzer: the Node.js language host built here (sdk/v3
 * v3.68.0) cannot run a policy pack directory ("could not read plugin ... not
 * supported"); a current host runs `--policy-pack policy` itself.
 */
const PACK = path.join(REPO_ROOT, "policy", "run-analyzer");
/** The example's maintenance window (Europe/Berlin), as its policy-config.json sets it. */
const EXAMPLE_WINDOW: MaintenanceWindowConfig = {
    ...MAINTENANCE_WINDOW_DEFAULTS,
    ...JSON.parse(fs.readFileSync(path.join(EXAMPLE_SRC, "policy-config.json"), "utf8"))["maintenance-window"],
};

/** Preview outcome: whether the engine accepted it, and everything it printed. */
interface PreviewOutcome {
    ok: boolean;
    output: string;
}

describe("policy pack through the real Pulumi CLI (examples/policy-checked-rollout)", function () {
    this.timeout(180_000);
    const engine = useEngine({ languageHost: true });
    const cleanups = useCleanups(afterEach);

    before(() => {
        assert.ok(fs.existsSync(path.join(REPO_ROOT, "policy", "bin", "index.js")), "the pack is built (npm run build)");
    });

    /** `pulumi preview --policy-pack` of the example as stack `stack`, with extra config and pack config. */
    async function preview(stack: "dev" | "prod", config: Record<string, string> = {}, packConfig: object | undefined = undefined): Promise<PreviewOutcome> {
        const emu = await startEmulator({ jobs: DEMO_JOBS });
        cleanups.push(() => emu.close());
        // The example runs where it lives; its Pulumi.<stack>.yaml is copied outside as the stack settings.
        const local = await CliStack.init(engine(), EXAMPLE_SRC, stack, { env: clientEnv(emu, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }), settingsOutside: true });
        cleanups.push(() => local.remove());
        for (const [key, value] of Object.entries(config)) await local.run(["config", "set", key, value]);
        let configFile = path.join(EXAMPLE_SRC, "policy-config.json");
        if (packConfig) {
            configFile = path.join(local.stateDir, "policy-config.json");
            fs.writeFileSync(configFile, JSON.stringify(packConfig));
        }
        const result = await local.run(["preview", "--policy-pack", PACK, "--policy-pack-config", configFile], { allowFailure: true });
        assert.equal(emu.count("batch-starting"), 0, "preview starts nothing");
        return { ok: result.code === 0, output: result.stdout + result.stderr };
    }

    /** A start time inside the next production maintenance window, at least an hour from now. */
    function nextWindowStart(): string {
        const window = windowAtOrAfter(Date.now() + 3600_000, EXAMPLE_WINDOW);
        return new Date(Math.max(window.start, Date.now() + 3600_000) + 60_000).toISOString();
    }

    it("the dev stack passes the pack", async () => {
        const outcome = await preview("dev");
        assert.ok(outcome.ok, outcome.output);
        assert.match(outcome.output, /drs-rollout@v0\.2\.0/);
        assert.doesNotMatch(outcome.output, /mandatory|advisory/);
    });

    it("the prod stack without a scheduled start fails with the policy name and the next window", async () => {
        const before = Date.now();
        const outcome = await preview("prod");
        const after = Date.now();
        assert.ok(!outcome.ok, "preview must fail");
        assert.match(outcome.output, /\[mandatory\]\s+maintenance-window/);
        assert.equal(EXAMPLE_WINDOW.timeZone, "Europe/Berlin");
        assert.match(outcome.output, /has no startTime: stack "prod" only starts DRS jobs inside the maintenance window \(Sat, Sun 02:00-06:00 Europe\/Berlin\)/);
        // The window in UTC and on Berlin's clocks, as of the pack's clock during the preview.
        const expected = [before, after].map((now) => {
            const window = windowAtOrAfter(now, EXAMPLE_WINDOW);
            return `next allowed window: ${new Date(window.start).toISOString()} to ${new Date(window.end).toISOString()} (${describeWindowIn(window, "Europe/Berlin")}).`;
        });
        assert.ok(
            expected.some((line) => outcome.output.includes(line)),
            `expected one of ${expected.join(" | ")} in:\n${outcome.output}`,
        );
        assert.match(expected[0], /\(\w{3} \d{4}-\d\d-\d\d 0[23]:00-06:00 Europe\/Berlin = \d\d:00-\d\d:00 UTC\)/);
    });

    it("the prod stack scheduled inside the window passes; a wrong project fails allowed-targets", async () => {
        const scheduled = await preview("prod", { startTime: nextWindowStart() });
        assert.ok(scheduled.ok, scheduled.output);
        const wrongProject = await preview("prod", { startTime: nextWindowStart(), projectId: "ffffffffffffffffffffffffffffffff" });
        assert.ok(!wrongProject.ok);
        assert.match(wrongProject.output, /\[mandatory\]\s+allowed-targets/);
        assert.match(wrongProject.output, /projectId "ffffffffffffffffffffffffffffffff" is not allowed for stack "prod"/);
    });

    it("an advisory-level violation warns but passes", async () => {
        const outcome = await preview("prod", {}, { "maintenance-window": { enforcementLevel: "advisory" } });
        assert.ok(outcome.ok, outcome.output);
        assert.match(outcome.output, /\[advisory\]\s+maintenance-window/);
    });

    it("an unknown timeZone stops the preview with a config error naming it", async () => {
        const outcome = await preview("dev", {}, { "maintenance-window": { timeZone: "Europe/Berln" } });
        assert.ok(!outcome.ok, outcome.output);
        assert.match(outcome.output, /maintenance-window: timeZone "Europe\/Berln" is not a known IANA time zone/);
    });

    it("max-parallel-starts stops a preview that would start too many jobs", async () => {
        const outcome = await preview("dev", {}, { "max-parallel-starts": { maxStarts: 1 } });
        assert.ok(!outcome.ok);
        assert.match(outcome.output, /\[mandatory\]\s+max-parallel-starts/);
        assert.match(outcome.output, /would start 2 DRS jobs; at most 1 may start in one update/);
    });

    it("protected-jobs stops a prod preview whose jobs would be stopped by a destroy (deletePolicy stop); leave passes", async () => {
        const stopped = await preview("prod", { startTime: nextWindowStart(), deletePolicy: "stop" });
        assert.ok(!stopped.ok, stopped.output);
        assert.match(stopped.output, /\[mandatory\]\s+protected-jobs/);
        assert.match(stopped.output, new RegExp(`DRS job ${DEMO_JOBS[0].id} has deletePolicy "stop": stack "prod" is protected \\(protected-jobs, stackPattern "prod\\*"\\)`));
        assert.match(stopped.output, /Set deletePolicy to "leave"/);
        const left = await preview("prod", { startTime: nextWindowStart(), deletePolicy: "leave" });
        assert.ok(left.ok, left.output);
    });

    it("run-state-window stops a prod preview that would pause jobs outside the window", async () => {
        // A window on a day that is neither today nor tomorrow (UTC): now is outside it, whatever the time.
        const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][(new Date().getUTCDay() + 3) % 7];
        const window = { stackPattern: "prod*", days: [day], startHour: 2, endHour: 6, timeZone: "UTC" };
        const outcome = await preview("prod", { runState: "paused" }, { "maintenance-window": { enforcementLevel: "disabled" }, "run-state-window": window });
        assert.ok(!outcome.ok, outcome.output);
        assert.match(outcome.output, /\[mandatory\]\s+run-state-window/);
        assert.match(outcome.output, new RegExp(`would be paused \\(runState "paused"\\): stack "prod" changes the run state of DRS jobs only inside the maintenance window \\(${day} 02:00-06:00 UTC\\)`));
    });

    it("a Pulumi YAML program on the drs plugin is checked by the same pack (drs:index:JobStart)", async function () {
        if (!engine().yamlHost) {
            if (process.env.REQUIRE_E2E === "1") throw new Error("REQUIRE_E2E=1 but no pulumi-language-yaml: run npm run setup:pulumi");
            console.log("      (skipped: no Pulumi YAML language host; run npm run setup:pulumi)");
            return this.skip();
        }
        const emu = await startEmulator({ jobs: DEMO_JOBS });
        cleanups.push(() => emu.close());
        const program = programDir({ "Pulumi.yaml": yamlProgram([DEMO_JOBS[0].id, DEMO_JOBS[2].id], { timeoutSeconds: 600 }) });
        cleanups.push(program.remove);
        const stack = await CliStack.init(engine(), program.dir, "prod", { env: clientEnv(emu) });
        cleanups.push(() => stack.remove());
        await installPlugin(engine(), stack);
        const configFile = path.join(EXAMPLE_SRC, "policy-config.json");
        const result = await stack.run(["preview", "--policy-pack", PACK, "--policy-pack-config", configFile], { allowFailure: true });
        const output = result.stdout + result.stderr;
        assert.notEqual(result.code, 0, output);
        assert.match(output, /\[mandatory\]\s+maintenance-window\s+\(drs:index:JobStart: job0\)/);
        assert.match(output, new RegExp(`DRS job ${DEMO_JOBS[2].id} has no startTime: stack "prod" only starts DRS jobs inside the maintenance window`));
        assert.equal(emu.count("batch-starting"), 0);
    });
});
