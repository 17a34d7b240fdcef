import { strict as assert } from "node:assert";
import type { EmulatedOperation, FaultAction } from "../../emulator";
import type { TransportOptions } from "../../provider/drs/http";
import { jobId } from "../support/env";
import { type Harness, startHarness } from "../support/providerHarness";

/**
 * The fault matrix: every DRS call and IAM, against every fault the network,
 * the gateway and DRS can throw, through a whole `create` over real HTTP.
 * A transient fault must be retried where safe and converge, with exactly one
 * start of the job; a persistent one must fail naming the job, the call, the
 * HTTP status and the vendor code.
 */

const J = jobId(77);
/** Short request timeout so "slower than the timeout" cells run in a second. */
const MATRIX_TRANSPORT: TransportOptions = { requestTimeoutMs: 300, retry: { retries: 3, minDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 1_000 } };
const THROTTLED = { error_code: "APIGW.0308", error_msg: "The throttling threshold has been reached" };
const JSON_TYPE = { "Content-Type": "application/json" };

/** The transient faults of the matrix, each hitting one call. */
const FAULTS: Record<string, FaultAction> = {
    "429 with Retry-After": { kind: "respond", status: 429, headers: { "Retry-After": "0.2" }, body: THROTTLED },
    "429 without Retry-After": { kind: "respond", status: 429, body: THROTTLED },
    "500": { kind: "respond", status: 500, body: { error_code: "DRS.M00500", error_msg: "Internal error" } },
    "502": { kind: "respond", status: 502, body: { error_code: "APIGW.0201", error_msg: "Bad gateway" } },
    "503": { kind: "respond", status: 503, body: { error_code: "DRS.M00503", error_msg: "Service unavailable" } },
    "504": { kind: "respond", status: 504, body: { error_code: "APIGW.0203", error_msg: "Gateway timeout" } },
    "connection reset": { kind: "reset" },
    "response slower than the request timeout": { kind: "delay", ms: 500 },
    "malformed JSON": { kind: "respond", status: 200, headers: JSON_TYPE, body: "{not json" },
    "truncated JSON": { kind: "respond", status: 200, headers: JSON_TYPE, body: '{"results":[{"id":"' },
    "HTML error page from a gateway": { kind: "respond", status: 502, body: "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>" },
    "empty 200": { kind: "respond", status: 200, headers: JSON_TYPE, body: "" },
};

/** Faults after which DRS has acted on a batch-starting (the job started) but the answer is lost or garbled. */
const ACTED_FAULTS: Record<string, FaultAction> = {
    "response lost after the start": { kind: "drop-response" },
    "502 after the start": { kind: "respond", status: 502, body: "<html>502 Bad Gateway</html>", afterActing: true },
    "malformed 200 after the start": { kind: "respond", status: 200, headers: JSON_TYPE, body: "{not json", afterActing: true },
    "empty 200 after the start": { kind: "respond", status: 200, headers: JSON_TYPE, body: "", afterActing: true },
};

const OPERATIONS: EmulatedOperation[] = ["iam-token", "list-jobs", "batch-starting", "batch-status", "batch-progress"];

describe("fault matrix: one transient fault per call converges, with one start", function () {
    this.timeout(20_000);
    let h: Harness;
    afterEach(() => h?.emu.close());

    async function createWith(operation: EmulatedOperation, action: FaultAction): Promise<void> {
        h = await startHarness({ jobs: [{ id: J }] }, {}, MATRIX_TRANSPORT);
        h.emu.faults.add({ operation, action });
        const outs = (await h.provider.create(await h.checked({ jobId: J }))).outs!;
        assert.equal(outs.status, "INCRE_TRANSFER_STARTED");
        assert.equal(h.emu.jobs.get(J)?.starts, 1, "the job was started exactly once");
    }

    for (const operation of OPERATIONS) {
        for (const [fault, action] of Object.entries(FAULTS)) {
            it(`${operation}: ${fault}`, async () => {
                await createWith(operation, action);
                const starts = h.emu.count("batch-starting");
                if (operation !== "batch-starting") assert.equal(starts, 1, "one batch-starting call");
                else if (action.kind === "delay") assert.equal(starts, 1, "the late start was seen through batch-status: not sent again");
                else assert.equal(starts, 2, "DRS did not act: checked through batch-status, then sent again");
            });
        }
    }
    for (const [fault, action] of Object.entries(ACTED_FAULTS)) {
        it(`batch-starting: ${fault} is never followed by a second batch-starting`, async () => {
            await createWith("batch-starting", action);
            assert.equal(h.emu.count("batch-starting"), 1);
            const order = h.emu.calls.map((c) => c.operation).filter((op) => op === "batch-starting" || op === "batch-status");
            assert.deepEqual(order.slice(0, 2), ["batch-starting", "batch-status"], "checked through batch-status before anything else");
        });
    }
});

describe("fault matrix: a persistent fault fails clearly", function () {
    this.timeout(20_000);
    let h: Harness;
    afterEach(() => h?.emu.close());

    const persistent: [EmulatedOperation, string, FaultAction, RegExp][] = [
        ["list-jobs", "503", FAULTS["503"], /DRS list-jobs for job 0000004d-88ad-43c8-811c-000004djb101 failed \(HTTP 503 DRS\.M00503\): Service unavailable/],
        ["batch-status", "429", FAULTS["429 without Retry-After"], /DRS batch-status for job 0000004d-88ad-43c8-811c-000004djb101 failed \(HTTP 429 APIGW\.0308\)/],
        ["batch-progress", "500", FAULTS["500"], /./],
        ["batch-starting", "HTML 502", FAULTS["HTML error page from a gateway"], /DRS batch-starting for job 0000004d-88ad-43c8-811c-000004djb101 failed \(HTTP 502\)/],
        ["iam-token", "504", FAULTS["504"], /IAM|iam-token/],
    ];
    for (const [operation, fault, action, expected] of persistent) {
        it(`${operation}: ${fault} on every attempt`, async () => {
            h = await startHarness({ jobs: [{ id: J }] }, {}, MATRIX_TRANSPORT);
            h.emu.faults.add({ operation, action, times: 1_000 });
            const checked = await h.checked({ jobId: J });
            if (operation === "batch-progress") {
                // Progress is best effort: the job still reports its status.
                const outs = (await h.provider.create(checked)).outs!;
                assert.equal(outs.status, "INCRE_TRANSFER_STARTED");
                assert.equal(outs.progress, undefined);
                return;
            }
            await assert.rejects(h.provider.create(checked), (error: Error) => {
                assert.match(error.message, expected);
                if (operation !== "iam-token") assert.ok(error.message.includes(J), `names the job: ${error.message}`);
                assert.ok(!error.message.includes("emulator-only-password"), "no credential in the error");
                return true;
            });
            assert.ok(h.emu.jobs.get(J)!.starts <= 1, "never started twice");
        });
    }
});

describe("fault matrix: faults in the middle of a long wait", function () {
    this.timeout(20_000);
    let h: Harness;
    afterEach(() => h?.emu.close());
    const LONG = { timings: { startingMs: 50, fullTransferMs: 600, fullCompleteMs: 50 } };
    const midWait = (action: () => void) => h.afterStart(action, 150);

    it("an IAM token expiring mid-wait is renewed once and the wait converges", async () => {
        h = await startHarness({ jobs: [{ id: J }], ...LONG }, {}, MATRIX_TRANSPORT);
        const creating = h.provider.create(await h.checked({ jobId: J }));
        midWait(() => h.emu.tokens.revokeAll());
        assert.equal((await creating).outs!.status, "INCRE_TRANSFER_STARTED");
        assert.equal(h.emu.tokens.issuedCount, 2);
    });

    it("a token that cannot be renewed fails clearly, naming the job, the call, 401 and the code", async () => {
        h = await startHarness({ jobs: [{ id: J }], ...LONG }, {}, MATRIX_TRANSPORT);
        const creating = h.provider.create(await h.checked({ jobId: J }));
        midWait(() => {
            h.emu.tokens.revokeAll();
            h.emu.faults.add({ operation: "iam-token", action: { kind: "respond", status: 401, body: { error: { code: 401, message: "The username or password is wrong." } } }, times: 1_000 });
        });
        await assert.rejects(creating, (error: Error) => {
            assert.match(error.message, /iam-token/);
            assert.match(error.message, /HTTP 401/);
            assert.ok(error.message.includes(J), `names the job: ${error.message}`);
            assert.ok(!error.message.includes("emulator-only-password"));
            return true;
        });
        assert.equal(h.emu.jobs.get(J)?.starts, 1);
    });

    it("a pre-issued OS_TOKEN revoked mid-wait fails clearly (it cannot be renewed)", async () => {
        const token = "pre-issued-token-for-tests";
        h = await startHarness({ jobs: [{ id: J }], tokens: { [token]: "054ba152d480d55b2f5dc0069e7ddef0" }, ...LONG }, { OS_TOKEN: token }, MATRIX_TRANSPORT);
        const creating = h.provider.create(await h.checked({ jobId: J }));
        midWait(() => h.emu.tokens.revokeAll());
        await assert.rejects(creating, (error: Error) => {
            assert.match(error.message, /batch-status .*HTTP 401 APIGW\.0301/);
            assert.ok(error.message.includes(J));
            assert.match(error.message, /OS_TOKEN/);
            assert.ok(!error.message.includes(token), "the token is never printed");
            return true;
        });
    });

    it("a job deleted during the wait fails as gone, naming the job", async () => {
        h = await startHarness({ jobs: [{ id: J }], ...LONG }, {}, MATRIX_TRANSPORT);
        const creating = h.provider.create(await h.checked({ jobId: J }));
        midWait(() => h.emu.jobs.delete(J));
        await assert.rejects(creating, (error: Error) => {
            assert.ok(error.message.includes(J));
            assert.match(error.message, /no longer|disappeared|gone|not found/i);
            return true;
        });
    });
});
