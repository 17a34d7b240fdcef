import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { FAST, useEngineFixtures } from "../support/e2eFixture";
import { jobId } from "../support/env";
import { markedProcesses } from "../support/leftoverProcesses";
import { until } from "../support/until";

/** A job whose full transfer takes long enough to interrupt the wait. */
const SLOW_JOB = { timings: { startingMs: 50, fullTransferMs: 4_000, fullCompleteMs: 50 } };

/** Child processes of `pid` (pgrep -P), recursively. */
function descendants(pid: number): number[] {
    let out = "";
    try {
        out = execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" });
    } catch {
        return [];
    }
    return out
        .split("\n")
        .filter(Boolean)
        .map(Number)
        .flatMap((child) => [child, ...descendants(child)]);
}

/** The `pulumi` CLI the Automation API spawned from this process. */
function cliPid(): number {
    const [pid] = execFileSync("pgrep", ["-P", String(process.pid), "-x", "pulumi"], { encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .map(Number);
    assert.ok(pid, "the pulumi CLI is running");
    return pid;
}

/** How long a provider host may keep calling DRS after the engine died. */
const ORPHAN_GRACE_MS = 3_000;

/** How long DRS calls are counted after the CLI is killed. */
const OBSERVE_MS = 10_000;

describe("interrupted runs through the real Pulumi engine", function () {
    this.timeout(180_000);
    const fixture = useEngineFixtures({ leftoverGraceMs: ORPHAN_GRACE_MS });

    it("SIGKILL of pulumi up while it waits: after pulumi cancel, the next up adopts the started job (one batch-starting)", async () => {
        const f = await fixture({ jobs: [{ id: jobId(1) }], ...SLOW_JOB });
        await f.setJobs([{ name: "orders", jobId: jobId(1), ...FAST }]);
        const first = f.stack.up().then(
            () => "finished",
            (e: Error) => e.message,
        );
        await until(() => f.emu.count("batch-starting") === 1);
        process.kill(cliPid(), "SIGKILL");
        assert.match(await first, /SIGKILL/);
        // Pulumi recorded nothing for the interrupted create; the lock stays until `pulumi cancel`.
        await f.stack.cancel();
        const second = await f.stack.up();
        assert.equal(second.summary.result, "succeeded");
        assert.equal(second.outputs.orders.value.status, "INCRE_TRANSFER_STARTED");
        assert.equal(f.emu.count("batch-starting"), 1, "the job was started exactly once");
        assert.equal(f.emu.jobs.get(jobId(1))?.starts, 1);
    });

    it("SIGKILL of pulumi up while it waits: the orphaned provider host stops calling DRS within a few seconds", async function () {
        this.timeout(180_000 + OBSERVE_MS);
        const f = await fixture({ jobs: [{ id: jobId(1) }], timings: { startingMs: 50, fullTransferMs: 600_000, fullCompleteMs: 50 } });
        await f.setJobs([{ name: "orders", jobId: jobId(1), ...FAST }]);
        const first = f.stack.up().then(
            () => "finished",
            (e: Error) => e.message,
        );
        await until(() => f.emu.count("batch-status") >= 3);
        const killedAt = Date.now();
        process.kill(cliPid(), "SIGKILL");
        assert.match(await first, /SIGKILL/);
        const deadline = killedAt + OBSERVE_MS;
        await until(() => markedProcesses(f.marker).length === 0 || Date.now() >= deadline);
        const hostGone = markedProcesses(f.marker).length === 0 ? `${Date.now() - killedAt} ms after it` : "no";
        await new Promise((resolve) => setTimeout(resolve, deadline - Date.now()));
        const after = f.emu.calls.filter((c) => c.operation !== "control" && c.at >= killedAt).map((c) => c.at - killedAt);
        const lastMs = after.length > 0 ? Math.max(...after) : 0;
        const last = after.length > 0 ? `, the last one ${lastMs} ms after it` : "";
        console.log(`      ${after.length} DRS calls in the ${OBSERVE_MS / 1000} s after SIGKILL of the CLI${last}; provider host and its launcher gone: ${hostGone}`);
        assert.ok(lastMs < ORPHAN_GRACE_MS, `the orphaned host still called DRS ${lastMs} ms after the engine died`);
    });

    it("SIGINT to the CLI and every plugin process (a kill of all of them; a terminal signals only the CLI's group: see ctrlC.test.ts) stops the wait promptly; the next up converges", async () => {
        const f = await fixture({ jobs: [{ id: jobId(1) }], timings: { startingMs: 50, fullTransferMs: 60_000, fullCompleteMs: 50 } });
        await f.setJobs([{ name: "orders", jobId: jobId(1), ...FAST }]);
        const first = f.stack.up().then(
            () => "finished",
            (e: Error) => e.message,
        );
        await until(() => f.emu.count("batch-starting") === 1);
        const cli = cliPid();
        const interruptedAt = Date.now();
        for (const pid of [cli, ...descendants(cli)]) process.kill(pid, "SIGINT");
        const outcome = await first;
        const stoppedAfterMs = Date.now() - interruptedAt;
        console.log(`      up stopped ${stoppedAfterMs} ms after Ctrl-C (the job needed 60 s more)`);
        assert.notEqual(outcome, "finished");
        assert.ok(stoppedAfterMs < 10_000, `stopped after ${stoppedAfterMs} ms`);
        f.emu.jobs.setStatus(jobId(1), "INCRE_TRANSFER_STARTED");
        await f.stack.cancel();
        const second = await f.stack.up();
        assert.equal(second.outputs.orders.value.status, "INCRE_TRANSFER_STARTED");
        assert.equal(f.emu.count("batch-starting"), 1);
    });

    it("refresh while DRS answers 503 for a while retries and leaves the state intact", async () => {
        const f = await fixture({ jobs: [{ id: jobId(1) }] });
        await f.setJobs([{ name: "orders", jobId: jobId(1), ...FAST }]);
        await f.stack.up();
        // The baseline is a clean refresh: it reads what only refreshes record (the list entry's actions).
        await f.stack.refresh();
        const before = await f.exportState();
        f.emu.faults.add({ operation: "list-jobs", action: { kind: "respond", status: 503, body: { error_code: "DRS.M00503", error_msg: "Service unavailable" } }, times: 3 });
        const refresh = await f.stack.refresh();
        assert.equal(refresh.summary.result, "succeeded");
        assert.equal(refresh.summary.resourceChanges?.same, 2);
        assert.ok(f.emu.calls.filter((c) => c.operation === "list-jobs" && c.status === 503).length === 3, "three 503s were retried");
        const after = JSON.parse(await f.exportState()) as { resources: { type: string; outputs: unknown }[] };
        const drs = (state: { resources: { type: string; outputs: unknown }[] }) => state.resources.filter((r) => r.type.includes("DrsJobStart")).map((r) => r.outputs);
        assert.deepEqual(drs(after), drs(JSON.parse(before)));
    });
});
