import { strict as assert } from "node:assert";
import { NoLifecycleCalls } from "../support/noLifecycleCalls";
import * as fs from "node:fs";
import * as path from "node:path";
import { DrsJobError, DrsJobStartInputs, DrsJobStartOutputs, DrsJobStartProvider } from "../../provider";
import { StartRequest } from "../../provider/drs/client";
import { JobInfo, JobProgress, JobStatusResult, StartJobResult } from "../../provider/drs/wire";
import { DEAD_END_ACTIONS } from "../../provider/ensureRunning";
import { JobsApi } from "../../provider/jobs/jobsApi";
import { jobStatusFamily, KNOWN_STATUSES } from "../../provider/wait/jobStatusFamily";
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
}

/** Reads the status table of docs/statuses.md. */
function readmeRows(): Row[] {
    const doc = fs.readFileSync(path.resolve(__dirname, "../../../docs/statuses.md"), "utf8");
    const lines = doc.split("\n");
    const header = lines.findIndex((l) => l.startsWith("| status | family | create | refresh | drift |"));
    assert.ok(header >= 0, "docs/statuses.md has the status table");
    const rows: Row[] = [];
    for (const line of lines.slice(header + 2)) {
        if (!line.startsWith("|")) break;
        const [cell, family, create, refresh, drift] = line.split("|").slice(1, -1).map((c) => c.trim());
        rows.push({ cell, status: statusOf(cell), family, create, refresh, drift });
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

/** A DRS that knows one job (or none) and moves it to INCRE_TRANSFER_STARTED after one poll. */
class OneJob extends NoLifecycleCalls implements JobsApi {
    starts = 0;
    polls = 0;
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
}

/** A provider over `api`, with the progress lines it printed. */
function providerFor(api: JobsApi) {
    const lines: string[] = [];
    const provider = new DrsJobStartProvider({ env: () => ({}), clock: new FakeClock(), jobs: () => api, progress: (l) => lines.push(l) });
    return { provider, lines };
}

async function checkedInputs(provider: DrsJobStartProvider): Promise<DrsJobStartInputs> {
    const result = await provider.check({} as DrsJobStartInputs, { jobId: J, projectId: "054ba152d480d55b2f5dc0069e7ddef0", endpoint: "http://127.0.0.1:9" } as DrsJobStartInputs);
    assert.deepEqual(result.failures ?? [], []);
    return result.inputs!;
}

/** Asserts that `run` behaved as a create/drift cell says. */
async function expectBehaviour(words: string, status: string | undefined, api: OneJob, lines: string[], run: () => Promise<unknown>): Promise<void> {
    const outcome = await run().then(
        () => undefined,
        (e: unknown) => e,
    );
    if (words.startsWith("fails: ")) {
        assert.ok(outcome instanceof DrsJobError, `expected a failure, got ${String(outcome)}`);
        assert.ok(outcome.message.includes(J), outcome.message);
        assert.equal(api.starts, 0, "a failure makes no start call");
        assert.equal(api.polls, 0, "a dead end is not waited on");
        const what = words.slice("fails: ".length);
        if (what === "not found") {
            assert.match(outcome.message, /not found|was deleted/);
            assert.equal(outcome.properties, undefined, "nothing to keep in state");
        } else if (what === "finish configuring") {
            assert.match(outcome.message, /not fully configured/);
        } else {
            const action = DEAD_END_ACTIONS[what as keyof typeof DEAD_END_ACTIONS];
            assert.ok(action, `unknown failure word ${what}`);
            for (const part of [action, `status ${status}`, ERROR.errorCode, ERROR.errorMessage]) assert.ok(outcome.message.includes(part), `${outcome.message} lacks ${part}`);
            assert.equal(outcome.properties?.status, status, "state keeps the status seen");
        }
        return;
    }
    assert.equal(outcome, undefined, `expected success, got ${String(outcome)}`);
    if (words.startsWith("adopt")) {
        assert.equal(api.starts, 0);
        assert.equal(api.polls, 0);
    } else if (words.startsWith("start once, then wait")) {
        assert.equal(api.starts, 1);
        assert.ok(api.polls >= 1);
    } else if (words.startsWith("wait")) {
        assert.equal(api.starts, 0);
        assert.ok(api.polls >= 1);
        if (words.includes("one line names the status")) assert.ok(lines.some((l) => l.includes(`${status}, a status pulumi-drs does not know; still waiting for INCRE_TRANSFER_STARTED`)), lines.join("\n"));
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
                const { provider } = providerFor(api);
                const inputs = await checkedInputs(provider);
                const result = await provider.read(J, { ...inputs, status: "INCRE_TRANSFER_STARTED" } as DrsJobStartOutputs);
                if (row.refresh === "drops the resource") return assert.equal(result.id, undefined);
                assert.equal(row.refresh, "records it");
                assert.equal(result.id, J);
                assert.equal(result.props?.status, row.status);
                const declared = row.family === "target" ? "INCRE_TRANSFER_STARTED" : row.status;
                assert.equal((result.inputs as unknown as Record<string, unknown>).jobStatus, declared, "the inputs show the drift");
            });

            it(`drift: ${row.drift}`, async () => {
                const api = new OneJob(row.status);
                const { provider, lines } = providerFor(api);
                const news = await checkedInputs(provider);
                if (row.drift.startsWith("next up creates: ")) {
                    assert.equal((await provider.read(J, { ...news, status: "INCRE_TRANSFER_STARTED" } as DrsJobStartOutputs)).id, undefined);
                    return expectBehaviour(row.drift.slice("next up creates: ".length), row.status, api, lines, () => provider.create(news));
                }
                const olds = { ...news, status: row.status } as DrsJobStartOutputs;
                const diff = await provider.diff(J, olds, news);
                if (row.drift === "no change") return assert.equal(diff.changes, false);
                assert.ok(row.drift.startsWith("update: "), row.drift);
                assert.equal(diff.changes, true, "drift is a change");
                assert.deepEqual(diff.replaces, [], "drift never replaces");
                await expectBehaviour(row.drift.slice("update: ".length), row.status, api, lines, () => provider.update(J, olds, news));
            });
        });
    }
});
