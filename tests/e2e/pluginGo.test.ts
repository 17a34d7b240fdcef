import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_USER, type Emulator, startEmulator } from "../../emulator";
import { type CliResult, CliStack } from "../../scripts/cli";
import { REPO_ROOT } from "../../scripts/engine";
import { setEmulatorConfig } from "../support/consumer";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { exportedResources, installPlugin, PLUGIN_TYPE, programDir } from "../support/pluginProject";

/** examples/go's default job: the emulator's seeded `orders-replication`, in CONFIGURATION. */
const JOB = "140b5236-88ad-43c8-811c-1268453jb101";
/** A job that already replicates (the demo's `customers-sync`): the one `pulumi import` adopts. */
const RUNNING = "14d88eeb-ee7e-4d30-a46e-a5ec8eajb101";

const EXAMPLE = path.join(REPO_ROOT, "examples", "go");
const SDK = path.join(REPO_ROOT, "sdks", "go");

/** A Go program that declares no resource, on the same go.mod: the fresh stack `pulumi import` adopts into. */
const EMPTY_PROGRAM = `package main

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error { return nil })
}
`;

/**
 * examples/go laid out in a temp dir: its files as they are, the go.mod's
 * `replace` pointed at this repository's sdks/go by absolute path, and
 * `main.go` replaced when `main` is given.
 */
function goProgram(main?: string): { dir: string; remove(): void } {
    const files = Object.fromEntries(["Pulumi.yaml", "main.go", "go.mod", "go.sum"].map((file) => [file, fs.readFileSync(path.join(EXAMPLE, file), "utf8")]));
    const replace = /^replace pulumi-drs\/sdk\/go\/drs => \.\.\/\.\.\/sdks\/go$/m;
    assert.match(files["go.mod"], replace, "examples/go/go.mod replaces the SDK module with ../../sdks/go");
    files["go.mod"] = files["go.mod"].replace(replace, `replace pulumi-drs/sdk/go/drs => ${SDK}`);
    if (main !== undefined) files["main.go"] = main;
    return programDir(files);
}

describe("plugin door: a Go program on the generated Go SDK (examples/go) and the installed drs plugin, through the CLI", function () {
    // The first run builds the program: 1-2 minutes with a cold Go build cache.
    this.timeout(300_000);
    const engine = useEngine({ goHost: true });
    const cleanups = useCleanups(after);
    const printed: CliResult[] = [];
    let emu: Emulator;

    /** A stack of `dir` with the plugin installed and the emulator's drs:* config (password as a secret). */
    async function pluginStack(dir: string): Promise<CliStack> {
        const stack = await CliStack.init(engine(), dir, "dev");
        cleanups.push(() => stack.remove());
        const install = await installPlugin(engine(), stack);
        assert.doesNotMatch(install.stdout + install.stderr, /warning|download/i);
        await setEmulatorConfig(stack, emu);
        return stack;
    }

    async function cli(stack: CliStack, args: string[]): Promise<CliResult> {
        const started = Date.now();
        const result = await stack.run([...args, "--yes"]);
        console.log(`      pulumi ${args.join(" ")}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        printed.push(result);
        return result;
    }

    before(async () => {
        emu = await startEmulator({
            jobs: [
                { id: JOB, name: "orders" },
                { id: RUNNING, name: "customers", status: "INCRE_TRANSFER_STARTED" },
            ],
        });
        cleanups.push(() => emu.close());
    });

    describe("up, no-op up, refresh, destroy", () => {
        let stack: CliStack;

        before(async () => {
            const program = goProgram();
            cleanups.push(program.remove);
            stack = await pluginStack(program.dir);
            await stack.setConfigs({ jobId: JOB, pollIntervalSeconds: "0.05" });
        });

        it("up builds the program, starts the job with one batch-starting and exports its status", async () => {
            const up = await cli(stack, ["up", "--skip-preview"]);
            assert.match(up.stdout, /\+ 2 created/);
            assert.equal(emu.count("batch-starting"), 1);
            const outputs = await stack.outputs();
            assert.equal(outputs.status, "INCRE_TRANSFER_STARTED");
            assert.equal(outputs.jobId, JOB);
            assert.equal(outputs.name, "orders");
            const [resource] = await exportedResources(stack, PLUGIN_TYPE);
            assert.equal(resource.id, JOB);
            assert.equal(resource.inputs.pollIntervalSeconds, 0.05);
        });

        it("a second up changes nothing and starts nothing", async () => {
            const again = await cli(stack, ["up", "--expect-no-changes"]);
            assert.match(again.stdout, /2 unchanged/);
            assert.equal(emu.count("batch-starting"), 1);
        });

        it("refresh of a healthy job is quiet", async () => {
            const refresh = await cli(stack, ["refresh", "--expect-no-changes"]);
            assert.doesNotMatch(refresh.stdout, /~ 1 updated/);
            assert.equal(emu.count("batch-starting"), 1);
        });

        it("destroy removes the resources and leaves the job running", async () => {
            const destroy = await cli(stack, ["destroy", "--skip-preview"]);
            assert.match(destroy.stdout, /2 deleted/);
            assert.equal(emu.jobs.get(JOB)?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(emu.count("batch-starting"), 1);
        });
    });

    describe("pulumi import into a Go stack, then the program declares the resource", () => {
        let program: { dir: string; remove(): void };
        let stack: CliStack;

        before(async () => {
            program = goProgram(EMPTY_PROGRAM);
            cleanups.push(program.remove);
            stack = await pluginStack(program.dir);
        });

        it("the stack's program declares nothing yet", async () => {
            const up = await cli(stack, ["up", "--skip-preview"]);
            assert.match(up.stdout, /\+ 1 created/);
            assert.deepEqual(await exportedResources(stack, PLUGIN_TYPE), []);
        });

        it("pulumi import adopts the running job with no batch-starting (no code generated: the Go host cannot)", async () => {
            const startsBefore = emu.count("batch-starting");
            const imported = await cli(stack, ["import", PLUGIN_TYPE, "orders", RUNNING, "--generate-code=false"]);
            console.log(imported.stdout.replace(/^/gm, "        | "));
            assert.match(imported.stdout, /drs:index:JobStart\s+orders\s+imported/);
            assert.match(imported.stdout, /1 imported/);
            assert.equal(emu.count("batch-starting"), startsBefore, "import starts nothing");
            const [resource] = await exportedResources(stack, PLUGIN_TYPE);
            assert.equal(resource.id, RUNNING);
            assert.equal(resource.inputs.jobId, RUNNING);
            assert.equal(resource.outputs.status, "INCRE_TRANSFER_STARTED");
            assert.equal(resource.outputs.name, "customers");
        });

        it("then examples/go's declaration of that job (jobId only, the imported inputs) is an up with no changes", async () => {
            const startsBefore = emu.count("batch-starting");
            fs.copyFileSync(path.join(EXAMPLE, "main.go"), path.join(program.dir, "main.go"));
            await stack.setConfig("jobId", RUNNING);
            const up = await cli(stack, ["up", "--expect-no-changes"]);
            assert.match(up.stdout, /2 unchanged/);
            assert.equal(emu.count("batch-starting"), startsBefore);
            const outputs = await stack.outputs();
            assert.equal(outputs.jobId, RUNNING);
            assert.equal(outputs.status, "INCRE_TRANSFER_STARTED");
            assert.equal(emu.jobs.get(RUNNING)?.status, "INCRE_TRANSFER_STARTED");
        });
    });

    // A suite of its own: mocha runs a suite's own tests before its child suites.
    describe("what the CLI printed", () => {
        it("no plugin warning and no secret", () => {
            assert.ok(printed.length >= 7);
            for (const { stdout, stderr } of printed) {
                assert.doesNotMatch(stdout + stderr, /using pulumi-resource-drs from \$PATH|could not find latest version/);
                assert.ok(!(stdout + stderr).includes(DEFAULT_USER.password));
            }
        });
    });
});
