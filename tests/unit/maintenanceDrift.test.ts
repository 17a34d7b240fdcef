import { strict as assert } from "node:assert";
import { NoLifecycleCalls } from "../support/noLifecycleCalls";
import { DrsJobError, type DrsJobStartInputs, type DrsJobStartOutputs, DrsJobStartProvider } from "../../provider";
import type { StartRequest } from "../../provider/drs/client";
import type { JobInfo, JobProgress, JobStatusResult, StartJobResult } from "../../provider/drs/wire";
import { DEFAULT_RECOVERY_GRACE_SECONDS, isMaintenance, judgeDrift, maintenanceWarning, statusSince } from "../../provider/drift";
import { LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import { severityOf } from "../../plugin/engineLog";
import { progressLine } from "../../provider/progressReport";
import type { JobsApi } from "../../provider/jobs/jobsApi";
import type { Environment } from "../../provider/stackConfig";
import { applyStackConfig, effectiveEnvironment } from "../../provider/stackConfig";
import { jobStatusFamily, RECOVERING_STATUSES } from "../../provider/wait/jobStatusFamily";
import { jobId } from "../support/env";
import { FakeClock } from "../support/fakeClock";

const J = jobId(31);
const T0 = Date.parse("2026-12-06T09:00:00.000Z");
const GRACES = { startGraceMs: 900_000, recoveryGraceMs: 3_600_000 };

/** A DRS whose one job stays in the status the test sets; counts starts and polls (each poll after the first takes 0.5 s of `clock`). */
class HeldJob extends NoLifecycleCalls implements JobsApi {
    findJobsNamed(name: string): Promise<JobInfo[]> {
        return Promise.reject(new Error(`unexpected lookup of the name ${name}`));
    }

    starts = 0;
    polls = 0;
    readonly requestTimeoutMs = 1000;
    clock?: FakeClock;
    constructor(public current: string) {
        super();
    }
    async findJob(): Promise<JobInfo | undefined> {
        return { id: J, name: "orders", status: this.current };
    }
    async start(job: StartRequest): Promise<StartJobResult> {
        this.starts++;
        return { id: job.jobId, status: "success" };
    }
    async status(): Promise<JobStatusResult | undefined> {
        return { id: J, status: this.current };
    }
    poller(): () => Promise<JobStatusResult | undefined> {
        return async () => {
            if (this.polls++ > 0) await this.clock?.sleep(500);
            return this.status();
        };
    }
    async progress(): Promise<JobProgress | undefined> {
        return undefined;
    }
}

function providerFor(api: JobsApi, env: () => Environment = () => ({})) {
    const lines: string[] = [];
    const clock = new FakeClock(T0);
    if (api instanceof HeldJob) api.clock = clock;
    const provider = new DrsJobStartProvider({ env, clock, jobs: () => api, progress: (l) => lines.push(l) });
    return { provider, lines, clock };
}

async function checked(provider: DrsJobStartProvider, extra: Record<string, unknown> = {}): Promise<DrsJobStartInputs> {
    const result = await provider.check({} as DrsJobStartInputs, { jobId: J, projectId: "054ba152d480d55b2f5dc0069e7ddef0", endpoint: "http://127.0.0.1:9", ...extra } as DrsJobStartInputs);
    assert.deepEqual(result.failures ?? [], []);
    return result.inputs;
}

const jobStatusOf = (inputs: DrsJobStartInputs | undefined) => inputs?.jobStatus;

describe("DRS's own maintenance of a running job is not drift within its grace (issue #27)", () => {
    afterEach(() => applyStackConfig({ config: { get: () => undefined } }));

    it("covers node rebuild, node upgrade and job change; their failures stay failures", () => {
        assert.deepEqual([...RECOVERING_STATUSES].sort(), ["CHANGE_JOB_STARTED", "NODE_UPGRADE_START", "REBUILD_NODE_STARTED"]);
        for (const failed of ["REBUILD_NODE_FAILED", "NODE_UPGRADE_FAILED", "CHANGE_JOB_FAILED"]) {
            assert.equal(jobStatusFamily(failed), "failed", failed);
            assert.equal(judgeDrift({ status: failed, statusSince: new Date(T0).toISOString() }, ["INCRE_TRANSFER_STARTED"], T0, GRACES).kind, "drift", failed);
        }
    });

    it("holds every declaration a replicating job satisfies, scheduled included, and no other", () => {
        for (const targets of [["INCRE_TRANSFER_STARTED"], ["FULL_TRANSFER_COMPLETE"], ["FULL_TRANSFER_STARTED"], ["WAITING_FOR_START"]]) {
            assert.ok(isMaintenance("REBUILD_NODE_STARTED", targets), targets.join());
        }
        assert.equal(isMaintenance("REBUILD_NODE_STARTED", ["CHILD_TRANSFER_COMPLETE"]), false, "a parent job's declaration is not one replication satisfies");
        assert.equal(isMaintenance("INCRE_TRANSFER_FAILED", ["INCRE_TRANSFER_STARTED"]), false);
    });

    it("judges by the time the status was first seen: holds up to the grace, drift after it", () => {
        const since = new Date(T0).toISOString();
        const at = (ms: number) => judgeDrift({ status: "NODE_UPGRADE_START", statusSince: since }, ["INCRE_TRANSFER_STARTED"], T0 + ms, GRACES);
        assert.deepEqual(at(0), { kind: "maintenance", status: "NODE_UPGRADE_START", since, until: T0 + 3_600_000 });
        assert.equal(at(3_600_000).kind, "maintenance", "at the end of the grace");
        assert.deepEqual(at(3_600_001), { kind: "drift", jobStatus: `NODE_UPGRADE_START since ${since}` });
    });

    it("the refresh's line is a warning on the plugin door too (engine log severity)", () => {
        const verdict = judgeDrift({ status: "REBUILD_NODE_STARTED", statusSince: new Date(T0).toISOString() }, ["INCRE_TRANSFER_STARTED"], T0, GRACES);
        assert.equal(verdict.kind, "maintenance");
        if (verdict.kind !== "maintenance") return;
        const line = maintenanceWarning(J, verdict, ["INCRE_TRANSFER_STARTED"]);
        assert.equal(
            line,
            `drs job ${J}: warning: REBUILD_NODE_STARTED since 2026-12-06T09:00:00.000Z, DRS's own maintenance of the job (it returns by itself): counted as INCRE_TRANSFER_STARTED until 2026-12-06T10:00:00.000Z (DRS_RECOVERY_GRACE_SECONDS), drift after that`,
        );
        assert.equal(severityOf(line), LogSeverity.WARNING);
        assert.equal(severityOf(progressLine(J, "FULL_TRANSFER_STARTED", undefined, 0)), LogSeverity.INFO);
    });

    it("keeps statusSince while the status stays, and restarts it when the status changes", () => {
        const earlier = new Date(T0 - 60_000).toISOString();
        assert.equal(statusSince("REBUILD_NODE_STARTED", { status: "REBUILD_NODE_STARTED", statusSince: earlier }, T0), earlier);
        assert.equal(statusSince("REBUILD_NODE_STARTED", { status: "INCRE_TRANSFER_STARTED", statusSince: earlier }, T0), new Date(T0).toISOString());
        assert.equal(statusSince("REBUILD_NODE_STARTED", { status: "REBUILD_NODE_STARTED" }, T0), new Date(T0).toISOString(), "state written before statusSince existed");
        assert.equal(statusSince("REBUILD_NODE_STARTED", { status: "REBUILD_NODE_STARTED", statusSince: "garbage" }, T0), new Date(T0).toISOString());
    });

    it("a refresh sequence: warning while maintained, drift past the grace, quiet again once DRS returns; never a start", async () => {
        const api = new HeldJob("INCRE_TRANSFER_STARTED");
        const { provider, lines, clock } = providerFor(api);
        const inputs = await checked(provider);
        const created = await provider.create(inputs);
        assert.equal(created.outs.statusSince, new Date(T0).toISOString(), "create records since when the status holds");

        api.current = "REBUILD_NODE_STARTED";
        clock.t += 60_000;
        const first = await provider.read(J, created.outs);
        assert.equal(jobStatusOf(first.inputs), "INCRE_TRANSFER_STARTED");
        assert.equal(first.props?.statusSince, new Date(T0 + 60_000).toISOString());
        assert.equal(lines.filter((l) => l.includes("warning: REBUILD_NODE_STARTED")).length, 1, lines.join("\n"));
        assert.equal((await provider.diff(J, first.props!, inputs)).changes, false);

        clock.t += 3_600_001;
        const late = await provider.read(J, first.props);
        assert.equal(jobStatusOf(late.inputs), `REBUILD_NODE_STARTED since ${new Date(T0 + 60_000).toISOString()}`);
        assert.equal((await provider.diff(J, late.props!, inputs)).changes, true);

        api.current = "INCRE_TRANSFER_STARTED";
        const back = await provider.read(J, late.props);
        assert.equal(jobStatusOf(back.inputs), "INCRE_TRANSFER_STARTED");
        assert.equal((await provider.diff(J, back.props!, inputs)).changes, false);
        assert.equal(api.starts, 0, "no start call at any point after the create's adoption");
    });

    it("an update past the grace waits and fails on its timeout keeping statusSince; no start", async () => {
        const api = new HeldJob("CHANGE_JOB_STARTED");
        const { provider } = providerFor(api);
        const news = await checked(provider, { timeoutSeconds: 1, pollIntervalSeconds: 0.5 });
        const since = new Date(T0 - 7_200_000).toISOString();
        const olds = { ...news, status: "CHANGE_JOB_STARTED", statusSince: since } as DrsJobStartOutputs;
        assert.equal((await provider.diff(J, olds, news)).changes, true);
        const failure = await provider.update(J, olds, news).then(
            () => undefined,
            (e: unknown) => e,
        );
        assert.ok(failure instanceof DrsJobError, String(failure));
        assert.match(failure.message, /did not reach INCRE_TRANSFER_STARTED/);
        assert.equal(failure.properties?.statusSince, since, "the failure's state keeps since when the status holds");
        assert.equal(api.starts, 0);
        assert.ok(api.polls >= 1);
    });

    it("reads the grace from DRS_RECOVERY_GRACE_SECONDS or drs:recoveryGraceSeconds, stack config first", async () => {
        const api = new HeldJob("REBUILD_NODE_STARTED");
        let env: Environment = { DRS_RECOVERY_GRACE_SECONDS: "20" };
        const { provider, clock } = providerFor(api, () => effectiveEnvironment(env));
        const inputs = await checked(provider);
        const since = new Date(T0 - 21_000).toISOString();
        const olds = { ...inputs, status: "REBUILD_NODE_STARTED", statusSince: since } as DrsJobStartOutputs;
        assert.equal((await provider.diff(J, olds, inputs)).changes, true, "21 s past a 20 s grace");
        assert.equal(jobStatusOf((await provider.read(J, olds)).inputs), `REBUILD_NODE_STARTED since ${since}`);

        applyStackConfig({ config: { get: (key) => (key === "drs:recoveryGraceSeconds" ? "30" : undefined) } });
        assert.equal((await provider.diff(J, olds, inputs)).changes, false, "the stack's 30 s win over the environment's 20 s");
        env = {};
        applyStackConfig({ config: { get: () => undefined } });
        assert.equal((await provider.diff(J, olds, inputs)).changes, false, "default: one hour");
        clock.t = Date.parse(since) + DEFAULT_RECOVERY_GRACE_SECONDS * 1000 + 1;
        assert.equal((await provider.diff(J, olds, inputs)).changes, true, "past the hour");
    });

    it("reads DRS_START_GRACE_SECONDS and DRS_PROGRESS_SECONDS from stack config as well", async () => {
        applyStackConfig({ config: { get: (key) => ({ "drs:startGraceSeconds": "5", "drs:progressSeconds": "2" })[key] } });
        const env = effectiveEnvironment({ DRS_START_GRACE_SECONDS: "900" });
        assert.equal(env.DRS_START_GRACE_SECONDS, "5");
        assert.equal(env.DRS_PROGRESS_SECONDS, "2");
        const api = new HeldJob("WAITING_FOR_START");
        const { provider, clock } = providerFor(api, () => effectiveEnvironment({ DRS_START_GRACE_SECONDS: "900" }));
        const startTime = T0 + 60_000;
        const inputs = await checked(provider, { waitFor: "scheduled", startTime });
        const olds = { ...inputs, status: "WAITING_FOR_START" } as DrsJobStartOutputs;
        clock.t = startTime + 5_000;
        assert.equal((await provider.diff(J, olds, inputs)).changes, false, "at the end of the stack's 5 s grace");
        clock.t = startTime + 5_001;
        assert.equal((await provider.diff(J, olds, inputs)).changes, true, "past the stack's 5 s grace (the environment says 900)");
    });
});
