import { strict as assert } from "node:assert";
import fc from "fast-check";
import { jobsUrl } from "../../provider/drs/client";
import { checkInputs } from "../../provider/validate";

/**
 * Property: no input string can change the host or the path of a DRS request.
 * Whatever jobId, projectId, region or endpoint a program passes, either
 * `check` rejects it, or the request goes to the endpoint's host under
 * `/v3/{32 hex}/jobs/`.
 */

const NOW = Date.parse("2026-11-26T00:00:00Z");
const VALID = { jobId: "140b5236-88ad-43c8-811c-1268453jb101", projectId: "054ba152d480d55b2f5dc0069e7ddef0", region: "eu-de" };

/** Strings built from the pieces path and host injection is made of. */
const hostile = fc
    .array(
        fc.oneof(
            fc.constantFrom("../", "..", "/", "%2F", "%2f", "%2e%2e", "\\", "?", "#", "@", ":", " ", "\n", "\t", "%00", "evil.example", "//", ".", "-", "eu-de", "a", "0", "f", "https://", "http://127.0.0.1"),
            fc.string({ maxLength: 6 }),
            fc.string({ unit: "grapheme", maxLength: 4 }),
        ),
        { maxLength: 8 },
    )
    .map((parts) => parts.join(""));

const validOr = (value: string) => fc.oneof(fc.constant(value), hostile, fc.stringMatching(/^[0-9a-f]{30,34}$/));

describe("property: inputs never change the request host or path", () => {
    it("jobId, projectId and region (default endpoint)", () => {
        let accepted = 0;
        fc.assert(
            fc.property(validOr(VALID.jobId), validOr(VALID.projectId), validOr(VALID.region), (jobId, projectId, region) => {
                const outcome = checkInputs(undefined, { jobId, projectId, region }, {}, NOW);
                if (!outcome.ok) return;
                accepted++;
                const { inputs } = outcome;
                const url = new URL(`${jobsUrl(inputs.endpoint, inputs.projectId)}/batch-status`);
                assert.equal(url.protocol, "https:");
                // The region as check resolved it (surrounding blanks trimmed, as from a config file).
                assert.equal(inputs.region, region.trim());
                assert.equal(url.hostname, region.trim() === "eu-ch2" ? "drs.eu-ch2.sc.otc.t-systems.com" : `drs.${region.trim()}.otc.t-systems.com`);
                assert.match(url.hostname, /^drs\.[a-z0-9-]+\.(sc\.)?otc\.t-systems\.com$/);
                assert.match(url.pathname, /^\/v3\/[0-9a-f]{32}\/jobs\/batch-status$/i);
                assert.equal(url.search + url.hash + url.username + url.password, "");
            }),
            { numRuns: 3000 },
        );
        assert.ok(accepted > 100, `the property held vacuously: only ${accepted} accepted inputs`);
    });

    it("endpoint: the host is the endpoint's, the path only grows by /v3/{project}/jobs", () => {
        let accepted = 0;
        fc.assert(
            fc.property(fc.oneof(hostile, fc.webUrl(), fc.constant("https://drs.eu-de.otc.t-systems.com")), validOr(VALID.projectId), (endpoint, projectId) => {
                const outcome = checkInputs(undefined, { jobId: VALID.jobId, projectId, endpoint }, {}, NOW);
                if (!outcome.ok) return;
                accepted++;
                const { inputs } = outcome;
                const given = new URL(inputs.endpoint);
                const url = new URL(`${jobsUrl(inputs.endpoint, inputs.projectId)}/batch-status`);
                assert.equal(url.host, given.host);
                assert.equal(url.pathname, `${given.pathname.replace(/\/+$/, "")}/v3/${inputs.projectId}/jobs/batch-status`);
                assert.equal(url.search + url.hash + url.username + url.password, "");
            }),
            { numRuns: 3000 },
        );
        assert.ok(accepted > 100, `the property held vacuously: only ${accepted} accepted inputs`);
    });

    it("rejects the classic injections by name", () => {
        for (const projectId of ["../054ba152d480d55b2f5dc0069e7ddef0", "054ba152d480d55b2f5dc0069e7ddef0/..", "%2F54ba152d480d55b2f5dc0069e7ddef0", "054ba152 d480d55b2f5dc0069e7ddef0"]) {
            const outcome = checkInputs(undefined, { ...VALID, projectId }, {}, NOW);
            assert.ok(!outcome.ok && outcome.failures.some((f) => f.property === "projectId" && /32 hex characters/.test(f.reason)), projectId);
        }
        for (const region of ["eu-de/../x", "eu-de.evil.example", "eu-de@evil", "EU DE"]) {
            const outcome = checkInputs(undefined, { ...VALID, region }, {}, NOW);
            assert.ok(!outcome.ok && outcome.failures.some((f) => f.property === "region"), region);
        }
        for (const endpoint of ["https://user:pw@drs.example", "https://drs.example/?x=1", "http://drs.example.com", "ftp://drs.example"]) {
            const outcome = checkInputs(undefined, { ...VALID, endpoint }, {}, NOW);
            assert.ok(!outcome.ok && outcome.failures.some((f) => f.property === "endpoint"), endpoint);
        }
        const allowed = checkInputs(undefined, { ...VALID, endpoint: "http://drs.test.internal", allowInsecureEndpoint: true }, {}, NOW);
        assert.ok(allowed.ok, "plain http is allowed when explicitly asked for");
        const wrongType = checkInputs(undefined, { ...VALID, allowInsecureEndpoint: "yes" }, {}, NOW);
        assert.ok(!wrongType.ok && wrongType.failures[0].property === "allowInsecureEndpoint");
    });
});
