import { strict as assert } from "node:assert";
import { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { allowedTargets, allowedTargetsViolations } from "../../../policy/policies/allowedTargets";
import { BOUNDED_WAIT_DEFAULTS, boundedWait, boundedWaitViolations } from "../../../policy/policies/boundedWait";
import { DRS_JOB_START_TYPE, matchesPattern, stackOfUrn } from "../../../policy/policies/drsResource";
import { fullSyncTargetViolations } from "../../../policy/policies/fullSyncTarget";
import { MAINTENANCE_WINDOW_DEFAULTS, maintenanceWindowPolicy, maintenanceWindowViolations, windowAtOrAfter } from "../../../policy/policies/maintenanceWindow";
import { maxParallelStarts, maxParallelStartsViolations, pendingStarts } from "../../../policy/policies/maxParallelStarts";
import { credentialPaths, noPlaintextCredentials } from "../../../policy/policies/noPlaintextCredentials";

const JOB = "140b5236-88ad-43c8-811c-1268453jb101";
const urn = (stack: string, type = DRS_JOB_START_TYPE, name = "orders") => `urn:pulumi:${stack}::rollout::${type}::${name}`;

/** Runs a resource policy the way @pulumi/policy does, collecting the violations it reports. */
function runResourcePolicy(
    policy: { validateResource?: unknown },
    props: Record<string, unknown>,
    { stack = "dev", type = DRS_JOB_START_TYPE, config = {} }: { stack?: string; type?: string; config?: object } = {},
): string[] {
    const messages: string[] = [];
    const report: ReportViolation = (message) => messages.push(message);
    const args = { type, props, urn: urn(stack, type), name: "orders", getConfig: () => config } as unknown as ResourceValidationArgs;
    (policy.validateResource as (a: ResourceValidationArgs, r: ReportViolation) => void)(args, report);
    return messages;
}

describe("policy pack: resource identification", () => {
    it("reads the stack from a URN and matches glob patterns", () => {
        assert.equal(stackOfUrn(urn("prod-eu")), "prod-eu");
        assert.equal(stackOfUrn("not-a-urn"), "");
        assert.ok(matchesPattern("prod-eu", "prod*"));
        assert.ok(matchesPattern("prod", "prod*"));
        assert.ok(!matchesPattern("preprod", "prod*"));
        assert.ok(matchesPattern("dev1", "dev?"));
        assert.ok(!matchesPattern("devax", "dev.x"), "a dot in a pattern is literal");
    });

    it("ignores other dynamic resources and other types", () => {
        const slow = { jobId: JOB, pollIntervalSeconds: 0.05, timeoutSeconds: 60 };
        assert.deepEqual(runResourcePolicy(boundedWait, slow, { type: "pulumi-nodejs:dynamic:Resource" }), []);
        assert.deepEqual(runResourcePolicy(boundedWait, slow, { type: "pulumi-nodejs:dynamic/other:Thing" }), []);
        assert.equal(runResourcePolicy(boundedWait, slow).length, 1);
    });
});

describe("policy: bounded-wait", () => {
    it("accepts a bounded wait with a polite interval", () => {
        assert.deepEqual(boundedWaitViolations({ jobId: JOB, timeoutSeconds: 3600, pollIntervalSeconds: 10 }, BOUNDED_WAIT_DEFAULTS), []);
        assert.deepEqual(boundedWaitViolations({ timeoutSeconds: 7200, pollIntervalSeconds: 5 }, BOUNDED_WAIT_DEFAULTS), [], "limits are inclusive");
    });
    it("rejects a missing or too long timeout and a too fast poll, naming the job and the limit", () => {
        assert.match(boundedWaitViolations({ jobId: JOB }, BOUNDED_WAIT_DEFAULTS)[0], new RegExp(`DRS job ${JOB}: set timeoutSeconds \\(at most 7200\\)`));
        assert.match(boundedWaitViolations({ timeoutSeconds: 86400 }, BOUNDED_WAIT_DEFAULTS)[0], /timeoutSeconds 86400 exceeds the maximum of 7200/);
        assert.match(boundedWaitViolations({ timeoutSeconds: 60, pollIntervalSeconds: 1 }, BOUNDED_WAIT_DEFAULTS)[0], /pollIntervalSeconds 1 is below the minimum of 5/);
    });
    it("takes its limits from the pack config", () => {
        assert.deepEqual(runResourcePolicy(boundedWait, { timeoutSeconds: 86400, pollIntervalSeconds: 1 }, { config: { maxTimeoutSeconds: 90000, minPollIntervalSeconds: 1 } }), []);
        assert.equal(runResourcePolicy(boundedWait, { timeoutSeconds: 86400 }, { config: { minPollIntervalSeconds: 1 } }).length, 1, "unset keys keep their defaults");
    });
});

describe("policy: maintenance-window", () => {
    // 2026-11-26 is a Thursday.
    const thursdayNoon = Date.parse("2026-11-26T12:00:00Z");
    const config = MAINTENANCE_WINDOW_DEFAULTS;

    it("finds the window containing a time, or the next one", () => {
        assert.deepEqual(windowAtOrAfter(thursdayNoon, config), { start: Date.parse("2026-11-28T02:00:00Z"), end: Date.parse("2026-11-28T06:00:00Z") });
        assert.deepEqual(windowAtOrAfter(Date.parse("2026-11-29T05:59:00Z"), config).start, Date.parse("2026-11-29T02:00:00Z"));
        assert.deepEqual(windowAtOrAfter(Date.parse("2026-11-29T06:00:00Z"), config).start, Date.parse("2026-12-05T02:00:00Z"), "the end is exclusive");
    });
    it("handles a window that runs past midnight", () => {
        const night = { stackPattern: "prod*", days: ["Fri"] as const, startHour: 22, endHour: 3 };
        assert.deepEqual(windowAtOrAfter(Date.parse("2026-11-28T01:00:00Z"), night), { start: Date.parse("2026-11-27T22:00:00Z"), end: Date.parse("2026-11-28T03:00:00Z") });
    });
    it("accepts a start inside the window on a production stack, anything on others", () => {
        assert.deepEqual(maintenanceWindowViolations({ startTime: "2026-11-28T03:00:00Z" }, "prod-eu", config, thursdayNoon), []);
        assert.deepEqual(maintenanceWindowViolations({ startTime: Date.parse("2026-11-29T02:00:00Z") }, "prod", config, thursdayNoon), []);
        assert.deepEqual(maintenanceWindowViolations({}, "dev", config, thursdayNoon), []);
    });
    it("rejects a missing or out-of-window start with the next allowed window", () => {
        const [missing] = maintenanceWindowViolations({ jobId: JOB }, "prod-eu", config, thursdayNoon);
        assert.match(missing, /has no startTime: stack "prod-eu" only starts DRS jobs inside the maintenance window \(Sat, Sun 02:00-06:00 UTC\)/);
        assert.match(missing, /next allowed window: 2026-11-28T02:00:00.000Z to 2026-11-28T06:00:00.000Z/);
        const [outside] = maintenanceWindowViolations({ startTime: "2026-11-30T09:00:00Z" }, "prod-eu", config, thursdayNoon);
        assert.match(outside, /startTime 2026-11-30T09:00:00.000Z is outside the window.*Next allowed window: 2026-12-05T02:00:00.000Z/);
    });
    it("is configurable (pattern, days, hours) and uses the injected clock", () => {
        const policy = maintenanceWindowPolicy(() => thursdayNoon);
        assert.deepEqual(runResourcePolicy(policy, {}, { stack: "live", config: { stackPattern: "staging*" } }), []);
        const [message] = runResourcePolicy(policy, {}, { stack: "live", config: { stackPattern: "live", days: ["Thu"], startHour: 20, endHour: 22 } });
        assert.match(message, /\(Thu 20:00-22:00 UTC\).*2026-11-26T20:00:00.000Z/);
    });
});

describe("policy: allowed-targets", () => {
    const rules = [{ stackPattern: "prod*", projectIds: ["054ba152d480d55b2f5dc0069e7ddef0"], regions: ["eu-de"] }];
    it("accepts allow-listed targets and stacks no rule matches", () => {
        assert.deepEqual(allowedTargetsViolations({ projectId: "054ba152d480d55b2f5dc0069e7ddef0", region: "eu-de", endpoint: "https://x" }, "prod", { rules }), []);
        assert.deepEqual(allowedTargetsViolations({ projectId: "ffffffffffffffffffffffffffffffff" }, "dev", { rules }), []);
        assert.deepEqual(runResourcePolicy(allowedTargets, { projectId: "x" }, { stack: "prod" }), [], "no rules configured: nothing to enforce");
    });
    it("rejects a project or region off the list, and an unset constrained input", () => {
        const problems = allowedTargetsViolations({ jobId: JOB, projectId: "ffffffffffffffffffffffffffffffff" }, "prod-eu", { rules });
        assert.equal(problems.length, 2);
        assert.match(problems[0], /projectId "ffffffffffffffffffffffffffffffff" is not allowed for stack "prod-eu" \(rule "prod\*" allows \[054ba152d480d55b2f5dc0069e7ddef0\]\)/);
        assert.match(problems[1], /only allows region in \[eu-de\], and region is not set/);
    });
});

describe("policy: no-plaintext-credentials", () => {
    it("finds credential-looking keys at any depth and ignores the rest", () => {
        assert.deepEqual(credentialPaths({ jobId: JOB, targetStatuses: ["INCRE_TRANSFER_STARTED"], timeoutSeconds: 1 }), []);
        assert.deepEqual(credentialPaths({ password: "x", auth: { accessKey: "AK", secretKey: "SK", securityToken: "t" }, list: [{ apiToken: "y" }] }), [
            "password",
            "auth.accessKey",
            "auth.secretKey",
            "auth.securityToken",
            "list[0].apiToken",
        ]);
        assert.deepEqual(credentialPaths({ password: "" }), [], "an empty value holds nothing");
    });
    it("reports each credential input of a DrsJobStart with where credentials belong", () => {
        const [message] = runResourcePolicy(noPlaintextCredentials, { jobId: JOB, token: "abc" });
        assert.match(message, /Input "token" looks like a credential.*pulumi config set --secret drs:password/);
        assert.deepEqual(runResourcePolicy(noPlaintextCredentials, { token: "abc" }, { type: "aws:s3/bucket:Bucket" }), []);
    });
});

describe("policy: max-parallel-starts", () => {
    const resource = (name: string, props: Record<string, unknown>, type = DRS_JOB_START_TYPE) => ({ type, urn: urn("prod", type, name), props }) as PolicyResource;
    it("counts DrsJobStarts without a recorded status as starts of this update", () => {
        const resources = [resource("a", { jobId: JOB }), resource("b", { jobId: JOB, status: "INCRE_TRANSFER_STARTED" }), resource("c", {}, "pulumi-nodejs:dynamic:Resource")];
        assert.deepEqual(pendingStarts(resources), [urn("prod", DRS_JOB_START_TYPE, "a")]);
    });
    it("rejects more starts than allowed, with the numbers", () => {
        assert.deepEqual(maxParallelStartsViolations(["a", "b"], { maxStarts: 2 }), []);
        assert.match(maxParallelStartsViolations(["a", "b", "c"], { maxStarts: 2 })[0], /would start 3 DRS jobs; at most 2 may start in one update/);
    });
    it("runs as a stack policy with its configured limit", () => {
        const messages: string[] = [];
        const args = { resources: [resource("a", {}), resource("b", {})], getConfig: () => ({ maxStarts: 1 }) } as unknown as StackValidationArgs;
        void maxParallelStarts.validateStack(args, (m) => messages.push(m));
        assert.equal(messages.length, 1);
    });
});

describe("policy: full-sync-target", () => {
    it("requires INCRE_TRANSFER_STARTED among a cloudDataGuard job's targets", () => {
        assert.deepEqual(fullSyncTargetViolations({ dbUseType: "cloudDataGuard" }), [], "the default target is incremental");
        assert.deepEqual(fullSyncTargetViolations({ dbUseType: "cloudDataGuard", targetStatuses: ["FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED"] }), []);
        assert.deepEqual(fullSyncTargetViolations({ dbUseType: "migration", targetStatuses: ["FULL_TRANSFER_COMPLETE"] }), []);
        assert.match(fullSyncTargetViolations({ jobId: JOB, dbUseType: "cloudDataGuard", targetStatuses: ["FULL_TRANSFER_COMPLETE"] })[0], /cloudDataGuard .* add INCRE_TRANSFER_STARTED/);
    });
});
