import { strict as assert } from "node:assert";
import { type Declaration, decideRun, isSettled, PAUSABLE_STATUSES, RETRIABLE_STATUSES } from "../../provider/runDecision";
import { DEFAULT_TARGET_STATUSES, KNOWN_STATUSES } from "../../provider/wait/jobStatusFamily";

const RUNNING: Declaration = { targetStatuses: DEFAULT_TARGET_STATUSES };
const PAUSED: Declaration = { runState: "paused", targetStatuses: DEFAULT_TARGET_STATUSES };

/** The rows of docs/statuses.md are tested in statusTable.test.ts; these are the cases the table does not spell out. */
describe("decideRun: the cases beside the status table", () => {
    it("makes a call only where it names one, and every call is followed by a wait", () => {
        for (const status of KNOWN_STATUSES) {
            for (const declared of [RUNNING, PAUSED, { ...RUNNING, retryFailed: true }]) {
                const decision = decideRun({ status }, declared);
                const calls = { start: "batch-starting", resume: "batch-retry-task", retry: "batch-retry-task", pause: "batch-pause-task" } as Record<string, string>;
                assert.equal(decision.call, calls[decision.action], `${status} ${JSON.stringify(declared)}`);
                if (decision.call) assert.ok(decision.waitFor, `${status}: a call is waited on`);
                assert.equal(decision.refusal !== undefined, decision.action === "refuse");
            }
        }
    });

    it("pauses exactly the statuses the OTC API page allows (its failed ones stay failures)", () => {
        const paused = KNOWN_STATUSES.filter((status) => decideRun({ status }, PAUSED).action === "pause");
        assert.deepEqual(paused, [...PAUSABLE_STATUSES]);
    });

    it("retries only FULL_TRANSFER_FAILED and INCRE_TRANSFER_FAILED, only with retryFailed, never while declared paused", () => {
        const retried = KNOWN_STATUSES.filter((status) => decideRun({ status }, { ...RUNNING, retryFailed: true }).action === "retry");
        assert.deepEqual(retried, [...RETRIABLE_STATUSES]);
        assert.equal(decideRun({ status: "INCRE_TRANSFER_FAILED" }, { ...PAUSED, retryFailed: true }).action, "refuse");
        assert.match(decideRun({ status: "CREATE_FAILED" }, { ...RUNNING, retryFailed: true }).refusal?.summary ?? "", /retryFailed retries only FULL_TRANSFER_FAILED and INCRE_TRANSFER_FAILED/);
    });

    it("names the pause mode in the plan, and says why a scheduled job cannot be paused", () => {
        assert.match(decideRun({ status: "INCRE_TRANSFER_STARTED" }, { ...PAUSED, pauseMode: "all" }).plan, /batch-pause-task, pauseMode all/);
        assert.match(decideRun({ status: "WAITING_FOR_START" }, PAUSED).refusal?.summary ?? "", /its scheduled start is still ahead/);
    });

    it("a configured job without START in DRS's actions is refused with what DRS allows; a held one is not", () => {
        const job = { status: "CONFIGURATION", availableActions: ["EDIT"], currentAction: "MODIFY" };
        const refused = decideRun(job, RUNNING);
        assert.equal(refused.refusal?.kind, "startNotOffered");
        assert.match(refused.refusal?.fix ?? "", /current action MODIFY.*DRS allows: EDIT\./);
        assert.equal(decideRun(job, PAUSED).action, "hold");
    });

    it("targets from waitFor decide what is settled: a full-only target accepts replication, and a paused job is resumed towards it", () => {
        const fullOnly: Declaration = { targetStatuses: ["FULL_TRANSFER_COMPLETE"] };
        assert.ok(isSettled(decideRun({ status: "INCRE_TRANSFER_STARTED" }, fullOnly)));
        assert.match(decideRun({ status: "PAUSING" }, fullOnly).plan, /resumes it \(batch-retry-task\), then waits for FULL_TRANSFER_COMPLETE/);
    });

    it("a job DRS does not list, or lists DELETED or without a status, is not found", () => {
        for (const observed of [undefined, { status: "DELETED" }, { status: "" }]) {
            assert.equal(decideRun(observed, RUNNING).refusal?.kind, "notFound");
            assert.equal(decideRun(observed, PAUSED).refusal?.kind, "notFound");
        }
    });
});
