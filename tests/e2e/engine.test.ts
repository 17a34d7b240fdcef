import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_USER } from "../../emulator";
import { DRS_TYPE, FAST, useEngineFixtures } from "../support/e2eFixture";
import { jobId } from "../support/env";

describe("end to end through the real Pulumi engine", function () {
    this.timeout(180_000);
    const fixture = useEngineFixtures();

    it("preview shows one create and calls no DRS API", async () => {
        const f = await fixture({ jobs: [{ id: jobId(1) }] });
        await f.setJobs([{ name: "orders", jobId: jobId(1), ...FAST }]);
        const preview = await f.stack.preview();
        assert.equal(preview.changeSummary.create, 2, "the stack and the DrsJobStart");
        assert.equal(f.emu.count("batch-starting"), 0);
        assert.deepEqual(
            f.emu.calls.filter((c) => c.operation !== "iam-token"),
            [],
        );
    });

    it("up starts the job, exports its status; a second up changes nothing and starts nothing", async () => {
        const f = await fixture({ jobs: [{ id: jobId(1), name: "orders" }] });
        await f.setJobs([{ name: "orders", jobId: jobId(1), dbUseType: "migration", ...FAST }]);
        const up = await f.stack.up();
        assert.equal(up.summary.result, "succeeded");
        assert.deepEqual(up.outputs.orders.value, { jobId: jobId(1), status: "INCRE_TRANSFER_STARTED" });
        assert.equal(f.emu.jobs.get(jobId(1))?.status, "INCRE_TRANSFER_STARTED");
        assert.equal(f.emu.count("batch-starting"), 1);
        const again = await f.stack.up();
        assert.equal(again.summary.resourceChanges?.same, 2);
        assert.equal(again.summary.resourceChanges?.create, undefined);
        assert.equal(f.emu.count("batch-starting"), 1);
    });

    it("refresh shows a failure set in DRS, then drops a job DRS deleted", async () => {
        const f = await fixture({ jobs: [{ id: jobId(1) }] });
        await f.setJobs([{ name: "orders", jobId: jobId(1), ...FAST }]);
        await f.stack.up();
        f.emu.jobs.setStatus(jobId(1), "INCRE_TRANSFER_FAILED", { errorCode: "DRS.M04001", errorMessage: "Binlog purged on source" });
        await f.stack.refresh();
        const state = await f.exportState();
        assert.match(state, /"status":"INCRE_TRANSFER_FAILED"/);
        assert.match(state, /Binlog purged on source/);
        f.emu.jobs.delete(jobId(1));
        const refresh = await f.stack.refresh();
        assert.equal(refresh.summary.resourceChanges?.delete, 1);
        assert.ok(!(await f.resourceTypes()).includes(DRS_TYPE), "the resource is dropped from state");
    });

    it("up on a job failing during full transfer exits non-zero with job id, status and DRS code", async () => {
        const f = await fixture({ jobs: [{ id: jobId(2), failAt: { phase: "FULL_TRANSFER_STARTED", errorCode: "DRS.M03001", errorMessage: "Unable to connect to the source database." } }] });
        await f.setJobs([{ name: "legacy", jobId: jobId(2), ...FAST }]);
        const error = await f.stack.up().then(
            () => undefined,
            (e: Error) => e,
        );
        assert.ok(error, "up must fail");
        for (const part of [jobId(2), "FULL_TRANSFER_FAILED", "DRS.M03001", "Unable to connect to the source database."]) assert.ok(error.message.includes(part), `engine output lacks ${part}`);
        // Created-but-failed: the next up re-examines the job instead of starting it again.
        f.emu.jobs.setStatus(jobId(2), "INCRE_TRANSFER_STARTED");
        const retry = await f.stack.up();
        assert.equal(retry.summary.result, "succeeded");
        assert.equal(f.emu.jobs.get(jobId(2))?.starts, 1);
    });

    it("brings a running job under management without starting it (adoption replaces import)", async () => {
        const f = await fixture({ jobs: [{ id: jobId(3), status: "INCRE_TRANSFER_STARTED", dbUseType: "sync" }] });
        await f.setJobs([{ name: "adopted", jobId: jobId(3), dbUseType: "sync", ...FAST }]);
        const up = await f.stack.up();
        assert.equal(up.summary.resourceChanges?.create, 2);
        assert.equal(up.outputs.adopted.value.status, "INCRE_TRANSFER_STARTED");
        assert.equal(f.emu.count("batch-starting"), 0);
        assert.equal(f.emu.jobs.get(jobId(3))?.starts, 0);
        const refresh = await f.stack.refresh();
        assert.equal(refresh.summary.resourceChanges?.same, 2);
    });

    it("the engine still cannot import a dynamic resource (pulumi/pulumi#3550): when this fails, document the import option", async () => {
        // The engine's import step calls Read with neither inputs nor state, so the
        // dynamic provider host finds no serialized provider: "code must be a string".
        const f = await fixture({ jobs: [{ id: jobId(3), status: "INCRE_TRANSFER_STARTED" }] });
        await f.setJobs([{ name: "imported", jobId: jobId(3), importId: jobId(3), ...FAST }]);
        const error = await f.stack.up().then(
            () => undefined,
            (e: Error) => e,
        );
        assert.match(String(error?.message), /code must be a string/);
        assert.equal(f.emu.count("batch-starting"), 0);
    });

    it("destroy succeeds and leaves the job running", async () => {
        const f = await fixture({ jobs: [{ id: jobId(1) }] });
        await f.setJobs([{ name: "orders", jobId: jobId(1), ...FAST }]);
        await f.stack.up();
        const destroy = await f.stack.destroy();
        assert.equal(destroy.summary.result, "succeeded");
        assert.equal(f.emu.jobs.get(jobId(1))?.status, "INCRE_TRANSFER_STARTED");
    });

    it("takes the password from a secret stack config value and keeps state encrypted", async () => {
        // The environment's password is wrong: only the stack config one works.
        const f = await fixture({ jobs: [{ id: jobId(1) }] }, { OS_PASSWORD: "wrong-env-password" });
        await f.stack.setConfig("drs:password", { value: DEFAULT_USER.password, secret: true });
        await f.setJobs([{ name: "orders", jobId: jobId(1), ...FAST }]);
        const up = await f.stack.up();
        assert.equal(up.summary.result, "succeeded");
        const settings = fs.readFileSync(path.join(f.programDir, "Pulumi.e2e.yaml"), "utf8");
        assert.match(settings, /drs:password:\s+secure:/);
        assert.ok(!settings.includes(DEFAULT_USER.password));
        // The engine copies stack config into the default pulumi-nodejs provider's inputs:
        // on disk the secret must only appear as ciphertext.
        const stored = f.storedState();
        assert.ok(!stored.includes(DEFAULT_USER.password), "the stored checkpoint holds the password in plaintext");
        assert.match(stored, /"drs:password":\{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","ciphertext":/);
        const drsResource = JSON.stringify(JSON.parse(await f.exportState()).resources.find((r: { type: string }) => r.type === DRS_TYPE));
        assert.ok(!drsResource.includes(DEFAULT_USER.password), "the DrsJobStart resource holds the password");
    });

    it("shows the job's phase, progress and delay in the engine output while waiting", async () => {
        const f = await fixture({ jobs: [{ id: jobId(1), increDelaySeconds: 3 }], timings: { startingMs: 100, fullTransferMs: 1500, fullCompleteMs: 100 } }, { DRS_PROGRESS_SECONDS: "0.3" });
        await f.setJobs([{ name: "orders", jobId: jobId(1), pollIntervalSeconds: 0.1, timeoutSeconds: 60 }]);
        const up = await f.stack.up();
        const lines = up.stdout.split("\n").filter((l) => l.includes(`drs job ${jobId(1)}`));
        assert.ok(
            lines.some((l) => /STARTJOBING/.test(l)),
            up.stdout,
        );
        assert.ok(
            lines.some((l) => /FULL_TRANSFER_STARTED, full transfer \d+ %/.test(l)),
            up.stdout,
        );
        assert.ok(lines.filter((l) => /FULL_TRANSFER_STARTED/.test(l)).length >= 2, "a long phase is reported repeatedly");
        assert.ok(
            lines.some((l) => /INCRE_TRANSFER_STARTED reached, full transfer 100 %, incremental delay 3 s/.test(l)),
            up.stdout,
        );
        assert.equal(up.outputs.orders.value.status, "INCRE_TRANSFER_STARTED");
    });

    it("state holds no credential and a small serialized provider", async () => {
        const f = await fixture({ jobs: [{ id: jobId(1) }] });
        await f.setJobs([{ name: "orders", jobId: jobId(1), ...FAST }]);
        await f.stack.up();
        const deployment = (await f.stack.exportStack()).deployment as { resources: { type: string; inputs: Record<string, unknown> }[] };
        const state = JSON.stringify(deployment);
        assert.ok(!state.includes(DEFAULT_USER.password), "state leaks the IAM password");
        assert.doesNotMatch(state, /emu-[0-9a-f]{48}/, "state leaks an IAM token");
        assert.doesNotMatch(state, /OS_PASSWORD|X-Auth-Token/);
        const resource = deployment.resources.find((r) => r.type === DRS_TYPE);
        assert.ok(resource, "resource carries its own type token");
        const size = String(resource.inputs.__provider).length;
        console.log(`      serialized provider in state: ${size} bytes`);
        assert.ok(size < 4096, `serialized provider is ${size} bytes`);
    });
});
