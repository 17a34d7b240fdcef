import { strict as assert } from "node:assert";
import { classifyConnectError } from "../../cli/doctor/probe";
import { type CheckRow, healthy, renderTable } from "../../cli/doctor/report";
import { jobRow } from "../../cli/doctor/jobRow";
import { DEFAULT_TARGET_STATUSES } from "../../provider/wait/jobStatusFamily";
import { decideRun } from "../../provider/runDecision";

describe("doctor report and connection errors", () => {
    const rows: CheckRow[] = [
        { check: "project id", result: "ok", detail: "054ba152d480d55b2f5dc0069e7ddef0 (OS_PROJECT_ID)" },
        { check: "endpoint reachable", result: "FAIL", detail: "refused: ECONNREFUSED", fix: "check the port." },
        { check: "jobs", result: "skipped", detail: "not checked: endpoint unreachable" },
    ];

    it("aligns the columns on the widest entry and lists a fix line per row that has one", () => {
        const lines = renderTable(rows).split("\n");
        assert.equal(lines[0], "check               result   detail");
        assert.equal(lines[2], "project id          ok       054ba152d480d55b2f5dc0069e7ddef0 (OS_PROJECT_ID)");
        assert.equal(lines[3], "endpoint reachable  FAIL     refused: ECONNREFUSED");
        assert.deepEqual(
            lines.filter((l) => l.startsWith("fix: ")),
            ["fix: endpoint reachable: check the port."],
        );
        assert.equal(lines.at(-2), "doctor: 1 check failed");
    });

    it("is healthy with warnings and skips, not with a failure", () => {
        assert.equal(healthy(rows), false);
        assert.equal(healthy([{ check: "jobs", result: "warn", detail: "none", fix: "x" }, rows[0]]), true);
        assert.match(renderTable([rows[0]]), /doctor: ready for pulumi up\n$/);
    });

    it("sorts connection errors into DNS, refused, TLS, timeout, reset and other", () => {
        const cases: Record<string, string> = {
            ENOTFOUND: "dns",
            EAI_AGAIN: "dns",
            ECONNREFUSED: "refused",
            ETIMEDOUT: "timeout",
            ECONNRESET: "reset",
            CERT_HAS_EXPIRED: "tls",
            DEPTH_ZERO_SELF_SIGNED_CERT: "tls",
            UNABLE_TO_VERIFY_LEAF_SIGNATURE: "tls",
            ERR_TLS_CERT_ALTNAME_INVALID: "tls",
            ERR_SSL_WRONG_VERSION_NUMBER: "tls",
            EHOSTUNREACH: "other",
        };
        for (const [code, kind] of Object.entries(cases)) assert.equal(classifyConnectError(code), kind, code);
        assert.equal(classifyConnectError(undefined), "other");
    });
});

describe("doctor's job row: what pulumi up will do, from the provider's decideRun", () => {
    const J = "140b5236-88ad-43c8-811c-1268453jb101";
    const target = { projectId: "054ba152d480d55b2f5dc0069e7ddef0", endpoint: "http://127.0.0.1:9" };
    const row = (status: string, extra: { availableActions?: string[] } = {}) => jobRow(J, [{ id: J, name: "orders", status, dbUseType: "migration", ...extra }], target);

    /** One status per family, with the result the doctor gives and words of what up does. */
    const cases: [family: string, status: string, result: CheckRow["result"], says: RegExp][] = [
        ["not started, configured", "CONFIGURATION", "ok", /pulumi up starts it \(batch-starting\), then waits for INCRE_TRANSFER_STARTED/],
        ["not started, still creating", "CREATING", "FAIL", /pulumi up fails: is not fully configured yet/],
        ["scheduled", "WAITING_FOR_START", "ok", /pulumi up waits for INCRE_TRANSFER_STARTED/],
        ["in flight", "FULL_TRANSFER_STARTED", "ok", /pulumi up waits for INCRE_TRANSFER_STARTED/],
        ["recovering", "REBUILD_NODE_STARTED", "ok", /pulumi up waits for INCRE_TRANSFER_STARTED/],
        ["target", "INCRE_TRANSFER_STARTED", "ok", /pulumi up none: runs as declared/],
        ["paused", "PAUSING", "warn", /pulumi up resumes it \(batch-retry-task\)/],
        ["failed", "INCRE_TRANSFER_FAILED", "FAIL", /pulumi up fails: has failed in DRS/],
        ["stopped", "RELEASE_RESOURCE_COMPLETE", "FAIL", /pulumi up fails: was stopped in DRS/],
        ["gone", "DELETED", "FAIL", /pulumi up fails: was deleted in DRS/],
        ["unknown", "SOMETHING_NEW", "warn", /pulumi up waits for INCRE_TRANSFER_STARTED, a status pulumi-drs does not know/],
    ];
    for (const [family, status, result, says] of cases) {
        it(`${family} (${status}): ${result}`, () => {
            const r = row(status);
            assert.equal(r.result, result, JSON.stringify(r));
            assert.match(r.detail, says);
            const decision = decideRun({ status }, { targetStatuses: DEFAULT_TARGET_STATUSES });
            assert.ok(r.detail.endsWith(`pulumi up ${decision.plan}`), "the row prints the provider's own plan");
            if (result === "FAIL") {
                assert.ok(r.fix?.startsWith(`pulumi up will fail on job ${J}: ${decision.refusal?.summary}. ${decision.refusal?.fix}`), r.fix);
                assert.equal(healthy([r]), false, "a job up fails on makes the doctor exit 1");
            } else {
                assert.equal(healthy([r]), true);
            }
        });
    }

    it("a configured job DRS does not allow to START is a failed check", () => {
        const r = row("CONFIGURATION", { availableActions: ["DELETE"] });
        assert.equal(r.result, "FAIL");
        assert.match(r.fix ?? "", /DRS does not offer START.*DRS allows: DELETE\./);
    });
});
