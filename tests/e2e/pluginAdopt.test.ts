import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { DRS_TYPE, useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { jobId } from "../support/env";
import { dynamicProgramDir, exportedResources, PLUGIN_TYPE, pluginStack, programDir, yamlProgram } from "../support/pluginProject";

/** Calls by operation, DRS only. */
function callsByKind(emu: Emulator): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of emu.calls) if (call.operation !== "control" && call.operation !== "iam-token") counts[call.operation] = (counts[call.operation] ?? 0) + 1;
    return counts;
}

describe("plugin door: import, moving a stack between doors, and coalescing, through the CLI", function () {
    this.timeout(300_000);
    const engine = useEngine({ languageHost: true, yamlHost: true });
    const cleanups = useCleanups(afterEach);

    it("pulumi import drs:index:JobStart adopts a running job into a YAML stack with no start; the next up is a no-op", async () => {
        const running = jobId(11);
        const emu = await startEmulator({ jobs: [{ id: running, name: "orders", status: "INCRE_TRANSFER_STARTED" }] });
        cleanups.push(() => emu.close());
        const program = programDir({ "Pulumi.yaml": yamlProgram([]) });
        cleanups.push(program.remove);
        const stack = await pluginStack(engine(), program.dir, emu);
        cleanups.push(() => stack.remove());

        const imported = await stack.run(["import", PLUGIN_TYPE, "job0", running, "--yes"]);
        assert.match(imported.stdout, /= 1 imported|1 imported/);
        // Pulumi YAML prints the declaration to paste into the program.
        assert.match(imported.stdout, new RegExp(`type: drs:(index:)?JobStart[\\s\\S]*jobId: ${running}`));
        const [resource] = await exportedResources(stack, PLUGIN_TYPE);
        assert.equal(resource.id, running);
        assert.equal(resource.outputs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(emu.count("batch-starting"), 0);

        // The program declares the job as the printed code does: its id, and the protection import adds.
        const declared = yamlProgram([running], {}).replace(`      jobId: ${running}`, `      jobId: ${running}\n    options:\n      protect: true`);
        fs.writeFileSync(path.join(program.dir, "Pulumi.yaml"), declared);
        const up = await stack.run(["up", "--yes", "--expect-no-changes"]);
        assert.match(up.stdout, /2 unchanged/);
        assert.equal(emu.count("batch-starting"), 0);
    });

    it("a stack moves a running job from the dynamic door to the plugin door without a second start", async () => {
        const job = jobId(12);
        const emu = await startEmulator({ jobs: [{ id: job, name: "orders" }] });
        cleanups.push(() => emu.close());
        // The TypeScript program on the dynamic door, its packages installed (linked) as a user's are.
        const program = dynamicProgramDir("drs-move", job, 0.05);
        cleanups.push(program.remove);
        const stack = await pluginStack(engine(), program.dir, emu);
        cleanups.push(() => stack.remove());
        await stack.run(["up", "--yes", "--skip-preview"]);
        assert.equal(emu.count("batch-starting"), 1);
        assert.equal((await exportedResources(stack, DRS_TYPE)).length, 1);

        // The same project and stack, now a YAML program declaring the plugin's resource for the same job.
        fs.writeFileSync(path.join(program.dir, "Pulumi.yaml"), yamlProgram([job]).replace("name: drs-yaml-test", "name: drs-move"));
        const moved = await stack.run(["up", "--yes", "--skip-preview"]);
        assert.match(moved.stdout, /\+ 1 created/);
        assert.match(moved.stdout, /- 1 deleted/);
        assert.equal(emu.count("batch-starting"), 1, "the plugin door adopted the running job");
        assert.equal(emu.jobs.get(job)?.status, "INCRE_TRANSFER_STARTED", "deleting the dynamic resource left the job running");
        assert.deepEqual(await exportedResources(stack, DRS_TYPE), []);
        assert.equal((await exportedResources(stack, PLUGIN_TYPE))[0]?.outputs.status, "INCRE_TRANSFER_STARTED");
        await stack.run(["up", "--yes", "--expect-no-changes"]);
    });

    it("50 plugin resources in one up --parallel 60 share one lookup and one batch-starting", async () => {
        const ids = Array.from({ length: 50 }, (_, i) => jobId(100 + i));
        const emu = await startEmulator({ jobs: ids.map((id) => ({ id })) });
        cleanups.push(() => emu.close());
        const program = programDir({ "Pulumi.yaml": yamlProgram(ids) });
        cleanups.push(program.remove);
        const stack = await pluginStack(engine(), program.dir, emu);
        cleanups.push(() => stack.remove());
        const started = Date.now();
        // As for the dynamic door: the engine runs at most --parallel creates at once (default 4 x CPUs).
        await stack.run(["up", "--yes", "--skip-preview", "--parallel", "60"]);
        const wallMs = Date.now() - started;
        const calls = callsByKind(emu);
        const total = Object.values(calls).reduce((a, b) => a + b, 0);
        console.log(`      50 plugin resources: up ${(wallMs / 1000).toFixed(1)} s, ${total} DRS calls ${JSON.stringify(calls)}`);
        assert.equal(calls["batch-starting"], 1);
        assert.equal(calls["list-jobs"], 1);
        assert.equal(Object.values(await stack.outputs()).filter((s) => s === "INCRE_TRANSFER_STARTED").length, 50);
    });
});
