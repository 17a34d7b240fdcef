import { strict as assert } from "node:assert";
import { DrsApiError, isJobNotFound, isJobRefusalStatus, parseVendorError } from "../../provider/drs/errors";
import { parseRetryAfter } from "../../provider/drs/http";
import { num, readProgress, readStartResult, readStatusResult } from "../../provider/drs/wire";

describe("wire readers", () => {
    it("parses batch-progress numbers that arrive as strings, -1 delay as n/a", () => {
        const p = readProgress({ job_id: "j", progress: "94", incre_trans_delay: "-1", task_mode: "FULL_INCR_TRANS", process_time: "0" });
        assert.deepEqual(p, {
            jobId: "j",
            progress: 94,
            increTransDelaySeconds: undefined,
            increTransDelayMillis: undefined,
            remainingTime: undefined,
            phases: undefined,
            taskMode: "FULL_INCR_TRANS",
            transferStatus: undefined,
            processTime: undefined,
            errorCode: undefined,
            errorMessage: undefined,
        });
        assert.equal(readProgress({ job_id: "j", incre_trans_delay: "3" }).increTransDelaySeconds, 3);
        assert.equal(readProgress({ job_id: "j", process_time: "1608274919000" }).processTime, 1608274919000);
    });

    it("reads error_message from batch-status and error_msg from batch-starting", () => {
        assert.equal(readStatusResult({ id: "j", status: "X", error_code: "C", error_message: "status msg" }).errorMessage, "status msg");
        assert.deepEqual(readStartResult({ id: "j", status: "failed", error_code: "DRS.M05003", error_msg: "start msg" }), { id: "j", status: "failed", errorCode: "DRS.M05003", errorMessage: "start msg" });
    });

    it("reads numbers leniently", () => {
        assert.equal(num("100"), 100);
        assert.equal(num("94%"), 94);
        assert.equal(num(7), 7);
        assert.equal(num(""), undefined);
        assert.equal(num("abc"), undefined);
        assert.equal(num(null), undefined);
    });
});

describe("vendor errors", () => {
    it("reads every error body shape gateways use", () => {
        assert.deepEqual(parseVendorError({ error_code: "DRS.1", error_msg: "a" }), { code: "DRS.1", message: "a" });
        assert.deepEqual(parseVendorError({ errorCode: "DRS.2", errorMsg: "b" }), { code: "DRS.2", message: "b" });
        assert.deepEqual(parseVendorError({ error: { code: "APIGW.0301", message: "c" } }), { code: "APIGW.0301", message: "c" });
        assert.deepEqual(parseVendorError("<html>"), {});
    });

    it("keeps IAM's numeric error code", () => {
        assert.deepEqual(parseVendorError({ error: { code: 401, message: "The request you have made requires authentication." } }), { code: "401", message: "The request you have made requires authentication." });
    });

    it("names each failed job of a body that only carries per-job results", () => {
        const body = {
            results: [
                { id: "ok", status: "FULL_TRANSFER_STARTED" },
                { id: "d1", error_code: "DRS.M05004", error_msg: "The job has been deleted." },
                { job_id: "u1", error_code: "DRS.M00289", error_message: "The job does not exist." },
            ],
        };
        assert.deepEqual(parseVendorError(body), { code: "DRS.M05004", message: "per-job results: job d1: DRS.M05004 The job has been deleted; job u1: DRS.M00289 The job does not exist" });
        const many = { results: ["a", "b", "c", "d", "e"].map((id) => ({ id, error_code: "DRS.M05004" })) };
        assert.match(parseVendorError(many).message!, /job c: DRS\.M05004; and 2 more$/);
        assert.deepEqual(parseVendorError({ results: [{ id: "ok", status: "X" }] }), {}, "no failed entry: nothing to report");
    });

    it("renders status, code, message, job and hint in the message", () => {
        const e = new DrsApiError({ operation: "batch-status", httpStatus: 400, code: "DRS.M00002", vendorMessage: "bad", jobIds: ["j1"], hint: "Do X." });
        assert.equal(e.message, "DRS batch-status for job j1 failed (HTTP 400 DRS.M00002): bad. Do X.");
    });

    it("renders and keeps the X-Request-Id, also when told to another job or given a new message", () => {
        const e = new DrsApiError({ operation: "batch-progress", httpStatus: 503, vendorMessage: "busy", jobIds: ["j1", "j2"], requestId: "req-42" });
        assert.equal(e.message, "DRS batch-progress for job j1, j2 failed (HTTP 503): busy. X-Request-Id: req-42.");
        const forOne = e.forJobs(["j2"]).withMessage((m) => `${m} (gave up)`);
        assert.equal(forOne.requestId, "req-42");
        assert.equal(forOne.message, "DRS batch-progress for job j2 failed (HTTP 503): busy (gave up). X-Request-Id: req-42.");
    });

    it("tells a job-specific refusal from one no job causes, and a not-found refusal from others", () => {
        assert.deepEqual([400, 409, 422].map(isJobRefusalStatus), [true, true, true]);
        assert.deepEqual([401, 403, 404, 407, 408, 429, 500, 200].map(isJobRefusalStatus), [false, false, false, false, false, false, false, false]);
        const refusal = (httpStatus: number, code?: string) => new DrsApiError({ operation: "batch-status", httpStatus, code, vendorMessage: "m" });
        assert.equal(isJobNotFound(refusal(400, "DRS.M05004")), true);
        assert.equal(isJobNotFound(refusal(400, "DRS.M00289")), true);
        assert.equal(isJobNotFound(refusal(400, "DRS.M00002")), false);
        assert.equal(isJobNotFound(refusal(503, "DRS.M05004")), false, "only a refusal says so");
        assert.equal(isJobNotFound(new Error("DRS.M05004")), false);
    });
});

describe("parseRetryAfter", () => {
    it("reads delta seconds and HTTP dates", () => {
        assert.equal(parseRetryAfter("2"), 2000);
        assert.equal(parseRetryAfter("0.5"), 500);
        assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000);
        assert.equal(parseRetryAfter(null), undefined);
        assert.equal(parseRetryAfter("soon"), undefined);
    });
});
