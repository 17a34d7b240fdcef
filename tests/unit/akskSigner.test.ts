import { strict as assert } from "node:assert";
import { canonicalQuery, canonicalRequest, canonicalUri, sdkDate, signature, signRequest } from "../../provider/drs/akskSigner";

/**
 * Known vectors for SDK-HMAC-SHA256, computed independently of this code
 * with Python's hashlib/hmac from the published algorithm (canonical request
 * → string to sign "SDK-HMAC-SHA256\n{X-Sdk-Date}\n{sha256(canonical)}" →
 * hex HMAC-SHA256 with the secret key).
 */
const BODY = '{"jobs":["140b5236-88ad-43c8-811c-1268453jb101"],"page_req":{"cur_page":1,"per_page":100}}';
const URL_ = "https://drs.eu-de.otc.t-systems.com/v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/batch-status";
const AT = Date.parse("2026-11-26T12:00:00Z");
const SK = "TESTSECRETKEY0123456789";

describe("AK/SK request signing (SDK-HMAC-SHA256)", () => {
    it("formats X-Sdk-Date", () => {
        assert.equal(sdkDate(AT), "20261126T120000Z");
    });

    it("canonical URI ends with a slash and re-encodes segments; the query is sorted", () => {
        assert.equal(canonicalUri("/v3/abc/jobs/batch-status"), "/v3/abc/jobs/batch-status/");
        assert.equal(canonicalUri("/v1/a%20b/c"), "/v1/a%20b/c/");
        assert.equal(canonicalUri("/"), "/");
        assert.equal(canonicalQuery(new URLSearchParams("marker=x/y&limit=10")), "limit=10&marker=x%2Fy");
    });

    it("vector 1: project-scoped POST", () => {
        const headers = { "Content-Type": "application/json", Host: "drs.eu-de.otc.t-systems.com", "X-Sdk-Date": "20261126T120000Z", "X-Project-Id": "054ba152d480d55b2f5dc0069e7ddef0" };
        const { canonical, signedHeaders } = canonicalRequest({ method: "POST", url: URL_, headers, body: BODY });
        assert.equal(signedHeaders, "content-type;host;x-project-id;x-sdk-date");
        assert.equal(signature(canonical, "20261126T120000Z", SK), "3becf99fa54e495bf78edbeae9a242ee9bf109bf3aa46d01297dae6559bcdab2");
    });

    it("vector 2: temporary credentials sign X-Security-Token", () => {
        const signed = signRequest({ method: "POST", url: URL_, headers: { "Content-Type": "application/json" }, body: BODY }, { accessKey: "AK", secretKey: SK, securityToken: "temp-token-abc" }, AT, "054ba152d480d55b2f5dc0069e7ddef0");
        assert.equal(signed["X-Security-Token"], "temp-token-abc");
        assert.equal(signed.Authorization, "SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, Signature=3a0bfd7a5dd65d8ea74c47b06694247dfd029913839aa6d38b900c6135d065cd");
    });

    it("vector 3: GET with an encoded path and a query", () => {
        const { canonical, signedHeaders } = canonicalRequest({ method: "GET", url: "https://api.example.com/v1/a%20b/c?marker=x%2Fy&limit=10", headers: { Host: "api.example.com", "X-Sdk-Date": "20200101T000000Z" }, body: "" });
        assert.equal(signedHeaders, "host;x-sdk-date");
        assert.equal(signature(canonical, "20200101T000000Z", "sk"), "a1dc2d7088ed8b8d0980c17054e294daf11f7f9e6925a022d8ab3bccfeda3f42");
    });

    it("vector 4: the vendor's Go SDK signs without host, and its body ends with a newline", () => {
        // Computed with the signer of github.com/huaweicloud/huaweicloud-sdk-go-v3 v0.1.207
        // (core/auth/signer.Sign) on this request: it signs every header but Content-Type.
        const headers = { "User-Agent": "huaweicloud-usdk-go/3.0", "X-Project-Id": "054ba152d480d55b2f5dc0069e7ddef0", "X-Sdk-Date": "20261126T120000Z" };
        const body = '{"jobs":["140b5236-88ad-43c8-811c-1268453jb101"]}\n';
        const { canonical, signedHeaders } = canonicalRequest({ method: "POST", url: URL_, headers, body });
        assert.equal(signedHeaders, "user-agent;x-project-id;x-sdk-date");
        assert.equal(signature(canonical, "20261126T120000Z", SK), "e41d7a690eb1b26ab60f572d1a32a73d556cdc90080b30e03ac0114054670216");
    });

    it("signs the exact body: one changed byte changes the signature", () => {
        const sign = (body: string) => signRequest({ method: "POST", url: URL_, headers: {}, body }, { accessKey: "AK", secretKey: SK }, AT).Authorization;
        assert.notEqual(sign(BODY), sign(BODY.replace("101", "102")));
    });
});
