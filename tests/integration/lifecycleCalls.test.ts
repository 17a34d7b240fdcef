import { strict as assert } from "node:assert";
import { clientEnv, DEFAULT_ACCESS_KEY, type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";
import { PasswordTokenSource } from "../../provider/drs/auth";
import { DrsClient } from "../../provider/drs/client";
import { DrsApiError } from "../../provider/drs/errors";
import type { TransportOptions } from "../../provider/drs/http";
import { CoalescingJobsApi } from "../../provider/jobs/coalescingJobsApi";
import { DirectJobsApi } from "../../provider/jobs/directJobsApi";
import { systemClock } from "../../provider/wait/clock";
import { useCleanups } from "../support/cleanups";
import { jobId } from "../support/env";
import { FAST_TRANSPORT } from "../support/fastTransport";
import { until } from "../support/until";

const RUNNING = jobId(0x24_01);
const FULL = jobId(0x24_02);
const CONFIGURED = jobId(0x24_03);
const FAILED = jobId(0x24_04);
/** Jobs that stay where they are seeded: the full transfer takes 10 minutes. */
const JOBS: EmulatorOptions["jobs"] = [
    { id: RUNNING, status: "INCRE_TRANSFER_STARTED" },
    { id: FULL, status: "FULL_TRANSFER_STARTED" },
    { id: CONFIGURED },
    { id: FAILED, status: "INCRE_TRANSFER_FAILED", errorCode: "DRS.M03001", errorMessage: "Source unreachable." },
];
/** Resolves once the async `condition()` holds, looking every 20 ms (the test's timeout bounds the wait). */
async function eventually(condition: () => Promise<boolean>): Promise<void> {
    while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** The three lifecycle calls, as the emulator counts them. */
const LIFECYCLE_OPERATIONS = ["batch-pause-task", "batch-retry-task", "batch-jobs"] as const;
/** The status each answers with: 200, 200, 202. */
const OK_STATUS: Record<(typeof LIFECYCLE_OPERATIONS)[number], number> = { "batch-pause-task": 200, "batch-retry-task": 200, "batch-jobs": 202 };

/** One call of `operation` that succeeds on the seeded jobs: pause RUNNING, retry FAILED, or stop RUNNING. */
function send(c: DrsClient, operation: (typeof LIFECYCLE_OPERATIONS)[number]) {
    if (operation === "batch-pause-task") return c.batchPause([{ jobId: RUNNING, pauseMode: "target" }]);
    if (operation === "batch-retry-task") return c.batchRetry([FAILED]);
    return c.batchEnd([{ jobId: RUNNING, deleteType: "terminate" }]);
}

const SLOW: EmulatorOptions["timings"] = { startingMs: 50, fullTransferMs: 600_000, fullCompleteMs: 50, releaseMs: 100 };

describe("lifecycle calls against the emulator (real HTTP)", function () {
    this.timeout(20_000);
    const cleanups = useCleanups(afterEach);
    let emu: Emulator;

    async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
        emu = await startEmulator({ jobs: JOBS, timings: SLOW, ...options });
        cleanups.push(() => emu.close());
        return emu;
    }

    function client(transport: TransportOptions = FAST_TRANSPORT): DrsClient {
        const env = clientEnv(emu);
        const auth = new PasswordTokenSource({ authUrl: env.OS_AUTH_URL!, username: env.OS_USERNAME!, password: env.OS_PASSWORD!, domainName: env.OS_DOMAIN_NAME!, projectId: emu.projectId }, transport);
        return new DrsClient({ endpoint: emu.url, projectId: emu.projectId, auth, transport });
    }

    const statusOf = async (c: DrsClient, id: string) => (await c.batchStatus([id]))[0];
    const bodies = (operation: string) => emu.calls.filter((c) => c.operation === operation).map((c) => c.body);
    const statuses = (operation: string) => emu.calls.filter((c) => c.operation === operation).map((c) => c.status);

    describe("batch-pause-task", () => {
        it("pauses with pause_mode (HTTP 200); a job in the wrong status is refused in its own result (DRS.M00304), the others paused", async () => {
            await emulator();
            const c = client();
            const results = await c.batchPause([
                { jobId: RUNNING, pauseMode: "target" },
                { jobId: CONFIGURED, pauseMode: "target" },
                { jobId: FULL, pauseMode: "all" },
            ]);
            assert.deepEqual(
                results.map((r) => [r.id, r.status, r.errorCode]),
                [
                    [RUNNING, "success", undefined],
                    [CONFIGURED, "failed", "DRS.M00304"],
                    [FULL, "success", undefined],
                ],
            );
            assert.match(results[1].errorMessage ?? "", /current task status \(CONFIGURATION\)/);
            assert.deepEqual(statuses("batch-pause-task"), [200]);
            assert.deepEqual(bodies("batch-pause-task"), [
                {
                    jobs: [
                        { job_id: RUNNING, pause_mode: "target" },
                        { job_id: CONFIGURED, pause_mode: "target" },
                        { job_id: FULL, pause_mode: "all" },
                    ],
                },
            ]);
            assert.equal((await statusOf(c, RUNNING)).status, "PAUSING");
            assert.equal(emu.jobs.get(FULL)?.paused?.mode, "all");
            const again = await c.batchPause([{ jobId: RUNNING, pauseMode: "target" }]);
            assert.deepEqual([again[0].status, again[0].errorCode], ["failed", "DRS.M00304"], "a second pause is refused harmlessly");
        });

        it("answers PAUSEING (the OTC page's spelling) when switched", async () => {
            await emulator({ pausedStatusAnswer: "PAUSEING" });
            const c = client();
            await c.batchPause([{ jobId: RUNNING, pauseMode: "target" }]);
            assert.equal((await statusOf(c, RUNNING)).status, "PAUSEING");
        });

        it("refuses an engine pair that cannot pause, in that job's result only", async () => {
            await emulator({ jobs: [...(JOBS ?? []), { id: jobId(0x24_05), status: "INCRE_TRANSFER_STARTED", engineType: "oracle-to-mysql", pausable: false }] });
            const results = await client().batchPause([
                { jobId: jobId(0x24_05), pauseMode: "target" },
                { jobId: RUNNING, pauseMode: "target" },
            ]);
            assert.deepEqual(
                results.map((r) => r.status),
                ["failed", "success"],
            );
            assert.equal(results[0].errorCode, "DRS.M00304");
            assert.match(results[0].errorMessage ?? "", /pausing is not supported for its engine \(oracle-to-mysql\)/);
        });

        it("answers an injected busy (DRS.M01504) and throttle (DRS.M01503) per job and per call", async () => {
            await emulator();
            emu.jobs.actAsOther(RUNNING, { kind: "busy", times: 1, call: "pause" });
            emu.jobs.actAsOther(FULL, { kind: "throttles", times: 1, call: "pause" });
            const c = client();
            const first = await c.batchPause([
                { jobId: RUNNING, pauseMode: "target" },
                { jobId: FULL, pauseMode: "target" },
            ]);
            assert.deepEqual(
                first.map((r) => r.errorCode),
                ["DRS.M01504", "DRS.M01503"],
            );
            const second = await c.batchPause([
                { jobId: RUNNING, pauseMode: "target" },
                { jobId: FULL, pauseMode: "target" },
            ]);
            assert.deepEqual(
                second.map((r) => r.status),
                ["success", "success"],
                "each refusal was queued for one call",
            );
        });
    });

    describe("batch-retry-task", () => {
        it("resumes a paused job where it paused, and retries a failed one (HTTP 200, no is_sync_re_edit sent)", async () => {
            await emulator();
            const c = client();
            await c.batchPause([
                { jobId: RUNNING, pauseMode: "target" },
                { jobId: FULL, pauseMode: "target" },
            ]);
            const results = await c.batchRetry([RUNNING, FULL, FAILED, CONFIGURED]);
            assert.deepEqual(
                results.map((r) => [r.status, r.errorCode]),
                [
                    ["success", undefined],
                    ["success", undefined],
                    ["success", undefined],
                    ["failed", "DRS.M00304"],
                ],
            );
            assert.deepEqual(statuses("batch-retry-task"), [200]);
            assert.deepEqual(bodies("batch-retry-task"), [{ jobs: [RUNNING, FULL, FAILED, CONFIGURED].map((job_id) => ({ job_id })) }]);
            const after = await c.batchStatus([RUNNING, FULL, FAILED]);
            assert.deepEqual(
                after.map((r) => [r.status, r.errorCode]),
                [
                    ["INCRE_TRANSFER_STARTED", undefined],
                    ["FULL_TRANSFER_STARTED", undefined],
                    ["INCRE_TRANSFER_STARTED", undefined],
                ],
            );
            assert.equal(emu.jobs.get(FAILED)?.retries, 1);
        });

        it("a retried job fails again with another code when the test says so", async () => {
            await emulator({ jobs: [{ id: FAILED, status: "INCRE_TRANSFER_FAILED", errorCode: "DRS.M03001", failAfterRetry: { phase: "INCRE_TRANSFER_STARTED", errorCode: "DRS.M03002", errorMessage: "Source log expired.", afterMs: 50 } }] });
            const c = client();
            assert.equal((await c.batchRetry([FAILED]))[0].status, "success");
            await eventually(async () => (await statusOf(c, FAILED)).status === "INCRE_TRANSFER_FAILED");
            assert.equal((await statusOf(c, FAILED)).errorCode, "DRS.M03002");
        });
    });

    describe("DELETE batch-jobs", () => {
        it("stops (terminate, HTTP 202) through RELEASE_RESOURCE_STARTED to RELEASE_RESOURCE_COMPLETE, then deletes: the job vanishes", async () => {
            await emulator();
            const c = client();
            const stopped = await c.batchEnd([
                { jobId: RUNNING, deleteType: "terminate" },
                { jobId: FULL, deleteType: "delete" },
            ]);
            assert.deepEqual(
                stopped.map((r) => [r.status, r.errorCode]),
                [
                    ["success", undefined],
                    ["failed", "DRS.M00304"],
                ],
                "delete only a stopped job",
            );
            assert.equal((await statusOf(c, RUNNING)).status, "RELEASE_RESOURCE_STARTED");
            assert.equal((await c.batchEnd([{ jobId: RUNNING, deleteType: "terminate" }]))[0].errorCode, "DRS.M00304", "a second stop is refused harmlessly");
            await eventually(async () => (await statusOf(c, RUNNING)).status === "RELEASE_RESOURCE_COMPLETE");
            assert.deepEqual((await c.batchEnd([{ jobId: RUNNING, deleteType: "delete" }]))[0].status, "success");
            const vanished = await statusOf(c, RUNNING);
            assert.deepEqual([vanished.status, vanished.errorCode], ["", "DRS.M05004"], "no longer reported: deleted");
            assert.equal(await c.findJob(RUNNING, ["migration"]), undefined, "no longer listed");
            const again = await c.batchEnd([{ jobId: RUNNING, deleteType: "delete" }]);
            assert.deepEqual([again[0].status, again[0].errorCode], ["failed", "DRS.M05004"], "a second delete: deleted");
            const unknown = await c.batchEnd([{ jobId: jobId(0x24_ff), deleteType: "terminate" }]);
            assert.equal(unknown[0].errorCode, "DRS.M05003");
            assert.deepEqual(
                emu.calls.filter((x) => x.operation === "batch-jobs").map((x) => x.status),
                [202, 202, 202, 202, 202],
            );
            assert.deepEqual(bodies("batch-jobs")[0], {
                jobs: [
                    { delete_type: "terminate", job_id: RUNNING },
                    { delete_type: "delete", job_id: FULL },
                ],
            });
        });

        it("keeps a deleted job listed as DELETED when switched (Huawei's reading); a stop can end in RELEASE_RESOURCE_FAILED", async () => {
            await emulator({
                deletedListingAnswer: "DELETED",
                jobs: [
                    { id: RUNNING, status: "INCRE_TRANSFER_STARTED" },
                    { id: FULL, status: "FULL_TRANSFER_STARTED", releaseFailure: { errorCode: "DRS.M07001", errorMessage: "Release failed." } },
                ],
            });
            const c = client();
            await c.batchEnd([
                { jobId: RUNNING, deleteType: "force_terminate" },
                { jobId: FULL, deleteType: "terminate" },
            ]);
            await eventually(async () => (await c.batchStatus([RUNNING, FULL])).every((r) => r.status.startsWith("RELEASE_RESOURCE_") && r.status !== "RELEASE_RESOURCE_STARTED"));
            const [running, full] = await c.batchStatus([RUNNING, FULL]);
            assert.equal(running.status, "RELEASE_RESOURCE_COMPLETE");
            assert.deepEqual([full.status, full.errorCode], ["RELEASE_RESOURCE_FAILED", "DRS.M07001"]);
            assert.equal((await c.batchEnd([{ jobId: FULL, deleteType: "terminate" }]))[0].errorCode, "DRS.M00304", "only a forced stop retries a failed release");
            assert.equal((await c.batchEnd([{ jobId: RUNNING, deleteType: "delete" }]))[0].status, "success");
            assert.equal((await statusOf(c, RUNNING)).status, "DELETED");
            assert.equal((await c.findJob(RUNNING, ["migration"]))?.status, "DELETED");
            assert.equal((await c.batchEnd([{ jobId: RUNNING, deleteType: "delete" }]))[0].errorCode, "DRS.M05004");
        });

        it("signs the DELETE and its exact JSON body with access keys", async () => {
            await emulator();
            const signed = new DrsClient({ endpoint: emu.url, projectId: emu.projectId, auth: { accessKey: DEFAULT_ACCESS_KEY.accessKey, secretKey: DEFAULT_ACCESS_KEY.secretKey }, transport: FAST_TRANSPORT });
            assert.equal((await signed.batchEnd([{ jobId: RUNNING, deleteType: "terminate" }]))[0].status, "success");
            assert.equal((await signed.batchPause([{ jobId: FULL, pauseMode: "target" }]))[0].status, "success");
            assert.equal((await signed.batchRetry([FULL]))[0].status, "success");
            const wrong = new DrsClient({ endpoint: emu.url, projectId: emu.projectId, auth: { accessKey: DEFAULT_ACCESS_KEY.accessKey, secretKey: "not-the-secret" }, transport: FAST_TRANSPORT });
            await assert.rejects(wrong.batchEnd([{ jobId: FULL, deleteType: "terminate" }]), (e: DrsApiError) => e.httpStatus === 401 && e.operation === "batch-jobs");
        });
    });

    describe("refusals with and without per-job results", () => {
        it("a 400 with per-job results answers each job; a bare 400 of several jobs throws; one job's bare 400 is its `failed` through the jobs API", async () => {
            await emulator({ deletedJobAnswer: "400-with-results" });
            emu.jobs.delete(FULL);
            const c = client();
            const results = await c.batchPause([
                { jobId: RUNNING, pauseMode: "target" },
                { jobId: FULL, pauseMode: "target" },
            ]);
            assert.deepEqual(
                results.map((r) => [r.status, r.errorCode]),
                [
                    ["success", undefined],
                    ["failed", "DRS.M05004"],
                ],
            );
            assert.deepEqual(statuses("batch-pause-task"), [400]);
            emu.deletedJobAnswer = "400-bare";
            await assert.rejects(c.batchRetry([RUNNING, FULL]), (e: DrsApiError) => e.httpStatus === 400 && e.code === "DRS.M05004" && e.operation === "batch-retry-task");
            assert.equal(emu.jobs.get(RUNNING)?.retries, 0, "a bare refusal acts on no job");
            for (const api of [new DirectJobsApi(c, systemClock), new CoalescingJobsApi(c, systemClock)]) {
                const [gone, resumed] = await Promise.all([api.end(FULL, "delete"), api.retry(RUNNING)]);
                assert.deepEqual([gone.status, gone.errorCode], ["failed", "DRS.M05004"]);
                assert.equal(resumed.status, api instanceof DirectJobsApi ? "success" : "failed", "resumed once; the second resume is refused");
            }
        });

        it("coalesced over HTTP: 3 pauses, 2 resumes and 2 stops requested together cost one call of each", async () => {
            await emulator();
            const api = new CoalescingJobsApi(client(), systemClock);
            await Promise.all([api.pause(RUNNING, "target"), api.pause(FULL, "target"), api.pause(CONFIGURED, "target")]);
            await Promise.all([api.retry(RUNNING), api.retry(FAILED)]);
            const ended = await Promise.all([api.end(FULL, "terminate"), api.end(CONFIGURED, "terminate")]);
            assert.deepEqual(
                ended.map((r) => r.status),
                ["success", "success"],
            );
            assert.deepEqual(
                LIFECYCLE_OPERATIONS.map((op) => emu.count(op)),
                [1, 1, 1],
            );
        });
    });

    describe("other actors: POST /__emulator/jobs/{id}/actions", () => {
        /** Sends a console action to the emulator's control API. */
        async function act(id: string, body: Record<string, unknown>): Promise<{ status: number; body: { result?: { status: string; errorCode?: string }; job?: { status: string; errorCode?: string } } }> {
            const res = await fetch(`${emu.url}/__emulator/jobs/${id}/actions`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
            return { status: res.status, body: (await res.json()) as never };
        }
        async function put(resource: string, answer: string): Promise<number> {
            return (await fetch(`${emu.url}/__emulator/${resource}`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ answer }) })).status;
        }

        it("pauses, resumes, fails with a code, stops and deletes a job as the console would, through the API's rules", async () => {
            await emulator();
            emu.jobs.actAsOther(RUNNING, { kind: "busy", times: 5, call: "pause" });
            const paused = await act(RUNNING, { action: "pause", pauseMode: "all" });
            assert.deepEqual([paused.status, paused.body.job?.status], [200, "PAUSING"], "queued busy answers are for API calls, not the console");
            assert.equal((await act(RUNNING, { action: "resume" })).body.job?.status, "INCRE_TRANSFER_STARTED");
            const failed = await act(RUNNING, { action: "fail", errorCode: "DRS.M03002", errorMessage: "Source log expired." });
            assert.deepEqual([failed.body.job?.status, failed.body.job?.errorCode], ["INCRE_TRANSFER_FAILED", "DRS.M03002"]);
            assert.equal((await act(FULL, { action: "fail" })).body.job?.status, "FULL_TRANSFER_FAILED");
            assert.equal((await act(RUNNING, { action: "stop" })).body.job?.status, "RELEASE_RESOURCE_STARTED");
            const refused = await act(RUNNING, { action: "delete" });
            assert.deepEqual([refused.status, refused.body.result?.errorCode], [409, "DRS.M00304"], "delete only once stopped");
            await eventually(async () => emu.jobs.get(RUNNING)?.status === "RELEASE_RESOURCE_COMPLETE");
            assert.deepEqual([(await act(RUNNING, { action: "delete" })).status, emu.jobs.get(RUNNING)], [200, undefined]);
            assert.equal((await act(RUNNING, { action: "pause" })).status, 404);
            assert.equal((await act(FULL, { action: "explode" })).status, 400);
        });

        it("switches the paused spelling and the deleted listing over HTTP; an unknown answer changes nothing", async () => {
            await emulator();
            assert.equal(await put("paused-status", "PAUSEING"), 200);
            assert.equal(await put("deleted-listing", "DELETED"), 200);
            assert.equal(await put("paused-status", "PAUSED"), 400);
            assert.deepEqual([emu.pausedStatusAnswer, emu.deletedListingAnswer], ["PAUSEING", "DELETED"]);
            assert.equal((await act(RUNNING, { action: "pause" })).body.job?.status, "PAUSEING");
            await act(CONFIGURED, { action: "stop" });
            await eventually(async () => emu.jobs.get(CONFIGURED)?.status === "RELEASE_RESOURCE_COMPLETE");
            await act(CONFIGURED, { action: "delete" });
            assert.equal(emu.jobs.get(CONFIGURED)?.status, "DELETED");
        });
    });

    describe("faults", () => {
        for (const operation of LIFECYCLE_OPERATIONS) {
            it(`${operation}: a 429 is re-sent after Retry-After and acts once`, async () => {
                await emulator();
                emu.faults.add({ operation, action: { kind: "respond", status: 429, headers: { "Retry-After": "0.1" }, body: { error_code: "APIGW.0308", error_msg: "Throttled" } } });
                const c = client();
                const [r] = await send(c, operation);
                assert.equal(r.status, "success");
                assert.deepEqual(statuses(operation), [429, OK_STATUS[operation]]);
            });

            it(`${operation}: an expired token is renewed once and the call acts once`, async () => {
                await emulator();
                const c = client();
                await c.batchStatus([RUNNING]);
                emu.tokens.revokeAll();
                const [r] = await send(c, operation);
                assert.equal(r.status, "success");
                assert.deepEqual(statuses(operation), [401, OK_STATUS[operation]]);
                assert.equal(emu.tokens.issuedCount, 2);
            });
        }

        it("batch-pause-task and DELETE batch-jobs are re-sent after a 5xx, a reset and a timeout, like reads", async () => {
            await emulator();
            emu.faults.add({ operation: "batch-pause-task", action: { kind: "respond", status: 503, body: { error_code: "DRS.M00503", error_msg: "Service unavailable" } } });
            emu.faults.add({ operation: "batch-pause-task", action: { kind: "reset" } });
            emu.faults.add({ operation: "batch-jobs", action: { kind: "delay", ms: 600 } });
            const c = client({ ...FAST_TRANSPORT, requestTimeoutMs: 300 });
            assert.equal((await c.batchPause([{ jobId: RUNNING, pauseMode: "target" }]))[0].status, "success");
            assert.deepEqual(statuses("batch-pause-task"), [503, 0, 200]);
            const [ended] = await c.batchEnd([{ jobId: FULL, deleteType: "terminate" }]);
            // The late first request acted; the re-sent one found the job stopping: refused harmlessly, the job stops once.
            await until(() => emu.calls.filter((x) => x.operation === "batch-jobs").length === 2);
            assert.ok(ended.status === "success" || ended.errorCode === "DRS.M00304", JSON.stringify(ended));
            assert.equal(emu.jobs.get(FULL)?.stops, 1);
        });

        for (const [fault, action] of [
            ["a 502", { kind: "respond", status: 502, body: "<html>Bad Gateway</html>" }],
            ["a 500 after acting", { kind: "respond", status: 500, body: { error_code: "DRS.M00004", error_msg: "Service abnormal" }, afterActing: true }],
            ["a reset", { kind: "reset" }],
            ["a lost response", { kind: "drop-response" }],
            ["a response slower than the request timeout", { kind: "delay", ms: 600 }],
        ] as const) {
            it(`batch-retry-task is never re-sent after ${fault}: it fails naming the job`, async () => {
                await emulator();
                const c = client({ ...FAST_TRANSPORT, requestTimeoutMs: 300 });
                emu.faults.add({ operation: "batch-retry-task", action });
                const error = await c.batchRetry([FAILED]).catch((e: unknown) => e);
                assert.ok(error instanceof DrsApiError, String(error));
                assert.equal(error.operation, "batch-retry-task");
                assert.deepEqual(error.jobIds, [FAILED]);
                assert.match(error.message, new RegExp(`batch-retry-task for job ${FAILED} failed`));
                await new Promise((resolve) => setTimeout(resolve, 400));
                assert.equal(emu.count("batch-retry-task"), 1, "sent once");
                assert.ok((emu.jobs.get(FAILED)?.retries ?? 0) <= 1);
            });
        }
    });
});
