import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { type Emulator, startEmulator } from "../../emulator";
import { FAST, useEngine, useEngineFixtures } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { jobId } from "../support/env";
import { exportedResources, PLUGIN_TYPE, pluginStack, programDir } from "../support/pluginProject";

/** A Pulumi YAML program with one JobStart per entry, by job name, fast waits. */
function namedProgram(jobs: Readonly<Record<string, string>>): string {
    const resources = Object.entries(jobs).flatMap(([resource, name]) => [`  ${resource}:`, `    type: ${PLUGIN_TYPE}`, "    properties:", `      jobName: ${name}`, "      pollIntervalSeconds: 0.05", "      timeoutSeconds: 60"]);
    const outputs = Object.keys(jobs).map((resource) => `  ${resource}: \${${resource}.jobId}`);
    return ["name: drs-job-names", "runtime: yaml", `resources:${resources.length ? "" : " {}"}`, ...resources, `outputs:${outputs.length ? "" : " {}"}`, ...outputs, ""].join("\n");
}

/** DRS calls since call number `from`, counted per operation ("list-jobs 1, batch-starting 1, ..."). */
function callsSince(emu: Emulator, from: number): string {
    const counts = new Map<string, number>();
    for (const call of emu.calls.slice(from)) if (call.operation !== "control") counts.set(call.operation, (counts.get(call.operation) ?? 0) + 1);
    return [...counts].map(([op, n]) => `${op} ${n}`).join(", ");
}

describe("plugin door: jobs by name (jobName) through the CLI (Pulumi YAML)", function () {
    this.timeout(240_000);
    const engine = useEngine({ yamlHost: true });
    const cleanups = useCleanups(afterEach);
    const ORDERS = jobId(1);
    const AUDIT = jobId(2);

    it("an up by name starts each job once and keeps the ids; the next up has no changes; an ambiguous name fails naming every candidate", async () => {
        const emu = await startEmulator({
            jobs: [
                { id: ORDERS, name: "orders-dr", dbUseType: "cloudDataGuard" },
                { id: AUDIT, name: "audit-dr", dbUseType: "cloudDataGuard" },
                { id: jobId(3), name: "orders-dr-old", dbUseType: "cloudDataGuard", status: "INCRE_TRANSFER_STARTED" },
                { id: jobId(4), name: "billing", dbUseType: "migration" },
                { id: jobId(5), name: "billing", dbUseType: "sync", status: "INCRE_TRANSFER_STARTED" },
            ],
            timings: { startingMs: 20, fullTransferMs: 200, fullCompleteMs: 20 },
        });
        cleanups.push(() => emu.close());
        const program = programDir({ "Pulumi.yaml": namedProgram({ orders: "orders-dr", audit: "audit-dr" }) });
        cleanups.push(program.remove);
        const stack = await pluginStack(engine(), program.dir, emu);
        cleanups.push(() => stack.remove());

        const from = emu.calls.length;
        await stack.run(["up", "--yes", "--skip-preview"]);
        console.log(`      up of 2 jobs by name: ${callsSince(emu, from)}`);
        assert.deepEqual(await stack.outputs(), { orders: ORDERS, audit: AUDIT });
        assert.equal(emu.count("batch-starting"), 1, "both starts in one call");
        assert.equal(emu.jobs.get(ORDERS)?.status, "INCRE_TRANSFER_STARTED");
        const recorded = await exportedResources(stack, PLUGIN_TYPE);
        assert.deepEqual(recorded.map((r) => [r.id, r.inputs.jobName, r.inputs.jobId, r.outputs.jobId]).sort(), [
            [ORDERS, "orders-dr", undefined, ORDERS],
            [AUDIT, "audit-dr", undefined, AUDIT],
        ]);

        const again = await stack.run(["up", "--yes", "--expect-no-changes"]);
        assert.match(again.stdout, /3 unchanged/);

        fs.writeFileSync(path.join(program.dir, "Pulumi.yaml"), namedProgram({ orders: "orders-dr", audit: "audit-dr", billing: "billing" }));
        const ambiguous = await stack.run(["up", "--yes", "--skip-preview"], { allowFailure: true });
        const message = /2 DRS jobs are named "billing"[^\n]*/.exec(ambiguous.stdout + ambiguous.stderr)?.[0];
        console.log(`      the ambiguous name as the CLI prints it:\n        ${message ?? ambiguous.stdout + ambiguous.stderr}`);
        assert.notEqual(ambiguous.code, 0);
        assert.ok(message);
        assert.match(message, new RegExp(`\\(searched db_use_type migration, sync, cloudDataGuard at ${emu.url}\\): ${jobId(4)} \\(CONFIGURATION, migration\\), ${jobId(5)} \\(INCRE_TRANSFER_STARTED, sync\\)\\. Nothing was started\\.`));
        assert.equal(emu.jobs.get(jobId(4))?.status, "CONFIGURATION");
        assert.equal(emu.count("batch-starting"), 1);
    });

    it("pulumi import drs:index:JobStart <name> <job name> adopts the job by its name, with no start", async () => {
        const emu = await startEmulator({ jobs: [{ id: ORDERS, name: "orders-dr", status: "INCRE_TRANSFER_STARTED" }] });
        cleanups.push(() => emu.close());
        const program = programDir({ "Pulumi.yaml": namedProgram({}) });
        cleanups.push(program.remove);
        const stack = await pluginStack(engine(), program.dir, emu);
        cleanups.push(() => stack.remove());

        const imported = await stack.run(["import", PLUGIN_TYPE, "orders", "orders-dr", "--yes"]);
        assert.match(imported.stdout, /1 imported/);
        // Pulumi YAML prints the declaration by name.
        assert.match(imported.stdout, /type: drs:(index:)?JobStart[\s\S]*jobName: orders-dr/);
        assert.doesNotMatch(imported.stdout, /jobId:/);
        const [resource] = await exportedResources(stack, PLUGIN_TYPE);
        assert.equal(resource.id, ORDERS);
        assert.equal(resource.outputs.jobId, ORDERS);
        assert.equal(emu.count("batch-starting"), 0);
    });
});

describe("dynamic door: a DrsJobStart by jobName under the real engine", function () {
    this.timeout(120_000);
    const fixture = useEngineFixtures();

    it("the up resolves the name and starts the job once; jobId is an output; the next up changes nothing", async () => {
        const id = jobId(21);
        const f = await fixture({
            jobs: [
                { id, name: "orders-dr" },
                { id: jobId(22), name: "orders-dr-old", status: "INCRE_TRANSFER_STARTED" },
            ],
        });
        await f.setJobs([{ name: "orders", jobName: "orders-dr", ...FAST }]);
        const up = await f.stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(up.outputs.orders.value, { jobId: id, status: "INCRE_TRANSFER_STARTED" });
        assert.equal(f.emu.count("batch-starting"), 1);
        const again = await f.stack.up();
        assert.equal(again.summary.resourceChanges?.same, 2);
        assert.equal(f.emu.count("batch-starting"), 1);
    });
});
