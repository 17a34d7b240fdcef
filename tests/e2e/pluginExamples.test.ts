import { strict as assert } from "node:assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { clientEnv, DEMO_JOBS, startEmulator } from "../../emulator";
import { CliStack } from "../../scripts/cli";
import { REPO_ROOT } from "../../scripts/engine";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { installPlugin } from "../support/pluginProject";

/** Every file under `dir` (relative path → sha256 of its content): what "not written to" compares. */
function snapshot(dir: string): Record<string, string> {
    const files = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => fs.statSync(path.join(dir, f)).isFile());
    return Object.fromEntries(
        files.sort().map((f) => [
            f,
            createHash("sha256")
                .update(fs.readFileSync(path.join(dir, f)))
                .digest("hex"),
        ]),
    );
}

const YAML_HOST = { host: "yamlHost", hostName: "Pulumi YAML language host (pulumi-language-yaml)" } as const;

/** Skips `test` (or fails it with REQUIRE_E2E=1) when the engine lacks the language host it needs. */
function needHost(test: Mocha.Context, built: string | undefined, hostName: string): void {
    if (built) return;
    if (process.env.REQUIRE_E2E === "1") throw new Error(`REQUIRE_E2E=1 but no ${hostName} found: run \`npm run setup:pulumi\`.`);
    console.log(`      (skipped: no ${hostName}; run \`npm run setup:pulumi\` to build it, REQUIRE_E2E=1 makes this fatal)`);
    test.skip();
}

/** The plugin door's examples, each with the language host it needs and the creates its preview plans (the stack too). */
const EXAMPLES = [
    { example: "yaml", ...YAML_HOST, creates: 2 },
    { example: "go", host: "goHost", hostName: "Go language host (pulumi-language-go)", creates: 2 },
    { example: "maintenance-pause-yaml", ...YAML_HOST, creates: 3 },
] as const;

describe("plugin door examples (examples/yaml, examples/go, examples/maintenance-pause-yaml): each previews where it lives, on the installed drs plugin", function () {
    // examples/go is built by `go build` on its first run: 1-2 minutes with a cold Go build cache.
    this.timeout(240_000);
    const engine = useEngine();
    const cleanups = useCleanups(afterEach);

    for (const { example, host, hostName, creates } of EXAMPLES) {
        it(`${example}: pulumi preview plans the JobStart create, calls no DRS API and writes nothing into examples/${example}`, async function () {
            needHost(this, engine()[host], hostName);
            const dir = path.join(REPO_ROOT, "examples", example);
            const files = snapshot(dir);
            const emu = await startEmulator({ jobs: DEMO_JOBS });
            cleanups.push(() => emu.close());
            // No drs:* config: the OS_* / DRS_ENDPOINT variables reach the plugin through the CLI's environment.
            const stack = await CliStack.init(engine(), dir, "dev", { env: clientEnv(emu), settingsOutside: true });
            cleanups.push(() => stack.remove());
            await installPlugin(engine(), stack);
            const started = Date.now();
            const preview = await stack.run(["preview"]);
            console.log(`      pulumi preview of examples/${example}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
            assert.match(preview.stdout, /drs:index:JobStart\s+orders\s+create/);
            assert.match(preview.stdout, new RegExp(`\\+ ${creates} to create`));
            assert.deepEqual(
                emu.calls.filter((c) => c.operation !== "iam-token"),
                [],
                "preview calls no DRS API",
            );
            assert.deepEqual(snapshot(dir), files, `examples/${example} is not written to`);
        });
    }

    it("maintenance-pause-yaml: the runState flag pauses both jobs with one batch-pause-task and resumes them with one batch-retry-task", async function () {
        needHost(this, engine().yamlHost, YAML_HOST.hostName);
        const dir = path.join(REPO_ROOT, "examples", "maintenance-pause-yaml");
        const files = snapshot(dir);
        const emu = await startEmulator({ jobs: DEMO_JOBS });
        cleanups.push(() => emu.close());
        const stack = await CliStack.init(engine(), dir, "dev", { env: clientEnv(emu), settingsOutside: true });
        cleanups.push(() => stack.remove());
        await installPlugin(engine(), stack);
        const ids = [DEMO_JOBS[0].id, DEMO_JOBS[1].id];
        await stack.run(["config", "set", "pollIntervalSeconds", "0.05"]);
        await stack.run(["up", "--yes", "--skip-preview"]);
        assert.deepEqual(
            ids.map((id) => emu.jobs.get(id)?.status),
            ["INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"],
        );
        await stack.run(["config", "set", "runState", "paused"]);
        await stack.run(["up", "--yes", "--skip-preview"]);
        const paused = await stack.outputs();
        assert.deepEqual([paused.ordersStatus, paused.customersStatus], ["PAUSING", "PAUSING"]);
        assert.equal(typeof paused.ordersPausedAt, "string");
        assert.equal(emu.count("batch-pause-task"), 1, "the two pauses share one call");
        await stack.run(["config", "set", "runState", "running"]);
        await stack.run(["up", "--yes", "--skip-preview"]);
        const resumed = await stack.outputs();
        assert.deepEqual([resumed.ordersStatus, resumed.customersStatus], ["INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED"]);
        assert.equal(emu.count("batch-retry-task"), 1, "the two resumes share one call");
        assert.equal(emu.count("batch-starting"), 1, "one start (orders); customers was adopted");
        assert.deepEqual(snapshot(dir), files, "examples/maintenance-pause-yaml is not written to");
    });
});
