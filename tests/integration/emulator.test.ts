import { strict as assert } from "node:assert";
import { DEFAULT_USER, type Emulator, startEmulator } from "../../emulator";
import { jobId } from "../support/env";

/** POSTs JSON to the emulator and returns status, headers and parsed body. */
async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

describe("emulator", () => {
    let emu: Emulator;
    let now: number;
    beforeEach(async () => {
        now = 1_000_000;
        emu = await startEmulator({ now: () => now, jobs: [{ id: jobId(1) }], timings: { startingMs: 100, fullTransferMs: 1000, fullCompleteMs: 100 } });
    });
    afterEach(() => emu.close());

    async function token(): Promise<string> {
        const res = await post(`${emu.url}/v3/auth/tokens`, {
            auth: { identity: { methods: ["password"], password: { user: { name: DEFAULT_USER.name, password: DEFAULT_USER.password, domain: { name: DEFAULT_USER.domain } } } }, scope: { project: { id: emu.projectId } } },
        });
        assert.equal(res.status, 201);
        return res.headers.get("x-subject-token")!;
    }

    it("listens on 127.0.0.1 only", () => {
        assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    });

    it("requires a token (401) scoped to the project in the path (403)", async () => {
        assert.equal((await post(`${emu.url}/v3/${emu.projectId}/jobs/batch-status`, { jobs: [jobId(1)] })).status, 401);
        const t = await token();
        assert.equal((await post(`${emu.url}/v3/${"f".repeat(32)}/jobs/batch-status`, { jobs: [jobId(1)] }, { "X-Auth-Token": t })).status, 403);
        assert.equal((await post(`${emu.url}/v3/${emu.projectId}/jobs/batch-status`, { jobs: [jobId(1)] }, { "X-Auth-Token": t })).status, 200);
    });

    it("expires tokens after their lifetime", async () => {
        const short = await startEmulator({ now: () => now, tokenTtlMs: 1000 });
        try {
            const res = await post(`${short.url}/v3/auth/tokens`, {
                auth: { identity: { methods: ["password"], password: { user: { name: DEFAULT_USER.name, password: DEFAULT_USER.password, domain: { name: DEFAULT_USER.domain } } } }, scope: { project: { id: short.projectId } } },
            });
            const t = res.headers.get("x-subject-token")!;
            assert.equal((await post(`${short.url}/v3/${short.projectId}/jobs/batch-status`, { jobs: [] }, { "X-Auth-Token": t })).status, 200);
            now += 1000;
            assert.equal((await post(`${short.url}/v3/${short.projectId}/jobs/batch-status`, { jobs: [] }, { "X-Auth-Token": t })).status, 401);
        } finally {
            await short.close();
        }
    });

    it("rejects wrong IAM passwords", async () => {
        const res = await post(`${emu.url}/v3/auth/tokens`, {
            auth: { identity: { methods: ["password"], password: { user: { name: DEFAULT_USER.name, password: "nope", domain: { name: DEFAULT_USER.domain } } } }, scope: { project: { id: emu.projectId } } },
        });
        assert.equal(res.status, 401);
    });

    it("runs the lifecycle with the configured timings, answering with documented codes and string numbers", async () => {
        const h = { "X-Auth-Token": await token() };
        const base = `${emu.url}/v3/${emu.projectId}/jobs`;
        const start = await post(`${base}/batch-starting`, { jobs: [{ job_id: jobId(1) }] }, h);
        assert.equal(start.status, 202);
        assert.deepEqual(start.body, { count: 1, results: [{ id: jobId(1), status: "success" }] });
        const statusAt = async (t: number) => {
            now = 1_000_000 + t;
            const res = await post(`${base}/batch-status`, { jobs: [jobId(1)], page_req: { cur_page: 1, per_page: 100 } }, h);
            assert.equal(res.status, 200);
            return (res.body.results as { status: string }[])[0].status;
        };
        assert.equal(await statusAt(0), "STARTJOBING");
        assert.equal(await statusAt(100), "FULL_TRANSFER_STARTED");
        now = 1_000_000 + 600;
        const progress = await post(`${base}/batch-progress`, { jobs: [jobId(1)] }, h);
        assert.equal(progress.status, 202);
        const p = (progress.body.results as Record<string, unknown>[])[0];
        assert.equal(p.progress, "50");
        assert.equal(p.incre_trans_delay, "-1");
        assert.equal(await statusAt(1100), "FULL_TRANSFER_COMPLETE");
        assert.equal(await statusAt(1200), "INCRE_TRANSFER_STARTED");
        const again = await post(`${base}/batch-starting`, { jobs: [{ job_id: jobId(1) }] }, h);
        assert.equal((again.body.results as { status: string }[])[0].status, "failed");
    });

    it("fails a job at the chosen phase with the chosen code", async () => {
        emu.jobs.seed({ id: jobId(2), failAt: { phase: "FULL_TRANSFER_STARTED", errorCode: "DRS.M03001", errorMessage: "down", afterMs: 300 } });
        emu.jobs.start(jobId(2), emu.projectId);
        now += 100 + 299;
        assert.equal(emu.jobs.get(jobId(2))?.status, "FULL_TRANSFER_STARTED");
        now += 1;
        const job = emu.jobs.get(jobId(2))!;
        assert.equal(job.status, "FULL_TRANSFER_FAILED");
        assert.equal(job.errorCode, "DRS.M03001");
    });

    it("holds a scheduled start in WAITING_FOR_START until its time", () => {
        emu.jobs.start(jobId(1), emu.projectId, now + 5000);
        now += 4999;
        assert.equal(emu.jobs.get(jobId(1))?.status, "WAITING_FOR_START");
        now += 1;
        assert.equal(emu.jobs.get(jobId(1))?.status, "STARTJOBING");
    });

    it("serves the control API over HTTP: seed, flip, faults, revoke, calls, delete", async () => {
        const ctl = `${emu.url}/__emulator`;
        const seeded = await post(`${ctl}/jobs`, { jobs: [{ id: jobId(3), name: "seeded", status: "INCRE_TRANSFER_STARTED" }] });
        assert.equal(seeded.status, 201);
        const flip = await fetch(`${ctl}/jobs/${jobId(3)}`, { method: "PATCH", body: JSON.stringify({ status: "INCRE_TRANSFER_FAILED", errorMessage: "lag" }) });
        assert.equal(((await flip.json()) as { status: string }).status, "INCRE_TRANSFER_FAILED");
        await post(`${ctl}/faults`, { operation: "batch-status", action: { kind: "respond", status: 503, body: {} } });
        const t = await token();
        assert.equal((await post(`${emu.url}/v3/${emu.projectId}/jobs/batch-status`, { jobs: [] }, { "X-Auth-Token": t })).status, 503);
        await post(`${ctl}/tokens/revoke`, {});
        assert.equal((await post(`${emu.url}/v3/${emu.projectId}/jobs/batch-status`, { jobs: [] }, { "X-Auth-Token": t })).status, 401);
        const calls = (await (await fetch(`${ctl}/calls`)).json()) as { calls: { operation: string; body?: unknown }[] };
        assert.deepEqual(
            calls.calls.map((c) => c.operation),
            ["iam-token", "batch-status", "batch-status"],
        );
        assert.ok(!JSON.stringify(calls).includes(DEFAULT_USER.password), "the call log never holds IAM bodies");
        await fetch(`${ctl}/jobs/${jobId(3)}`, { method: "DELETE" });
        assert.equal((await fetch(`${ctl}/jobs/${jobId(3)}`)).status, 404);
    });

    it("answers a batch naming a deleted or unknown job each way, switched over HTTP", async () => {
        const ctl = `${emu.url}/__emulator`;
        emu.jobs.seed({ id: jobId(6), status: "INCRE_TRANSFER_STARTED" });
        emu.jobs.seed({ id: jobId(7) });
        assert.equal(emu.jobs.delete(jobId(7)), true);
        const h = { "X-Auth-Token": await token() };
        const status = () => post(`${emu.url}/v3/${emu.projectId}/jobs/batch-status`, { jobs: [jobId(6), jobId(7), jobId(8)], page_req: { cur_page: 1, per_page: 100 } }, h);
        const put = (answer: string) => fetch(`${ctl}/deleted-jobs`, { method: "PUT", body: JSON.stringify({ answer }) });
        assert.deepEqual(await (await fetch(`${ctl}/deleted-jobs`)).json(), { answer: "in-results" });
        const inResults = await status();
        assert.equal(inResults.status, 200);
        const entries = inResults.body.results as Record<string, unknown>[];
        assert.deepEqual(
            entries.map((r) => [r.status, r.error_code]),
            [
                ["INCRE_TRANSFER_STARTED", undefined],
                ["", "DRS.M05004"],
                ["", "DRS.M00289"],
            ],
        );
        assert.equal((await put("400-with-results")).status, 200);
        const withResults = await status();
        assert.equal(withResults.status, 400);
        assert.deepEqual(withResults.body.results, entries, "the same per-job entries, in a 400");
        await put("400-bare");
        assert.equal(emu.deletedJobAnswer, "400-bare");
        const bare = await status();
        assert.deepEqual([bare.status, bare.body], [400, { error_code: "DRS.M05004", error_msg: "The job has been deleted." }]);
        const start = await post(`${emu.url}/v3/${emu.projectId}/jobs/batch-starting`, { jobs: [{ job_id: jobId(1) }, { job_id: jobId(7) }] }, h);
        assert.equal(start.status, 400);
        assert.equal(emu.jobs.get(jobId(1))?.starts, 0, "a bare refusal acts on nothing");
        assert.equal((await put("sometimes")).status, 400);
        emu.jobs.seed({ id: jobId(7) });
        assert.equal((await status()).body.error_code, "DRS.M00289", "a re-seeded job is known again");
    });

    it("sends an X-Request-Id on every answer and logs it", async () => {
        const ids = [
            (await fetch(`${emu.url}/__emulator/jobs`)).headers.get("x-request-id"),
            (await post(`${emu.url}/v3/${emu.projectId}/jobs/batch-status`, { jobs: [] })).headers.get("x-request-id"),
            (await post(`${emu.url}/nowhere`, {})).headers.get("x-request-id"),
        ];
        emu.faults.add({ operation: "batch-progress", action: { kind: "respond", status: 503, headers: { "Retry-After": "1" }, body: "<html>busy</html>" } });
        const faulted = await fetch(`${emu.url}/v3/${emu.projectId}/jobs/batch-progress`, { method: "POST", body: "{}" });
        ids.push(faulted.headers.get("x-request-id"));
        for (const id of ids) assert.match(id ?? "", /^[0-9a-f-]{36}$/);
        assert.equal(new Set(ids).size, ids.length, "one id per answer");
        assert.deepEqual(
            emu.calls.map((c) => c.requestId),
            ids,
        );
    });

    it("lists jobs by scenario, matching the name filter against name OR id, with paging", async () => {
        emu.jobs.seed({ id: jobId(4), name: `about-${jobId(1)}` });
        emu.jobs.seed({ id: jobId(5), dbUseType: "sync" });
        const h = { "X-Auth-Token": await token() };
        const res = await post(`${emu.url}/v3/${emu.projectId}/jobs`, { cur_page: 1, per_page: 1, db_use_type: "migration", name: jobId(1) }, h);
        assert.equal(res.body.total_record, 2);
        assert.equal((res.body.jobs as unknown[]).length, 1);
        const missing = await post(`${emu.url}/v3/${emu.projectId}/jobs`, { cur_page: 1, per_page: 10 }, h);
        assert.equal(missing.status, 400);
    });

    it("switches over HTTP how a comma-separated name is read (id list or one name) and how per_page 0 is answered", async () => {
        const ctl = `${emu.url}/__emulator/list-names`;
        emu.jobs.seed({ id: jobId(2) });
        const h = { "X-Auth-Token": await token() };
        const list = async () => {
            const res = await post(`${emu.url}/v3/${emu.projectId}/jobs`, { cur_page: 1, per_page: 10, db_use_type: "migration", name: `${jobId(1)},${jobId(2)}` }, h);
            return (res.body.jobs as { id: string }[]).map((job) => job.id).sort();
        };
        const put = (answer: string) => fetch(ctl, { method: "PUT", body: JSON.stringify({ answer }) });
        assert.deepEqual(await (await fetch(ctl)).json(), { answer: "id-list" });
        assert.deepEqual(await list(), [jobId(1), jobId(2)]);
        assert.deepEqual(await (await put("single-name")).json(), { answer: "single-name" });
        assert.equal(emu.listNameAnswer, "single-name");
        assert.deepEqual(await list(), [], "one name with a comma matches no job");
        const refused = await put("both");
        assert.equal(refused.status, 400);
        assert.match(((await refused.json()) as { error: string }).error, /id-list, single-name/);
        assert.equal(emu.listNameAnswer, "single-name", "a refused switch changes nothing");
        const statusAll = `${emu.url}/__emulator/status-all`;
        assert.deepEqual(await (await fetch(statusAll)).json(), { answer: "all" });
        assert.deepEqual(await (await fetch(statusAll, { method: "PUT", body: JSON.stringify({ answer: "capped" }) })).json(), { answer: "capped" });
        assert.equal(emu.statusAllAnswer, "capped");
    });
});
