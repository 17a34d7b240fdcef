import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { clientEnv, type Emulator, startEmulator, type StatusAllAnswer } from "../../emulator";
import { PasswordTokenSource, StaticTokenSource } from "../../provider/drs/auth";
import { DrsClient } from "../../provider/drs/client";
import { DrsApiError } from "../../provider/drs/errors";
import type { TransportOptions } from "../../provider/drs/http";
import { jobId } from "../support/env";
import { FAST_TRANSPORT } from "../support/fastTransport";

describe("DrsClient against the emulator (real HTTP)", () => {
    let emu: Emulator;
    beforeEach(async () => {
        emu = await startEmulator({ jobs: [{ id: jobId(1) }, { id: jobId(2), status: "INCRE_TRANSFER_STARTED" }] });
    });
    afterEach(() => emu.close());

    function passwordClient(transport: TransportOptions = FAST_TRANSPORT): { client: DrsClient; auth: PasswordTokenSource } {
        const env = clientEnv(emu);
        const auth = new PasswordTokenSource({ authUrl: env.OS_AUTH_URL!, username: env.OS_USERNAME!, password: env.OS_PASSWORD!, domainName: env.OS_DOMAIN_NAME!, projectId: emu.projectId }, transport);
        return { client: new DrsClient({ endpoint: emu.url, projectId: emu.projectId, auth, transport }), auth };
    }

    describe("batchStatus paging", () => {
        it("the emulator, like DRS, pages by 5 when no page size is sent", async () => {
            const ids = Array.from({ length: 8 }, (_, i) => jobId(100 + i));
            for (const id of ids) emu.jobs.seed({ id });
            const token = await passwordClient().auth.token();
            const raw = await fetch(`${emu.url}/v3/${emu.projectId}/jobs/batch-status`, {
                method: "POST",
                headers: { "Content-Type": "application/json", "X-Auth-Token": token },
                body: JSON.stringify({ jobs: ids }),
            });
            assert.equal(((await raw.json()) as { results: unknown[] }).results.length, 5);
        });

        /** 230 seeded jobs asked twice through one client: the results, and the page requests each call sent. */
        async function askTwice(answer: StatusAllAnswer): Promise<{ pageReqs: unknown[][]; statusAllAtOnce: boolean }> {
            emu.statusAllAnswer = answer;
            const ids = Array.from({ length: 230 }, (_, i) => jobId(1000 + i));
            for (const id of ids) emu.jobs.seed({ id, status: "FULL_TRANSFER_STARTED" });
            const { client } = passwordClient();
            const pageReqs: unknown[][] = [];
            for (let call = 0; call < 2; call++) {
                const before = emu.count("batch-status");
                const results = await client.batchStatus(ids);
                assert.deepEqual(results.map((r) => r.id).sort(), [...ids].sort(), `${answer}: every job answered once`);
                assert.ok(
                    results.every((r) => r.status === "FULL_TRANSFER_STARTED"),
                    answer,
                );
                pageReqs.push(
                    emu.calls
                        .filter((c) => c.operation === "batch-status")
                        .slice(before)
                        .map((c) => (c.body as { page_req: unknown }).page_req),
                );
            }
            return { pageReqs, statusAllAtOnce: client.statusAllAtOnce };
        }
        const ALL = { cur_page: 1, per_page: 0 };
        const PAGE = { cur_page: 1, per_page: 100 };

        it("asks for more than 100 jobs in one call with per_page 0 (all items), as the vendor's page says", async () => {
            const { pageReqs, statusAllAtOnce } = await askTwice("all");
            assert.deepEqual(pageReqs, [[ALL], [ALL]]);
            assert.ok(statusAllAtOnce);
        });

        it("pages by 100 once DRS refuses per_page 0 for more than 100 jobs, and from then on", async () => {
            const { pageReqs, statusAllAtOnce } = await askTwice("refused");
            assert.deepEqual(pageReqs, [
                [ALL, PAGE, PAGE, PAGE],
                [PAGE, PAGE, PAGE],
            ]);
            assert.ok(!statusAllAtOnce);
        });

        it("asks for the jobs left out in pages of 100 once DRS answers per_page 0 with only some jobs, and pages from then on", async () => {
            const { pageReqs } = await askTwice("capped");
            assert.deepEqual(
                pageReqs,
                [
                    [ALL, PAGE, PAGE],
                    [PAGE, PAGE, PAGE],
                ],
                "230 asked, 100 answered: 130 left, in 2 pages",
            );
        });

        it("returns all 7 results for 7 jobs (more than the default page of 5)", async () => {
            const ids = Array.from({ length: 7 }, (_, i) => jobId(50 + i));
            for (const id of ids) emu.jobs.seed({ id });
            const results = await passwordClient().client.batchStatus(ids);
            assert.equal(results.length, 7);
        });

        it("reports an unknown job with an empty status", async () => {
            const [r] = await passwordClient().client.batchStatus([jobId(999)]);
            assert.equal(r.status, "");
            assert.equal(r.errorCode, "DRS.M00289");
        });
    });

    describe("listJobs / findJob", () => {
        it("matches the job by exact id although the name filter matches several", async () => {
            emu.jobs.seed({ id: jobId(3), name: `copy-of-${jobId(1)}` });
            const { client } = passwordClient();
            const listed = await client.listJobs({ dbUseType: "migration", name: jobId(1) });
            assert.equal(listed.length, 2, "the name filter matches name OR id");
            const found = await client.findJob(jobId(1), ["migration"]);
            assert.equal(found?.id, jobId(1));
            assert.equal(found?.status, "CONFIGURATION");
        });

        it("walks every page of the tenant list (more than 100 jobs)", async () => {
            for (let i = 0; i < 150; i++) emu.jobs.seed({ id: jobId(2000 + i), name: `bulk-${i}` });
            const { client } = passwordClient();
            const jobs = await client.listJobs({ dbUseType: "migration", name: "bulk-" });
            assert.equal(jobs.length, 150);
            assert.equal(emu.count("list-jobs"), 2);
            const last = await client.findJob(jobId(2149), ["migration"]);
            assert.equal(last?.name, "bulk-149");
        });

        it("searches the given scenarios in order and returns undefined when none has the job", async () => {
            emu.jobs.seed({ id: jobId(4), dbUseType: "cloudDataGuard" });
            const { client } = passwordClient();
            assert.equal((await client.findJob(jobId(4), ["migration", "sync", "cloudDataGuard"]))?.dbUseType, "cloudDataGuard");
            assert.equal(await client.findJob(jobId(4), ["migration"]), undefined);
        });
    });

    describe("batchStart and batchProgress", () => {
        it("checks each per-job result of a 202", async () => {
            emu.jobs.seed({ id: jobId(5), startFailure: { errorCode: "DRS.M05010", errorMessage: "Source database unreachable." } });
            const results = await passwordClient().client.batchStart([{ jobId: jobId(1) }, { jobId: jobId(5) }, { jobId: jobId(2) }]);
            assert.deepEqual(
                results.map((r) => r.status),
                ["success", "failed", "failed"],
            );
            assert.equal(results[1].errorCode, "DRS.M05010");
            assert.equal(results[2].errorCode, "DRS.M00304", "a job not in CONFIGURATION: wrong task status, as DRS answers");
            assert.equal(emu.count("batch-starting"), 1);
        });

        it("sends start_time as a ms-epoch string", async () => {
            const at = Date.now() + 60_000;
            await passwordClient().client.batchStart([{ jobId: jobId(1), startTime: at }]);
            const call = emu.calls.find((c) => c.operation === "batch-starting");
            assert.deepEqual(call?.body, { jobs: [{ job_id: jobId(1), start_time: String(at) }] });
            assert.equal(emu.jobs.get(jobId(1))?.status, "WAITING_FOR_START");
        });

        it("parses progress numbers sent as strings", async () => {
            const [p] = await passwordClient().client.batchProgress([jobId(2)]);
            assert.equal(p.progress, 100);
            assert.equal(p.increTransDelaySeconds, 0);
            assert.equal(p.taskMode, "FULL_INCR_TRANS");
        });
    });

    describe("auth", () => {
        it("caches the IAM token across calls", async () => {
            const { client } = passwordClient();
            await client.batchStatus([jobId(1)]);
            await client.batchProgress([jobId(1)]);
            assert.equal(emu.tokens.issuedCount, 1);
        });

        it("renews an expired token once on 401 and succeeds", async () => {
            const { client } = passwordClient();
            await client.batchStatus([jobId(1)]);
            emu.tokens.revokeAll();
            const [r] = await client.batchStatus([jobId(1)]);
            assert.equal(r.status, "CONFIGURATION");
            assert.equal(emu.tokens.issuedCount, 2);
        });

        it("fails clearly when a pre-issued token is rejected (cannot renew)", async () => {
            const client = new DrsClient({ endpoint: emu.url, projectId: emu.projectId, auth: new StaticTokenSource("expired-token"), transport: FAST_TRANSPORT });
            const error = await client.batchStatus([jobId(1)]).catch((e: unknown) => e);
            assert.ok(error instanceof DrsApiError);
            assert.equal(error.httpStatus, 401);
            assert.equal(error.code, "APIGW.0301");
            assert.match(error.message, /OS_TOKEN/);
            assert.doesNotMatch(error.message, /expired-token/);
            assert.equal(emu.count("batch-status"), 1);
        });

        it("reports wrong IAM credentials with a hint and without the password", async () => {
            const auth = new PasswordTokenSource({ authUrl: emu.authUrl, username: "drs-demo", password: "wrong-password-123", domainName: "emulator-domain", projectId: emu.projectId }, FAST_TRANSPORT);
            const client = new DrsClient({ endpoint: emu.url, projectId: emu.projectId, auth, transport: FAST_TRANSPORT });
            const error = await client.batchStatus([jobId(1)]).catch((e: unknown) => e);
            assert.ok(error instanceof DrsApiError);
            assert.equal(error.operation, "iam-token");
            assert.match(error.message, /OS_PASSWORD/);
            assert.doesNotMatch(error.message, /wrong-password-123/);
        });

        it("names the IAM endpoint and both of its settings when the endpoint answers without a token", async () => {
            // Not an IAM endpoint: it answers every request 201 without X-Subject-Token.
            const notIam = http.createServer((_req, res) => res.writeHead(201, { "content-type": "application/json" }).end("{}"));
            await new Promise<void>((resolve) => notIam.listen(0, "127.0.0.1", resolve));
            try {
                const authUrl = `http://127.0.0.1:${(notIam.address() as AddressInfo).port}/v3`;
                const auth = new PasswordTokenSource({ authUrl, username: "drs-demo", password: "secret-pass-1", domainName: "emulator-domain", projectId: emu.projectId, authUrlSource: "drs:authUrl stack config" }, FAST_TRANSPORT);
                const error = await auth.token().catch((e: unknown) => e);
                assert.ok(error instanceof DrsApiError);
                for (const part of [authUrl, "drs:authUrl stack config", "set it with drs:authUrl or OS_AUTH_URL"]) assert.ok(error.message.includes(part), `${error.message} lacks ${part}`);
                assert.doesNotMatch(error.message, /secret-pass-1/);
            } finally {
                await new Promise((resolve) => notIam.close(resolve));
            }
        });

        it("answers 403 for a token scoped to another project", async () => {
            const other = "f".repeat(32);
            const client = new DrsClient({ endpoint: emu.url, projectId: other, auth: passwordClient().auth, transport: FAST_TRANSPORT });
            const error = await client.batchStatus([jobId(1)]).catch((e: unknown) => e);
            assert.ok(error instanceof DrsApiError);
            assert.equal(error.httpStatus, 403);
        });
    });

    describe("retries", () => {
        it("retries 429 after Retry-After and converges", async () => {
            emu.faults.add({ operation: "batch-status", times: 2, action: { kind: "respond", status: 429, headers: { "Retry-After": "0.2" }, body: { error_code: "APIGW.0308", error_msg: "Throttled" } } });
            const started = Date.now();
            const [r] = await passwordClient().client.batchStatus([jobId(1)]);
            assert.equal(r.status, "CONFIGURATION");
            assert.equal(emu.count("batch-status"), 3);
            assert.ok(Date.now() - started >= 400, "waited Retry-After twice");
        });

        it("retries 429 without Retry-After with backoff", async () => {
            emu.faults.add({ operation: "batch-progress", times: 1, action: { kind: "respond", status: 429, body: {} } });
            await passwordClient().client.batchProgress([jobId(1)]);
            assert.equal(emu.count("batch-progress"), 2);
        });

        for (const status of [500, 502, 503, 504]) {
            it(`retries ${status} on reads`, async () => {
                emu.faults.add({ operation: "list-jobs", times: 2, action: { kind: "respond", status, body: "<html><body>Bad Gateway</body></html>" } });
                const jobs = await passwordClient().client.listJobs({ dbUseType: "migration" });
                assert.equal(jobs.length, 2);
                assert.equal(emu.count("list-jobs"), 3);
            });
        }

        it("retries a reset connection and a response slower than the request timeout", async () => {
            emu.faults.add({ operation: "batch-status", times: 1, action: { kind: "reset" } });
            emu.faults.add({ operation: "batch-status", times: 1, action: { kind: "delay", ms: 600 } });
            const { client } = passwordClient({ ...FAST_TRANSPORT, requestTimeoutMs: 200 });
            const [r] = await client.batchStatus([jobId(1)]);
            assert.equal(r.status, "CONFIGURATION");
            await new Promise((resolve) => setTimeout(resolve, 500)); // let the abandoned slow answer finish
            assert.deepEqual(
                emu.calls
                    .filter((c) => c.operation === "batch-status")
                    .map((c) => c.status)
                    .sort(),
                [0, 200, 200],
            );
        });

        it("gives up after the configured retries with the last status and vendor code", async () => {
            emu.faults.add({ operation: "batch-status", times: 10, action: { kind: "respond", status: 503, body: { error_code: "DRS.M00503", error_msg: "Service busy" } } });
            const error = await passwordClient()
                .client.batchStatus([jobId(1)])
                .catch((e: unknown) => e);
            assert.ok(error instanceof DrsApiError);
            assert.equal(error.httpStatus, 503);
            assert.equal(error.code, "DRS.M00503");
            assert.deepEqual(error.jobIds, [jobId(1)]);
            assert.match(error.message, /gave up after 4 attempts/);
            assert.equal(emu.count("batch-status"), 4);
        });

        it("does not retry other 4xx and carries status, code, message and job id", async () => {
            emu.faults.add({ operation: "batch-status", action: { kind: "respond", status: 400, body: { error_code: "DRS.M00002", error_msg: "Invalid parameter" } } });
            const error = await passwordClient()
                .client.batchStatus([jobId(1)])
                .catch((e: unknown) => e);
            assert.ok(error instanceof DrsApiError);
            assert.equal(error.httpStatus, 400);
            assert.equal(error.code, "DRS.M00002");
            assert.equal(error.vendorMessage, "Invalid parameter");
            assert.match(error.message, new RegExp(`job ${jobId(1)}`));
            assert.equal(emu.count("batch-status"), 1);
        });

        it("describes a JSON error body as JSON, and a body with only per-job results by its jobs", async () => {
            const { client } = passwordClient();
            emu.faults.add({ operation: "batch-status", action: { kind: "respond", status: 400, body: { detail: "nope" } } });
            const bare = await client.batchStatus([jobId(1), jobId(2)]).catch((e: unknown) => e);
            assert.ok(bare instanceof DrsApiError);
            assert.equal(bare.vendorMessage, 'JSON body without error_code or error_msg: {"detail":"nope"}');
            emu.faults.add({ operation: "list-jobs", action: { kind: "respond", status: 409, body: { results: [{ id: jobId(9), error_code: "DRS.M05010", error_msg: "Busy." }] } } });
            const listed = await client.listJobs({ dbUseType: "migration" }).catch((e: unknown) => e);
            assert.ok(listed instanceof DrsApiError);
            assert.equal(listed.code, "DRS.M05010");
            assert.equal(listed.vendorMessage, `per-job results: job ${jobId(9)}: DRS.M05010 Busy`);
            assert.doesNotMatch(`${bare.message} ${listed.message}`, /non-JSON/);
            const record = emu.calls.filter((c) => c.operation === "list-jobs").at(-1)!;
            assert.equal(listed.requestId, record.requestId);
            assert.ok(listed.message.endsWith(`X-Request-Id: ${record.requestId}.`), listed.message);
        });

        it("keeps IAM's numeric error code and the request id of IAM's answer", async () => {
            emu.faults.add({ operation: "iam-token", action: { kind: "respond", status: 401, body: { error: { code: 401, message: "The request you have made requires authentication." } } } });
            const error = await passwordClient()
                .client.batchStatus([jobId(1)])
                .catch((e: unknown) => e);
            assert.ok(error instanceof DrsApiError);
            assert.equal(error.code, "401");
            assert.equal(error.requestId, emu.calls.find((c) => c.operation === "iam-token")?.requestId);
            assert.match(error.message, /\(HTTP 401\): The request you have made requires authentication\./, "the code equal to the status is not printed twice");
            assert.match(error.message, /IAM refused user "drs-demo" in domain "emulator-domain" \(read from OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME\)/);
        });

        it("a refused batch with per-job results answers each job; a one-job refusal saying deleted is that job's gone answer", async () => {
            const { client } = passwordClient();
            emu.jobs.delete(jobId(1));
            emu.deletedJobAnswer = "400-with-results";
            const statuses = await client.batchStatus([jobId(1), jobId(2)]);
            assert.deepEqual(
                statuses.map((r) => [r.id, r.status, r.errorCode]),
                [
                    [jobId(1), "", "DRS.M05004"],
                    [jobId(2), "INCRE_TRANSFER_STARTED", undefined],
                ],
            );
            emu.deletedJobAnswer = "400-bare";
            await assert.rejects(client.batchStatus([jobId(1), jobId(2)]), (e: DrsApiError) => e.httpStatus === 400 && e.code === "DRS.M05004", "a bare refusal of several jobs does not say which");
            assert.deepEqual(await client.batchStatus([jobId(1)]), [{ id: jobId(1), status: "", errorCode: "DRS.M05004", errorMessage: "The job has been deleted." }]);
            assert.deepEqual(await client.batchProgress([jobId(1)]), [{ jobId: jobId(1), errorCode: "DRS.M05004", errorMessage: "The job has been deleted." }]);
            assert.equal(await client.findJob(jobId(1), ["migration", "sync"]), undefined);
            assert.deepEqual(
                emu.calls.filter((c) => c.operation === "list-jobs").map((c) => c.status),
                [400, 400],
                "searched every scope",
            );
            const start = await client.batchStart([{ jobId: jobId(1) }]).catch((e: unknown) => e);
            assert.ok(start instanceof DrsApiError);
            assert.match(start.message, new RegExp(`batch-starting for job ${jobId(1)} failed \\(HTTP 400 DRS\\.M05004\\): The job has been deleted\\. DRS says the job does not exist or has been deleted`));
        });

        it("never re-sends batch-starting after an ambiguous 5xx, but does after 429", async () => {
            const { client } = passwordClient();
            emu.faults.add({ operation: "batch-starting", action: { kind: "respond", status: 502, body: "<html>Bad Gateway</html>" } });
            const error = await client.batchStart([{ jobId: jobId(1) }]).catch((e: unknown) => e);
            assert.ok(error instanceof DrsApiError);
            assert.equal(error.httpStatus, 502);
            assert.match(error.message, /non-JSON body: Bad Gateway/);
            assert.equal(emu.count("batch-starting"), 1);
            emu.faults.add({ operation: "batch-starting", action: { kind: "respond", status: 429, headers: { "Retry-After": "0" }, body: {} } });
            const [r] = await client.batchStart([{ jobId: jobId(1) }]);
            assert.equal(r.status, "success");
            assert.equal(emu.count("batch-starting"), 3);
        });
    });
});
