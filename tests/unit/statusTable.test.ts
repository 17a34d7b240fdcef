import { strict as assert } from "node:assert";
import { NoLifecycleCalls } from "../support/noLifecycleCalls";
import * as fs from "node:fs";
import * as path from "node:path";
import { DrsJobError, type DrsJobStartInputs, type DrsJobStartOutputs, DrsJobStartProvider } from "../../provider";
import type { StartRequest } from "../../provider/drs/client";
import type { JobInfo, JobProgress, JobStatusResult, StartJobResult } from "../../provider/drs/wire";
import { DEAD_END_ACTIONS, decideEnd, decideRun, type EndDecision } from "../../provider/runDecision";
import type { LifecycleResult } from "../../provider/jobs/lifecycleCalls";
import type { JobsApi } from "../../provider/jobs/jobsApi";
import { DEFAULT_TARGET_STATUSES, jobStatusFamily, KNOWN_STATUSES } from "../../provider/wait/jobStatusFamily";
import { DEFAULT_RECOVERY_GRACE_SECONDS } from "../../provider/drift";
import { jobId } from "../support/env";
import { FakeClock } from "../support/fakeClock";

/** One row of docs/statuses.md's table. */
interface Row {
    readonly cell: string;
    /** The status DRS reports; undefined when DRS does not list the job. */
    readonly status?: string;
    readonly family: string;
    readonly create: string;
    readonly refresh: string;
    readonly drift: string;
    /** What up does with `runState: "paused"`. */
    readonly paused: string;
    /** What up does with `retryFailed: true`. */
    readonly retryFailed: string;
}

/** Reads the status table of docs/statuses.md. */
function readmeRows(): Row[] {
    const doc = fs.readFileSync(path.resolve(__dirname, "../../../docs/statuses.md"), "utf8");
    const lines = doc.split("\n");
    const header = lines.findIndex((l) => l.startsWith("| status | family | create | refresh | drift | runState paused | retryFailed |"));
    assert.ok(header >= 0, "docs/statuses.md has the status table");
    const rows: Row[] = [];
    for (const line of lines.slice(header + 2)) {
        if (!line.startsWith("|")) break;
        const [cell, family, create, refresh, drift, paused, retryFailed] = line
            .split("|")
            .slice(1, -1)
            .map((c) => c.trim());
        rows.push({ cell, status: statusOf(cell), family, create, refresh, drift, paused, retryFailed });
    }
    return rows;
}

/** The DRS status a row's first cell stands for. */
function statusOf(cell: string): string | undefined {
    if (cell === "(not listed)") return undefined;
    if (cell === "any other `*_FAILED`") return "SOMETHING_NEW_FAILED";
    if (cell === "anything else") return "SOMETHING_NEW";
    const m = /^`([A-Z_]+)`$/.exec(cell);
    assert.ok(m, `unreadable status cell ${cell}`);
    return m[1];
}

const FAMILY_WORDS: Record<string, string> = {
    "not started": "notStarted",
    scheduled: "scheduled",
    "in flight": "inFlight",
    recovering: "recovering",
    target: "target",
    failed: "failed",
    paused: "paused",
    stopped: "stopped",
    gone: "gone",
    unknown: "unknown",
};

const J = jobId(77);
const ERROR = { errorCode: "DRS.M09999", errorMessage: "Seen by the status table test" };

/** A DRS that knows one job (or none) and moves it to INCRE_TRANSFER_STARTED after one poll; a pause shows PAUSING at the next poll. */
class OneJob extends NoLifecycleCalls implements JobsApi {
    starts = 0;
    polls = 0;
    pauses = 0;
    retries = 0;
    readonly requestTimeoutMs = 1000;
    constructor(private current?: string) {
        super();
    }

    findJobsNamed(name: string): Promise<JobInfo[]> {
        return Promise.reject(new Error(`unexpected lookup of the name ${name}`));
    }

    async findJob(): Promise<JobInfo | undefined> {
        return this.current === undefined ? undefined : { id: J, name: "orders", status: this.current, errorMessage: ERROR.errorMessage };
    }
    async start(job: StartRequest): Promise<StartJobResult> {
        this.starts++;
        this.current = "STARTJOBING";
        return { id: job.jobId, status: "success" };
    }
    async status(): Promise<JobStatusResult | undefined> {
        return this.current === undefined ? undefined : { id: J, status: this.current, ...ERROR };
    }
    poller(): () => Promise<JobStatusResult | undefined> {
        return async () => {
            const seen = await this.status();
            this.polls++;
            this.current = "INCRE_TRANSFER_STARTED";
            return seen;
        };
    }
    async progress(): Promise<JobProgress | undefined> {
        return undefined;
    }
    override async pause(jobId: string): Promise<LifecycleResult> {
        this.pauses++;
        this.current = "PAUSING";
        return { id: jobId, status: "success" };
    }
    override async retry(jobId: string): Promise<LifecycleResult> {
        this.retries++;
        this.current = "STARTJOBING";
        return { id: jobId, status: "success" };
    }
    /** Calls that change the job. */
    get changes(): number {
        return this.starts + this.pauses + this.retries;
    }
}

/** A provider over `api`, with the progress lines it printed. */
function providerFor(api: JobsApi) {
    const lines: string[] = [];
    const clock = new FakeClock();
    const provider = new DrsJobStartProvider({ env: () => ({}), clock, jobs: () => api, progress: (l) => lines.push(l) });
    return { provider, lines, clock };
}

/** The default grace of DRS's maintenance, in ms. */
const RECOVERY_GRACE_MS = DEFAULT_RECOVERY_GRACE_SECONDS * 1000;

async function checkedInputs(provider: DrsJobStartProvider, declared: Partial<DrsJobStartInputs> = {}): Promise<DrsJobStartInputs> {
    const result = await provider.check({} as DrsJobStartInputs, { jobId: J, projectId: "054ba152d480d55b2f5dc0069e7ddef0", endpoint: "http://127.0.0.1:9", ...declared } as DrsJobStartInputs);
    assert.deepEqual(result.failures ?? [], []);
    return result.inputs!;
}

/** Asserts that `run` behaved as a create/drift cell says. */
async function expectBehaviour(words: string, status: string | undefined, api: OneJob, lines: string[], run: () => Promise<unknown>): Promise<void> {
    let result: unknown;
    const outcome = await run().then(
        (value) => {
            result = value;
        },
        (e: unknown) => e,
    );
    const outs = (result as { outs?: Record<string, unknown> } | undefined)?.outs;
    if (words.startsWith("fails: ")) {
        assert.ok(outcome instanceof DrsJobError, `expected a failure, got ${String(outcome)}`);
        assert.ok(outcome.message.includes(J), outcome.message);
        assert.equal(api.changes, 0, "a failure makes no call that changes the job");
        assert.equal(api.polls, 0, "a dead end is not waited on");
        const what = words.slice("fails: ".length);
        if (what === "not found") {
            assert.match(outcome.message, /not found|was deleted/);
            assert.equal(outcome.properties, undefined, "nothing to keep in state");
        } else if (what === "finish configuring") {
            assert.match(outcome.message, /not fully configured/);
        } else if (what === "not pausable") {
            assert.match(outcome.message, new RegExp(`cannot be paused in status ${status}`));
            assert.match(outcome.message, /runState: running/);
        } else {
            const action = DEAD_END_ACTIONS[what as keyof typeof DEAD_END_ACTIONS];
            assert.ok(action, `unknown failure word ${what}`);
            for (const part of [action, `status ${status}`, ERROR.errorCode, ERROR.errorMessage]) assert.ok(outcome.message.includes(part), `${outcome.message} lacks ${part}`);
            assert.equal(outcome.properties?.status, status, "state keeps the status seen");
        }
        return;
    }
    assert.equal(outcome, undefined, `expected success, got ${String(outcome)}`);
    if (words.startsWith("adopt") || words === "no change") {
        assert.equal(api.changes, 0);
        assert.equal(api.polls, 0);
    } else if (words === "hold") {
        assert.equal(api.changes, 0);
        assert.equal(api.polls, 0);
        assert.equal(outs?.held, true, "the outputs say the job was held");
    } else if (words === "pause, then wait") {
        assert.deepEqual([api.pauses, api.starts, api.retries], [1, 0, 0]);
        assert.ok(api.polls >= 1);
        assert.equal(outs?.status, "PAUSING");
        assert.equal(typeof outs?.pausedAt, "string");
    } else if (words === "resume, then wait" || words === "retry once, then wait") {
        assert.deepEqual([api.retries, api.starts, api.pauses], [1, 0, 0]);
        assert.ok(api.polls >= 1);
        assert.equal(outs?.status, "INCRE_TRANSFER_STARTED");
    } else if (words.startsWith("start once, then wait")) {
        assert.equal(api.starts, 1);
        assert.ok(api.polls >= 1);
    } else if (words.startsWith("wait")) {
        assert.equal(api.changes, 0);
        assert.ok(api.polls >= 1);
        if (words.includes("one line names the status"))
            assert.ok(
                lines.some((l) => l.includes(`${status}, a status pulumi-drs does not know; still waiting for INCRE_TRANSFER_STARTED`)),
                lines.join("\n"),
            );
    } else {
        assert.fail(`unknown behaviour words: ${words}`);
    }
}

describe("docs/statuses.md status table: every row, through the provider", () => {
    const rows = readmeRows();

    it("lists every known status exactly once", () => {
        const listed = rows.map((r) => r.status).filter((s): s is string => s !== undefined && !s.startsWith("SOMETHING"));
        assert.deepEqual([...listed].sort(), [...KNOWN_STATUSES].sort());
    });

    for (const row of rows) {
        describe(row.cell, () => {
            it(`family: ${row.family}`, () => {
                assert.equal(jobStatusFamily(row.status ?? "DELETED"), FAMILY_WORDS[row.family], row.cell);
            });

            it(`create: ${row.create}`, async () => {
                const api = new OneJob(row.status);
                const { provider, lines } = providerFor(api);
                const inputs = await checkedInputs(provider);
                await expectBehaviour(row.create, row.status, api, lines, () => provider.create(inputs));
            });

            it(`refresh: ${row.refresh}`, async () => {
                const api = new OneJob(row.status);
                const { provider, lines, clock } = providerFor(api);
                const inputs = await checkedInputs(provider);
                const result = await provider.read(J, { ...inputs, status: "INCRE_TRANSFER_STARTED" } as DrsJobStartOutputs);
                if (row.refresh === "drops the resource") return assert.equal(result.id, undefined);
                const jobStatusOf = (r: typeof result) => (r.inputs as unknown as Record<string, unknown>).jobStatus;
                if (row.refresh === "warns; records it after the grace") {
                    const since = new Date(clock.now()).toISOString();
                    assert.equal(result.props?.status, row.status);
                    assert.equal(result.props?.statusSince, since, "the first refresh that sees the status records since when");
                    assert.equal(jobStatusOf(result), "INCRE_TRANSFER_STARTED", "within the grace the declaration holds");
                    assert.ok(
                        lines.some((l) => l.startsWith(`drs job ${J}: warning: ${row.status} since ${since}`)),
                        lines.join("\n"),
                    );
                    clock.t += RECOVERY_GRACE_MS;
                    const atEnd = await provider.read(J, result.props);
                    assert.equal(atEnd.props?.statusSince, since, "a later refresh keeps the time");
                    assert.equal(jobStatusOf(atEnd), "INCRE_TRANSFER_STARTED", "at the end of the grace");
                    clock.t += 1;
                    const past = await provider.read(J, atEnd.props);
                    assert.equal(jobStatusOf(past), `${row.status} since ${since}`, "past the grace it is drift");
                    return;
                }
                assert.equal(row.refresh, "records it");
                assert.equal(result.id, J);
                assert.equal(result.props?.status, row.status);
                const declared = row.family === "target" ? "INCRE_TRANSFER_STARTED" : row.status;
                assert.equal((result.inputs as unknown as Record<string, unknown>).jobStatus, declared, "the inputs show the drift");
            });

            it(`drift: ${row.drift}`, async () => {
                const api = new OneJob(row.status);
                const { provider, lines, clock } = providerFor(api);
                const news = await checkedInputs(provider);
                if (row.drift.startsWith("next up creates: ")) {
                    assert.equal((await provider.read(J, { ...news, status: "INCRE_TRANSFER_STARTED" } as DrsJobStartOutputs)).id, undefined);
                    return expectBehaviour(row.drift.slice("next up creates: ".length), row.status, api, lines, () => provider.create(news));
                }
                let olds = { ...news, status: row.status } as DrsJobStartOutputs;
                if (row.drift === "no change; after the grace update: wait") {
                    const now = new Date(clock.now());
                    assert.equal((await provider.diff(J, { ...olds, statusSince: now.toISOString() }, news)).changes, false, "no change within the grace");
                    olds = { ...olds, statusSince: new Date(now.getTime() - RECOVERY_GRACE_MS - 1).toISOString() };
                    const diff = await provider.diff(J, olds, news);
                    assert.equal(diff.changes, true, "drift after the grace");
                    assert.deepEqual(diff.replaces, []);
                    return expectBehaviour("wait", row.status, api, lines, () => provider.update(J, olds, news));
                }
                const diff = await provider.diff(J, olds, news);
                if (row.drift === "no change") return assert.equal(diff.changes, false);
                assert.ok(row.drift.startsWith("update: "), row.drift);
                assert.equal(diff.changes, true, "drift is a change");
                assert.deepEqual(diff.replaces, [], "drift never replaces");
                await expectBehaviour(row.drift.slice("update: ".length), row.status, api, lines, () => provider.update(J, olds, news));
            });

            it(`runState paused: ${row.paused}`, async () => {
                const api = new OneJob(row.status);
                const { provider, lines } = providerFor(api);
                const news = await checkedInputs(provider, { runState: "paused" });
                if (row.status !== undefined) {
                    const settled = row.paused === "hold" || row.paused === "no change";
                    const diff = await provider.diff(J, { ...news, status: row.status } as DrsJobStartOutputs, news);
                    assert.equal(diff.changes, !settled, "drift against runState paused");
                }
                await expectBehaviour(row.paused, row.status, api, lines, () => provider.create(news));
            });

            it(`retryFailed: ${row.retryFailed}`, async () => {
                const observed = row.status === undefined ? undefined : { status: row.status };
                const withRetry = decideRun(observed, { retryFailed: true, targetStatuses: DEFAULT_TARGET_STATUSES });
                const without = decideRun(observed, { targetStatuses: DEFAULT_TARGET_STATUSES });
                if (row.retryFailed === "as create") return assert.deepEqual([withRetry.action, withRetry.call, withRetry.refusal?.kind], [without.action, without.call, without.refusal?.kind]);
                const api = new OneJob(row.status);
                const { provider, lines } = providerFor(api);
                await expectBehaviour(row.retryFailed, row.status, api, lines, async () => provider.create(await checkedInputs(provider, { retryFailed: true })));
            });
        });
    }
});

/** One row of docs/statuses.md's destroy table. */
interface EndRow {
    readonly status?: string;
    readonly stop: string;
    readonly delete: string;
}

/** Reads the destroy table of docs/statuses.md. */
function endRows(): EndRow[] {
    const lines = fs.readFileSync(path.resolve(__dirname, "../../../docs/statuses.md"), "utf8").split("\n");
    const header = lines.findIndex((l) => l.startsWith("| status | deletePolicy stop | deletePolicy delete |"));
    assert.ok(header >= 0, "docs/statuses.md has the destroy table");
    const rows: EndRow[] = [];
    for (const line of lines.slice(header + 2)) {
        if (!line.startsWith("|")) break;
        const [cell, stop, remove] = line
            .split("|")
            .slice(1, -1)
            .map((c) => c.trim());
        rows.push({ status: statusOf(cell), stop, delete: remove });
    }
    return rows;
}

/** The words of the destroy table for a decision. */
function endWords(decision: EndDecision): string {
    if (decision.action === "none") return "nothing";
    if (decision.action === "refuse") return "fails: stop failed";
    const words: Record<string, string> = { terminate: "stop", force_terminate: "stop by force", delete: "delete" };
    const steps = decision.steps.map((step) => (step.kind === "call" ? words[step.deleteType] : `wait ${step.until}`));
    return steps.join(", ").replace(/^stop, wait stopped$/, "stop, then wait stopped");
}

describe("docs/statuses.md destroy table: every row, through decideEnd", () => {
    for (const row of endRows()) {
        it(`${row.status ?? "(not listed)"}: stop: ${row.stop}; delete: ${row.delete}`, () => {
            assert.equal(endWords(decideEnd(row.status, "stop")), row.stop);
            assert.equal(endWords(decideEnd(row.status, "delete")), row.delete);
            assert.equal(endWords(decideEnd(row.status, "leave")), "nothing");
        });
    }
});
