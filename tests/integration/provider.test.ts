import { strict as assert } from "node:assert";
import { DrsJobError, type DrsJobStartInputs, type DrsJobStartOutputs } from "../../provider";
import { jobId } from "../support/env";
import { type Harness, startHarness } from "../support/providerHarness";

const J = jobId(1);

async function rejection(promise: Promise<unknown>): Promise<Error> {
    const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
    );
    assert.ok(error instanceof Error, "expected a rejection");
    return error;
}

describe("DrsJobStartProvider against the emulator", () => {
    let h: Harness;
    afterEach(() => h?.emu.close());

    describe("check", () => {
        beforeEach(async () => {
            h = await startHarness({ jobs: [{ id: J }] });
        });

        it("rejects bad inputs before any API call", async () => {
            const result = await h.provider.check({} as DrsJobStartInputs, { jobId: "../etc", projectId: "x", pollIntervalSeconds: 0 } as unknown as DrsJobStartInputs);
            assert.deepEqual(result.failures?.map((f) => f.property).sort(), ["jobId", "pollIntervalSeconds", "projectId"]);
            assert.equal(h.emu.calls.length, 0);
        });

        it("passes inputs with unknown (preview) values through unchanged", async () => {
            const news = { jobId: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } as DrsJobStartInputs;
            const result = await h.provider.check({} as DrsJobStartInputs, news);
            assert.deepEqual(result, { inputs: news });
        });
    });

    describe("diff", () => {
        beforeEach(async () => {
            h = await startHarness();
        });
        const olds = { jobId: J, projectId: "a".repeat(32), endpoint: "https://x.test", targetStatuses: ["INCRE_TRANSFER_STARTED"], timeoutSeconds: 3600, pollIntervalSeconds: 10, status: "INCRE_TRANSFER_STARTED" } as DrsJobStartOutputs;
        const same = { jobId: J, projectId: "a".repeat(32), endpoint: "https://x.test", targetStatuses: ["INCRE_TRANSFER_STARTED"], timeoutSeconds: 3600, pollIntervalSeconds: 10 } as DrsJobStartInputs;

        it("reports no change for the same inputs", async () => {
            assert.deepEqual(await h.provider.diff(J, olds, same), { changes: false, replaces: [], detailedDiff: {} });
        });

        it("replaces on jobId, projectId, region or endpoint", async () => {
            for (const [key, value] of [
                ["jobId", jobId(2)],
                ["projectId", "b".repeat(32)],
                ["endpoint", "https://y.test"],
            ]) {
                assert.deepEqual(await h.provider.diff(J, olds, { ...same, [key]: value }), { changes: true, replaces: [key], detailedDiff: { [key]: "updateReplace" } }, key);
            }
            // The old state had no region: the detailed diff says it is added.
            assert.deepEqual(await h.provider.diff(J, olds, { ...same, region: "eu-nl" }), { changes: true, replaces: ["region"], detailedDiff: { region: "addReplace" } });
        });

        it("names drift as a change of jobStatus in the detailed diff", async () => {
            assert.deepEqual(await h.provider.diff(J, { ...olds, status: "INCRE_TRANSFER_FAILED" }, same), { changes: true, replaces: [], detailedDiff: { jobStatus: "update" } });
        });

        it("changes wait options in place without an API call", async () => {
            assert.deepEqual(await h.provider.diff(J, olds, { ...same, timeoutSeconds: 60, targetStatuses: ["FULL_TRANSFER_COMPLETE"] }), {
                changes: true,
                replaces: [],
                detailedDiff: { targetStatuses: "update", timeoutSeconds: "update" },
            });
            assert.equal(h.emu.calls.length, 0);
        });
    });

    describe("create", () => {
        it("starts a CONFIGURATION job and waits until INCRE_TRANSFER_STARTED", async () => {
            h = await startHarness({ jobs: [{ id: J, name: "orders" }] });
            const result = await h.provider.create(await h.checked({ jobId: J, dbUseType: "migration" }));
            assert.equal(result.id, J);
            assert.equal(result.outs?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(result.outs?.name, "orders");
            assert.equal(result.outs?.progress, 100);
            assert.equal(result.outs?.increTransDelaySeconds, 0);
            assert.equal(result.outs?.taskMode, "FULL_INCR_TRANS");
            assert.ok(result.outs?.startedAt && !Number.isNaN(Date.parse(result.outs.startedAt)));
            assert.equal(h.emu.jobs.get(J)?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(h.emu.jobs.get(J)?.starts, 1);
            // One job from CONFIGURATION, default lifecycle (300 ms) polled every 50 ms:
            // 1 token + 1 list + 1 start + the status polls + 1 progress.
            const counts = { iam: h.emu.count("iam-token"), list: h.emu.count("list-jobs"), start: h.emu.count("batch-starting"), progress: h.emu.count("batch-progress") };
            assert.deepEqual(counts, { iam: 1, list: 1, start: 1, progress: 1 });
            const polls = h.emu.count("batch-status");
            assert.ok(polls >= 5 && polls <= 9, `status polls ${polls}`);
        });

        it("adopts a job already in a target status without calling batch-starting", async () => {
            h = await startHarness({ jobs: [{ id: J, status: "INCRE_TRANSFER_STARTED" }] });
            const result = await h.provider.create(await h.checked({ jobId: J }));
            assert.equal(result.outs?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(result.outs?.startedAt, undefined);
            assert.equal(h.emu.count("batch-starting"), 0);
            assert.equal(h.emu.count("batch-status"), 0);
            assert.deepEqual(h.progressLines, [
                `drs: calling ${h.emu.url} for project ${h.emu.projectId} with IAM user ${h.env.OS_USERNAME} of domain ${h.env.OS_DOMAIN_NAME} (OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME)`,
                `drs job ${J}: already INCRE_TRANSFER_STARTED: adopted, not started`,
            ]);
        });

        it("only waits for a job that is already transferring", async () => {
            h = await startHarness({ jobs: [{ id: J, status: "FULL_TRANSFER_STARTED" }], timings: { fullTransferMs: 1_000 } });
            const result = await h.provider.create(await h.checked({ jobId: J }));
            assert.equal(result.outs?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(h.emu.count("batch-starting"), 0);
            assert.ok(h.emu.count("batch-status") >= 2);
        });

        it("targets FULL_TRANSFER_COMPLETE for a full-only job", async () => {
            h = await startHarness({ jobs: [{ id: J, taskMode: "FULL_TRANS" }] });
            const result = await h.provider.create(await h.checked({ jobId: J, targetStatuses: ["FULL_TRANSFER_COMPLETE"] }));
            assert.equal(result.outs?.status, "FULL_TRANSFER_COMPLETE");
            assert.equal(result.outs?.taskMode, "FULL_TRANS");
        });

        it("refuses a job that already failed, keeping it in state, without starting it", async () => {
            h = await startHarness({ jobs: [{ id: J, status: "INCRE_TRANSFER_FAILED", errorMessage: "Unable to connect to DBMS" }] });
            const error = await rejection(h.provider.create(await h.checked({ jobId: J })));
            assert.ok(error instanceof DrsJobError);
            assert.match(error.message, new RegExp(`DRS job ${J}: has failed in DRS and cannot reach INCRE_TRANSFER_STARTED \\(status INCRE_TRANSFER_FAILED\\)`));
            assert.match(error.message, /Unable to connect to DBMS/);
            assert.equal(error.id, J);
            assert.equal(h.emu.count("batch-starting"), 0);
        });

        it("fails on a per-job failed result in a 202 with the DRS code and message", async () => {
            h = await startHarness({ jobs: [{ id: J, startFailure: { errorCode: "DRS.M05010", errorMessage: "Source database unreachable." } }] });
            const error = await rejection(h.provider.create(await h.checked({ jobId: J })));
            assert.ok(error instanceof DrsJobError);
            assert.match(error.message, new RegExp(`DRS job ${J}: DRS refused to start the job \\(status CONFIGURATION\\)\\. DRS error DRS\\.M05010: Source database unreachable\\.`));
            assert.equal(error.id, undefined, "nothing started: the next up creates again");
            assert.equal(h.emu.count("batch-status"), 1, "one look after the refusal (was it started elsewhere?), nothing more");
            assert.equal(h.emu.count("batch-starting"), 1, "a refusal that is not transient is not sent again");
        });

        it("fails mid-wait with job id, status, DRS code and message, recorded as created-but-failed", async () => {
            h = await startHarness({ jobs: [{ id: J, failAt: { phase: "FULL_TRANSFER_STARTED", errorCode: "DRS.M03001", errorMessage: "Unable to connect to the source database." } }] });
            const inputs = await h.checked({ jobId: J });
            const error = await rejection(h.provider.create({ ...inputs, __provider: "serialized" } as DrsJobStartInputs));
            assert.ok(error instanceof DrsJobError);
            for (const part of [J, "FULL_TRANSFER_FAILED", "DRS.M03001", "Unable to connect to the source database."]) assert.ok(error.message.includes(part), part);
            assert.equal(error.id, J);
            assert.equal(error.properties?.status, "FULL_TRANSFER_FAILED");
            assert.equal(error.properties?.errorCode, "DRS.M03001");
            assert.equal(error.properties?.__provider, "serialized", "state keeps the provider so refresh works");
            assert.equal(error.properties?.availableActions, undefined, "the list entry's actions from before the start are not stored as current");
        });

        it("times out naming the last status seen", async () => {
            h = await startHarness({ jobs: [{ id: J }], timings: { fullTransferMs: 60_000 } });
            const started = Date.now();
            const error = await rejection(h.provider.create(await h.checked({ jobId: J, timeoutSeconds: 1, pollIntervalSeconds: 0.2 })));
            assert.ok(error instanceof DrsJobError);
            assert.match(error.message, /did not reach INCRE_TRANSFER_STARTED within 1 s; last status seen FULL_TRANSFER_STARTED/);
            assert.match(error.message, /run pulumi up again/);
            assert.equal(error.id, J);
            const took = Date.now() - started;
            assert.ok(took >= 1000 && took < 2500, `took ${took} ms`);
        });

        it("waits through WAITING_FOR_START for a scheduled start", async () => {
            h = await startHarness({ jobs: [{ id: J }] });
            const at = Date.now() + 500;
            const started = Date.now();
            const result = await h.provider.create(await h.checked({ jobId: J, startTime: new Date(at).toISOString() }));
            assert.equal(result.outs?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(result.outs?.startTime, at);
            assert.ok(Date.now() - started >= 500 + 300);
            const start = h.emu.calls.find((c) => c.operation === "batch-starting");
            assert.deepEqual(start?.body, { jobs: [{ job_id: J, start_time: String(at) }] });
        });

        it("fails clearly for a job that does not exist", async () => {
            h = await startHarness();
            const error = await rejection(h.provider.create(await h.checked({ jobId: J })));
            assert.match(error.message, new RegExp(`DRS job ${J}: not found in project ${h.emu.projectId} \\(searched db_use_type migration, sync, cloudDataGuard`));
            // One listing per scenario; a listing the transport re-sent (a slow answer under a loaded CI machine) repeats its scenario.
            const scopes = h.emu.calls.filter((c) => c.operation === "list-jobs").map((c) => (c.body as { db_use_type?: string }).db_use_type);
            assert.deepEqual([...new Set(scopes)], ["migration", "sync", "cloudDataGuard"]);
        });

        it("reports a job deleted during the wait", async () => {
            h = await startHarness({ jobs: [{ id: J }], timings: { fullTransferMs: 60_000 } });
            h.afterStart(() => h.emu.jobs.delete(J), 100);
            const error = await rejection(h.provider.create(await h.checked({ jobId: J })));
            assert.match(error.message, /disappeared from DRS while waiting/);
            assert.match(error.message, /DRS error DRS\.M05004/, "the deleted job's own DRS code");
        });

        it("keeps going through 429 and 503 answers", async () => {
            h = await startHarness({ jobs: [{ id: J }] });
            h.emu.faults.add({ operation: "batch-status", times: 2, action: { kind: "respond", status: 503, body: { error_code: "DRS.M00503", error_msg: "busy" } } });
            h.emu.faults.add({ operation: "list-jobs", times: 1, action: { kind: "respond", status: 429, headers: { "Retry-After": "0.1" }, body: {} } });
            const result = await h.provider.create(await h.checked({ jobId: J }));
            assert.equal(result.outs?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(h.emu.jobs.get(J)?.starts, 1);
        });

        it("renews the IAM token once when it expires mid-wait", async () => {
            h = await startHarness({ jobs: [{ id: J }], timings: { fullTransferMs: 600 } });
            setTimeout(() => h.emu.tokens.revokeAll(), 300);
            const result = await h.provider.create(await h.checked({ jobId: J }));
            assert.equal(result.outs?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(h.emu.tokens.issuedCount, 2);
            assert.ok(h.emu.calls.some((c) => c.status === 401));
        });

        it("never starts twice when the start response is lost", async () => {
            h = await startHarness({ jobs: [{ id: J }] });
            h.emu.faults.add({ operation: "batch-starting", action: { kind: "drop-response" } });
            const result = await h.provider.create(await h.checked({ jobId: J }));
            assert.equal(result.outs?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(h.emu.count("batch-starting"), 1);
            assert.equal(h.emu.jobs.get(J)?.starts, 1);
        });

        it("sends the start again when the request provably did not reach DRS", async () => {
            h = await startHarness({ jobs: [{ id: J }] });
            h.emu.faults.add({ operation: "batch-starting", action: { kind: "reset" } });
            const result = await h.provider.create(await h.checked({ jobId: J }));
            assert.equal(result.outs?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(h.emu.count("batch-starting"), 2);
            assert.equal(h.emu.jobs.get(J)?.starts, 1);
        });
    });

    describe("read", () => {
        let outs: DrsJobStartOutputs;
        beforeEach(async () => {
            h = await startHarness({ jobs: [{ id: J, dbUseType: "sync" }] });
            outs = (await h.provider.create(await h.checked({ jobId: J, dbUseType: "sync" }))).outs!;
        });

        it("refreshes status and error message from the tenant job list", async () => {
            h.emu.jobs.setStatus(J, "INCRE_TRANSFER_FAILED", { errorCode: "DRS.M04001", errorMessage: "Binlog purged on source" });
            const result = await h.provider.read(J, outs);
            assert.equal(result.id, J);
            assert.equal(result.props?.status, "INCRE_TRANSFER_FAILED");
            assert.equal(result.props?.errorMessage, "Binlog purged on source");
            assert.equal(result.props?.errorCode, "DRS.M04001");
            assert.equal(result.props?.startedAt, outs.startedAt);
        });

        it("reports a job that no longer exists as gone", async () => {
            h.emu.jobs.delete(J);
            assert.deepEqual(await h.provider.read(J, outs), {});
        });

        it("imports a running job by id alone, searching every scenario", async () => {
            h.emu.calls.length = 0;
            const result = await h.provider.read(J, { jobId: J } as DrsJobStartOutputs);
            assert.equal(result.id, J);
            assert.equal(result.props?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(result.props?.projectId, h.emu.projectId);
            assert.equal(result.props?.timeoutSeconds, 3600);
            assert.equal(h.emu.count("list-jobs"), 2, "migration, then sync");
            assert.equal(h.emu.count("batch-starting"), 0);
        });
    });

    describe("update and delete", () => {
        let outs: DrsJobStartOutputs;
        beforeEach(async () => {
            h = await startHarness({ jobs: [{ id: J }] });
            outs = (await h.provider.create(await h.checked({ jobId: J }))).outs!;
            h.emu.calls.length = 0;
        });

        it("applies new wait options to a running job without starting it", async () => {
            const news = await h.checked({ jobId: J, timeoutSeconds: 120 });
            const result = await h.provider.update(J, outs, news);
            assert.equal(result.outs?.timeoutSeconds, 120);
            assert.equal(result.outs?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(result.outs?.startedAt, outs.startedAt);
            assert.equal(h.emu.count("batch-starting"), 0);
        });

        it("starts and waits again when the job is startable again", async () => {
            h.emu.jobs.setStatus(J, "CONFIGURATION");
            const result = await h.provider.update(J, outs, await h.checked({ jobId: J }));
            assert.equal(result.outs?.status, "INCRE_TRANSFER_STARTED");
            assert.equal(h.emu.count("batch-starting"), 1);
            assert.equal(h.emu.jobs.get(J)?.starts, 2);
        });

        it("delete leaves the job running and calls no API", async () => {
            await h.provider.delete(J, { ...(await h.provider.check({} as DrsJobStartInputs, { jobId: J } as DrsJobStartInputs)).inputs } as DrsJobStartOutputs);
            assert.equal(h.emu.calls.length, 0);
            assert.equal(h.emu.jobs.get(J)?.status, "INCRE_TRANSFER_STARTED");
        });
    });
});
