import { strict as assert } from "node:assert";
import { classifyConnectError } from "../../cli/doctor/probe";
import { CheckRow, healthy, renderTable } from "../../cli/doctor/report";

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
        assert.deepEqual(lines.filter((l) => l.startsWith("fix: ")), ["fix: endpoint reachable: check the port."]);
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
