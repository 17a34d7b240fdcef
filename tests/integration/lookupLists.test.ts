import { strict as assert } from "node:assert";
import { clientEnv, type Emulator, startEmulator } from "../../emulator";
import { PasswordTokenSource } from "../../provider/drs/auth";
import { DrsClient } from "../../provider/drs/client";
import { CoalescingJobsApi } from "../../provider/jobs/coalescingJobsApi";
import { systemClock } from "../../provider/wait/clock";
import { jobId } from "../support/env";
import { FAST_TRANSPORT } from "../support/fastTransport";

describe("coalesced lookups: tenant list filtered by comma-separated job ids (real HTTP)", function () {
    this.timeout(20_000);
    let emu: Emulator;
    afterEach(() => emu?.close());

    async function setUp(ids: string[], extra: string[] = []): Promise<CoalescingJobsApi> {
        emu = await startEmulator({ jobs: [...ids, ...extra].map((id) => ({ id, dbUseType: "migration" as const })) });
        const env = clientEnv(emu);
        const auth = new PasswordTokenSource({ authUrl: env.OS_AUTH_URL!, username: env.OS_USERNAME!, password: env.OS_PASSWORD!, domainName: env.OS_DOMAIN_NAME!, projectId: emu.projectId }, FAST_TRANSPORT);
        return new CoalescingJobsApi(new DrsClient({ endpoint: emu.url, projectId: emu.projectId, auth, transport: FAST_TRANSPORT }), systemClock);
    }

    const lists = () => emu.calls.filter((c) => c.operation === "list-jobs");

    it("250 lookups: one listing per 100 ids, other jobs of the tenant are not listed", async () => {
        const ids = Array.from({ length: 250 }, (_, i) => jobId(2000 + i));
        const api = await setUp(ids, [jobId(2999)]);
        const found = await Promise.all(ids.map((id) => api.findJob(id, ["migration"])));
        assert.deepEqual(
            found.map((j) => j?.id),
            ids,
        );
        assert.equal(lists().length, 3);
        assert.deepEqual(
            lists().map((c) => (c.body as { name: string }).name.split(",").length),
            [100, 100, 50],
        );
    });

    it("keeps only exact id matches of what the listing returns", async () => {
        const ids = [jobId(2100), jobId(2101)];
        const api = await setUp(ids, [jobId(2102)]);
        emu.listNameAnswer = "single-name";
        emu.faults.add({
            operation: "list-jobs",
            action: {
                kind: "respond",
                status: 200,
                body: {
                    total_record: 2,
                    jobs: [
                        { id: jobId(2102), name: ids[0], db_use_type: "migration", status: "CONFIGURATION" },
                        { id: ids[1], name: "b", db_use_type: "migration", status: "CONFIGURATION" },
                    ],
                },
            },
        });
        const found = await Promise.all(ids.map((id) => api.findJob(id, ["migration"])));
        assert.deepEqual(
            found.map((j) => j?.id),
            [undefined, ids[1]],
            "a job whose name is the id is not that job",
        );
        assert.equal(lists().length, 1);
    });

    it("DRS reading the ids as one name: falls back to one lookup per job, then asks per job from then on", async () => {
        const ids = Array.from({ length: 5 }, (_, i) => jobId(2200 + i));
        const api = await setUp(ids);
        emu.listNameAnswer = "single-name";
        const found = await Promise.all(ids.map((id) => api.findJob(id, ["migration"])));
        assert.deepEqual(
            found.map((j) => j?.id),
            ids,
        );
        assert.equal(lists().length, 1 + 5, "the comma query, then one per job");
        emu.calls.length = 0;
        const again = await Promise.all(ids.map((id) => api.findJob(id, ["migration"])));
        assert.deepEqual(
            again.map((j) => j?.id),
            ids,
        );
        assert.equal(lists().length, 5, "no comma query once DRS showed it does not take them");
    });

    it("jobs that are not there: the fallback costs at most one call per job, and lists of ids are kept", async () => {
        const api = await setUp([jobId(2300)]);
        const missing = [jobId(2301), jobId(2302), jobId(2303)];
        const found = await Promise.all(missing.map((id) => api.findJob(id, ["migration"])));
        assert.deepEqual(found, [undefined, undefined, undefined]);
        assert.equal(lists().length, 1 + 3);
        emu.calls.length = 0;
        await Promise.all([jobId(2300), ...missing].map((id) => api.findJob(id, ["migration"])));
        assert.equal(lists().length, 1, "still one listing for several ids");
    });
});
