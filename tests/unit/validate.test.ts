import { strict as assert } from "node:assert";
import { checkInputs, type CheckOutcome, endpointProblem, hasUnknowns, parseStartTime, UNKNOWN_VALUE } from "../../provider/validate";
import { regionAuthUrl, regionEndpoint } from "../../provider/settings";

const NOW = Date.parse("2026-11-24T12:00:00Z");
const JOB = "140b5236-88ad-43c8-811c-1268453jb101";
const PROJECT = "054ba152d480d55b2f5dc0069e7ddef0";
const env = { OS_PROJECT_ID: PROJECT, OS_REGION_NAME: "eu-de" };

function failuresOf(outcome: CheckOutcome): Record<string, string> {
    assert.equal(outcome.ok, false, "expected failures");
    return Object.fromEntries((outcome.ok ? [] : outcome.failures).map((f) => [f.property, f.reason]));
}

function check(news: Record<string, unknown>, e: Record<string, string | undefined> = env, olds?: Record<string, unknown>) {
    return checkInputs(olds, news, e, NOW);
}

describe("checkInputs", () => {
    it("applies defaults and resolves project, region and endpoint from the environment", () => {
        const outcome = check({ jobId: JOB });
        assert.ok(outcome.ok);
        assert.deepEqual(outcome.inputs, {
            jobId: JOB,
            projectId: PROJECT,
            region: "eu-de",
            endpoint: "https://drs.eu-de.otc.t-systems.com",
            targetStatuses: ["INCRE_TRANSFER_STARTED"],
            timeoutSeconds: 3600,
            pollIntervalSeconds: 10,
        });
    });

    it("prefers inputs over OS_* variables, and DRS_ENDPOINT over the region template", () => {
        const outcome = check({ jobId: JOB, projectId: "a".repeat(32), region: "eu-nl" }, { ...env, DRS_ENDPOINT: "https://drs.example.test/" });
        assert.ok(outcome.ok);
        assert.equal(outcome.inputs.projectId, "a".repeat(32));
        assert.equal(outcome.inputs.region, "eu-nl");
        assert.equal(outcome.inputs.endpoint, "https://drs.example.test");
        const explicit = check({ jobId: JOB, endpoint: "https://x.test" }, { ...env, DRS_ENDPOINT: "https://y.test" });
        assert.ok(explicit.ok);
        assert.equal(explicit.inputs.endpoint, "https://x.test");
    });

    it("takes a job by name: exactly one of jobId and jobName from a program, both from state", () => {
        const byName = check({ jobName: "orders-dr" });
        assert.ok(byName.ok);
        assert.equal(byName.inputs.jobName, "orders-dr");
        assert.equal(byName.inputs.jobId, undefined);
        assert.match(failuresOf(check({ jobId: JOB, jobName: "orders-dr" })).jobName, /Set jobId or jobName, not both/);
        const stored = checkInputs(undefined, { jobId: JOB, jobName: "orders-dr" }, env, NOW, { stored: true });
        assert.ok(stored.ok);
        assert.deepEqual([stored.inputs.jobId, stored.inputs.jobName], [JOB, "orders-dr"]);
        assert.match(failuresOf(check({ jobName: "a,b" })).jobName, /has a comma/);
        assert.match(failuresOf(check({ jobName: " orders" })).jobName, /blanks/);
        assert.match(failuresOf(check({ jobName: 42 })).jobName, /must be a string/);
    });

    it("rejects a missing or malformed job id", () => {
        assert.match(failuresOf(check({})).jobId, /Set jobId .* or jobName/);
        assert.match(failuresOf(check({ jobId: "not-a-job" })).jobId, /not a DRS job id/);
        assert.match(failuresOf(check({ jobId: `${JOB}/../x` })).jobId, /not a DRS job id/);
    });

    it("rejects project ids that are not 32 hex chars, naming the source", () => {
        assert.match(failuresOf(check({ jobId: JOB, projectId: "../../admin" })).projectId, /32 hex characters \(from the projectId input\)/);
        assert.match(failuresOf(check({ jobId: JOB, projectId: `%2F${"a".repeat(29)}` })).projectId, /32 hex/);
        assert.match(failuresOf(check({ jobId: JOB }, { OS_PROJECT_ID: "xyz", OS_REGION_NAME: "eu-de" })).projectId, /from drs:projectId or OS_PROJECT_ID/);
        assert.match(failuresOf(check({ jobId: JOB }, { OS_REGION_NAME: "eu-de" })).projectId, /projectId is required: set the projectId input, the drs:projectId stack config or OS_PROJECT_ID/);
    });

    it("rejects bad regions and a missing endpoint", () => {
        assert.match(failuresOf(check({ jobId: JOB, region: "eu de" })).region, /not a region name/);
        assert.match(failuresOf(check({ jobId: JOB }, { OS_PROJECT_ID: PROJECT })).endpoint, /No DRS endpoint/);
    });

    it("accepts https endpoints and plain http only on loopback", () => {
        assert.equal(endpointProblem("https://drs.eu-de.otc.t-systems.com"), undefined);
        assert.equal(endpointProblem("http://127.0.0.1:8900"), undefined);
        assert.equal(endpointProblem("http://localhost:8900"), undefined);
        assert.match(endpointProblem("http://drs.example.com")!, /must use https/);
        assert.match(endpointProblem("https://user:pw@drs.example.com")!, /credentials/);
        assert.match(endpointProblem("https://drs.example.com/?a=b")!, /query/);
        assert.match(endpointProblem("drs.example.com")!, /not a URL/);
        assert.match(failuresOf(check({ jobId: JOB, endpoint: "ftp://x" })).endpoint, /endpoint "ftp:\/\/x" must use https/);
    });

    it("checks dbUseType", () => {
        assert.ok(check({ jobId: JOB, dbUseType: "cloudDataGuard" }).ok);
        assert.match(failuresOf(check({ jobId: JOB, dbUseType: "backup" })).dbUseType, /one of migration, sync, cloudDataGuard/);
    });

    it("parses start times as ms epoch or ISO and requires them in the future", () => {
        const inOneHour = NOW + 3600_000;
        const asMs = check({ jobId: JOB, startTime: inOneHour });
        assert.ok(asMs.ok);
        assert.equal(asMs.inputs.startTime, inOneHour);
        const asIso = check({ jobId: JOB, startTime: new Date(inOneHour).toISOString() });
        assert.ok(asIso.ok);
        assert.equal(asIso.inputs.startTime, inOneHour);
        assert.match(failuresOf(check({ jobId: JOB, startTime: NOW - 1 })).startTime, /in the past/);
        assert.match(failuresOf(check({ jobId: JOB, startTime: "tomorrow" })).startTime, /neither a ms epoch/);
        assert.match(failuresOf(check({ jobId: JOB, startTime: NOW + 90 * 86400_000 })).startTime, /30 days/);
    });

    it("accepts an unchanged start time that has passed (the job started long ago)", () => {
        const past = NOW - 86400_000;
        assert.ok(check({ jobId: JOB, startTime: new Date(past).toISOString() }, env, { jobId: JOB, startTime: past }).ok);
        assert.equal(check({ jobId: JOB, startTime: past - 1 }, env, { jobId: JOB, startTime: past }).ok, false);
    });

    it("rejects unknown, failure and empty target statuses", () => {
        assert.match(failuresOf(check({ jobId: JOB, targetStatuses: ["RUNNING"] })).targetStatuses, /RUNNING: allowed targets are/);
        assert.match(failuresOf(check({ jobId: JOB, targetStatuses: ["INCRE_TRANSFER_FAILED"] })).targetStatuses, /INCRE_TRANSFER_FAILED/);
        assert.match(failuresOf(check({ jobId: JOB, targetStatuses: [] })).targetStatuses, /non-empty/);
        const ok = check({ jobId: JOB, targetStatuses: ["FULL_TRANSFER_COMPLETE", "FULL_TRANSFER_COMPLETE"] });
        assert.ok(ok.ok);
        assert.deepEqual(ok.inputs.targetStatuses, ["FULL_TRANSFER_COMPLETE"]);
    });

    it("rejects non-positive, non-finite and huge intervals and timeouts", () => {
        for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 10_000]) {
            assert.match(failuresOf(check({ jobId: JOB, pollIntervalSeconds: bad })).pollIntervalSeconds, /pollIntervalSeconds must be/);
        }
        assert.match(failuresOf(check({ jobId: JOB, pollIntervalSeconds: 0.01 })).pollIntervalSeconds, /between 0.05 and 3600/);
        assert.ok(check({ jobId: JOB, pollIntervalSeconds: 0.05 }).ok);
        for (const bad of [0, -5, "60", 8 * 86400]) {
            assert.match(failuresOf(check({ jobId: JOB, timeoutSeconds: bad })).timeoutSeconds, /timeoutSeconds must be/);
        }
    });

    it("reports every failure at once", () => {
        const f = failuresOf(check({ jobId: "x", projectId: "y", pollIntervalSeconds: -1 }));
        assert.deepEqual(Object.keys(f).sort(), ["jobId", "pollIntervalSeconds", "projectId"]);
    });

    it("detects preview unknowns", () => {
        assert.equal(hasUnknowns({ jobId: UNKNOWN_VALUE }), true);
        assert.equal(hasUnknowns({ targetStatuses: [UNKNOWN_VALUE] }), true);
        assert.equal(hasUnknowns({ jobId: JOB }), false);
    });

    it("parses start times strictly", () => {
        assert.equal(parseStartTime("1608188903063"), 1608188903063);
        assert.equal(parseStartTime("2026-12-01T02:00:00Z"), Date.parse("2026-12-01T02:00:00Z"));
        assert.equal(parseStartTime("12/01/2026"), undefined);
        assert.equal(parseStartTime(1.5), undefined);
        assert.equal(parseStartTime(-3), undefined);
    });
});

describe("region endpoints", () => {
    const cases: [string, "otc" | "huaweicloud", string, string][] = [
        ["eu-de", "otc", "https://drs.eu-de.otc.t-systems.com", "https://iam.eu-de.otc.t-systems.com/v3"],
        ["eu-nl", "otc", "https://drs.eu-nl.otc.t-systems.com", "https://iam.eu-nl.otc.t-systems.com/v3"],
        ["eu-ch2", "otc", "https://drs.eu-ch2.sc.otc.t-systems.com", "https://iam-pub.eu-ch2.sc.otc.t-systems.com/v3"],
        ["ap-southeast-1", "huaweicloud", "https://drs.ap-southeast-1.myhuaweicloud.com", "https://iam.ap-southeast-1.myhuaweicloud.com/v3"],
    ];
    for (const [region, cloud, drs, iam] of cases) {
        it(`${cloud} ${region}: DRS at ${drs}, IAM at ${iam}`, () => {
            assert.equal(regionEndpoint(region, cloud), drs);
            assert.equal(regionAuthUrl(region, cloud), iam);
            const outcome = check({ jobId: JOB, region, cloud });
            assert.ok(outcome.ok);
            assert.equal(outcome.inputs.endpoint, drs);
        });
    }
});
