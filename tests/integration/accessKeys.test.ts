import { strict as assert } from "node:assert";
import { DEFAULT_ACCESS_KEY, DEFAULT_PROJECT_ID } from "../../emulator";
import { verifySigned } from "../../emulator/accessKeys";
import { canonicalRequest, sdkDate, signature, signRequest } from "../../provider/drs/akskSigner";
import { jobId } from "../support/env";
import { type Harness, startHarness } from "../support/providerHarness";

const J = jobId(41);
const AKSK = { OS_ACCESS_KEY: DEFAULT_ACCESS_KEY.accessKey, OS_SECRET_KEY: DEFAULT_ACCESS_KEY.secretKey };

describe("AK/SK signed requests against the emulator (which verifies every signature)", function () {
    this.timeout(20_000);
    let h: Harness;
    afterEach(() => h?.emu.close());

    it("starts and waits with access keys; no IAM token is requested", async () => {
        h = await startHarness({ jobs: [{ id: J }] }, AKSK);
        const outs = (await h.provider.create(await h.checked({ jobId: J }))).outs!;
        assert.equal(outs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(h.emu.count("iam-token"), 0, "access keys win over password auth");
        assert.ok(h.emu.count("batch-status") > 0);
    });

    it("a wrong secret key fails with 401, a hint, and without the key", async () => {
        h = await startHarness({ jobs: [{ id: J }] }, { ...AKSK, OS_SECRET_KEY: "wrong-secret-key-123" });
        await assert.rejects(h.provider.create(await h.checked({ jobId: J })), (error: Error) => {
            assert.match(error.message, /HTTP 401 APIGW\.0301/);
            assert.match(error.message, /OS_ACCESS_KEY\/OS_SECRET_KEY/);
            assert.ok(error.message.includes(J));
            assert.ok(!error.message.includes("wrong-secret-key-123"));
            return true;
        });
        assert.equal(h.emu.jobs.get(J)?.starts, 0);
    });

    it("temporary access keys need their security token", async () => {
        const accessKeys = { TEMPAK0001: { secretKey: "temp-secret", securityToken: "temp-security-token" } };
        h = await startHarness({ jobs: [{ id: J }], accessKeys }, { OS_ACCESS_KEY: "TEMPAK0001", OS_SECRET_KEY: "temp-secret", OS_SECURITY_TOKEN: "temp-security-token" });
        assert.equal((await h.provider.create(await h.checked({ jobId: J }))).outs!.status, "INCRE_TRANSFER_STARTED");
        await h.emu.close();
        h = await startHarness({ jobs: [{ id: J }], accessKeys }, { OS_ACCESS_KEY: "TEMPAK0001", OS_SECRET_KEY: "temp-secret" });
        await assert.rejects(h.provider.create(await h.checked({ jobId: J })), /HTTP 401/);
    });

    describe("the emulator's verification", () => {
        const keys = new Map([[DEFAULT_ACCESS_KEY.accessKey, { secretKey: DEFAULT_ACCESS_KEY.secretKey }]]);
        const now = Date.parse("2026-11-26T12:00:00Z");
        const path = `/v3/${DEFAULT_PROJECT_ID}/jobs/batch-status`;
        const body = JSON.stringify({ jobs: [J] });
        const signed = (at = now, project = DEFAULT_PROJECT_ID) => {
            const headers = signRequest({ method: "POST", url: `http://127.0.0.1:8900${path}`, headers: { "Content-Type": "application/json" }, body }, DEFAULT_ACCESS_KEY, at, project);
            return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
        };
        const verify = (headers: Record<string, string>, b = body, project = DEFAULT_PROJECT_ID) => verifySigned({ method: "POST", url: path, headers }, b, project, keys, DEFAULT_PROJECT_ID, now);

        /** Headers signed the way the vendor's Go SDK signs them: `user-agent;x-project-id;x-sdk-date`, no `host`; its body ends with a newline. */
        const signedLikeGoSdk = (b: string) => {
            const headers = { "user-agent": "huaweicloud-usdk-go/3.0", "x-project-id": DEFAULT_PROJECT_ID, "x-sdk-date": sdkDate(now) };
            const { canonical, signedHeaders } = canonicalRequest({ method: "POST", url: `http://127.0.0.1:8900${path}`, headers, body: b });
            const sig = signature(canonical, headers["x-sdk-date"], DEFAULT_ACCESS_KEY.secretKey);
            return { ...headers, host: "127.0.0.1:8900", "content-type": "application/json", authorization: `SDK-HMAC-SHA256 Access=${DEFAULT_ACCESS_KEY.accessKey}, SignedHeaders=${signedHeaders}, Signature=${sig}` };
        };
        const goBody = `${body}\n`;

        it("accepts a correct signature", () => assert.equal(verify(signed()), "ok"));
        it("rejects a tampered body", () => assert.equal(verify(signed(), body.replace("jb101", "jb102")), "unauthorized"));
        it("rejects a date more than 15 minutes off", () => assert.equal(verify(signed(now - 16 * 60_000)), "unauthorized"));
        it("rejects an unknown access key", () => assert.equal(verify({ ...signed(), authorization: signed().authorization.replace(DEFAULT_ACCESS_KEY.accessKey, "OTHERKEY") }), "unauthorized"));
        it("accepts a request signed without host, as the vendor's Go SDK signs", () => assert.equal(verify(signedLikeGoSdk(goBody), goBody), "ok"));
        it("rejects such a request when a signed header was changed", () => assert.equal(verify({ ...signedLikeGoSdk(goBody), "user-agent": "other-agent" }, goBody), "unauthorized"));
        it("rejects such a request when its body was changed", () => assert.equal(verify(signedLikeGoSdk(goBody), body), "unauthorized"));
        it("rejects such a request signed with another secret key", () => {
            const headers = signedLikeGoSdk(goBody);
            const { canonical } = canonicalRequest({ method: "POST", url: `http://127.0.0.1:8900${path}`, headers: { "user-agent": headers["user-agent"], "x-project-id": headers["x-project-id"], "x-sdk-date": headers["x-sdk-date"] }, body: goBody });
            const forged = headers.authorization.replace(/Signature=[0-9a-f]{64}/, `Signature=${signature(canonical, headers["x-sdk-date"], "wrong-secret-key-123")}`);
            assert.equal(verify({ ...headers, authorization: forged }, goBody), "unauthorized");
        });
        it("rejects a request that does not sign x-sdk-date", () => {
            const headers = signedLikeGoSdk(goBody);
            const { canonical, signedHeaders } = canonicalRequest({ method: "POST", url: `http://127.0.0.1:8900${path}`, headers: { "user-agent": headers["user-agent"], "x-project-id": headers["x-project-id"] }, body: goBody });
            const unsignedDate = `SDK-HMAC-SHA256 Access=${DEFAULT_ACCESS_KEY.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature(canonical, headers["x-sdk-date"], DEFAULT_ACCESS_KEY.secretKey)}`;
            assert.equal(verify({ ...headers, authorization: unsignedDate }, goBody), "unauthorized");
        });
        it("forbids another project", () => assert.equal(verify(signed(now, "ffffffffffffffffffffffffffffffff"), body, "ffffffffffffffffffffffffffffffff"), "forbidden"));
    });
});
