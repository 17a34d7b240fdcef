import { strict as assert } from "node:assert";
import type { PolicyResource, ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { allowedTargets, allowedTargetsViolations } from "../../../policy/policies/allowedTargets";
import { BOUNDED_WAIT_DEFAULTS, boundedWait, boundedWaitViolations, PROVIDER_DEFAULT_TIMEOUT_SECONDS } from "../../../policy/policies/boundedWait";
import { DEFAULT_TIMEOUT_SECONDS } from "../../../provider/inputs";
import { DRS_JOB_START_TYPE, matchesPattern, PLUGIN_JOB_START_TYPE, stackOfUrn } from "../../../policy/policies/drsResource";
import { fullSyncTargetViolations } from "../../../policy/policies/fullSyncTarget";
import { describeWindowIn, MAINTENANCE_WINDOW_DEFAULTS, type MaintenanceWindowConfig, maintenanceWindowPolicy, maintenanceWindowViolations, windowAtOrAfter } from "../../../policy/policies/maintenanceWindow";
import { maxParallelStarts, maxParallelStartsViolations, pendingStarts } from "../../../policy/policies/maxParallelStarts";
import { credentialPaths, noPlaintextCredentials } from "../../../policy/policies/noPlaintextCredentials";

const JOB = "140b5236-88ad-43c8-811c-1268453jb101";
const urn = (stack: string, type = DRS_JOB_START_TYPE, name = "orders") => `urn:pulumi:${stack}::rollout::${type}::${name}`;

/** Runs a resource policy the way @pulumi/policy does, collecting the violations it reports. */
function runResourcePolicy(policy: { validateResource?: unknown }, props: Record<string, unknown>, { stack = "dev", type = DRS_JOB_START_TYPE, config = {} }: { stack?: string; type?: string; config?: object } = {}): string[] {
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

    it("checks the plugin door's drs:index:JobStart like the dynamic DrsJobStart", () => {
        const slow = { jobId: JOB, pollIntervalSeconds: 0.05, timeoutSeconds: 60 };
        assert.deepEqual(runResourcePolicy(boundedWait, slow, { type: PLUGIN_JOB_START_TYPE }), runResourcePolicy(boundedWait, slow));
        assert.deepEqual(runResourcePolicy(boundedWait, slow, { type: "drs:index:Other" }), []);
        const both = [
            { type: DRS_JOB_START_TYPE, urn: urn("prod", DRS_JOB_START_TYPE, "a"), props: { jobId: JOB } },
            { type: PLUGIN_JOB_START_TYPE, urn: urn("prod", PLUGIN_JOB_START_TYPE, "b"), props: { jobId: JOB } },
        ] as unknown as PolicyResource[];
        assert.equal(pendingStarts(both).length, 2);
    });
});

describe("policy: bounded-wait", () => {
    it("accepts a bounded wait with a polite interval", () => {
        assert.deepEqual(boundedWaitViolations({ jobId: JOB, timeoutSeconds: 3600, pollIntervalSeconds: 10 }, BOUNDED_WAIT_DEFAULTS), []);
        assert.deepEqual(boundedWaitViolations({ timeoutSeconds: 7200, pollIntervalSeconds: 5 }, BOUNDED_WAIT_DEFAULTS), [], "limits are inclusive");
    });
    it("rejects a missing or too long timeout and a too fast poll, naming the job and the limit", () => {
        assert.deepEqual(boundedWaitViolations({ jobId: JOB }, BOUNDED_WAIT_DEFAULTS), [], "without timeoutSeconds the provider's default (3600) is within 7200");
        assert.match(boundedWaitViolations({ jobId: JOB }, { ...BOUNDED_WAIT_DEFAULTS, maxTimeoutSeconds: 1800 })[0], new RegExp(`DRS job ${JOB}: the default timeoutSeconds \\(3600\\) exceeds the maximum of 1800; set timeoutSeconds \\(at most 1800\\)`));
        assert.equal(PROVIDER_DEFAULT_TIMEOUT_SECONDS, DEFAULT_TIMEOUT_SECONDS, "the pack knows the provider's default");
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

describe("policy: maintenance-window in a time zone", () => {
    const thursdayNoon = Date.parse("2026-11-26T12:00:00Z");
    const berlin: MaintenanceWindowConfig = { ...MAINTENANCE_WINDOW_DEFAULTS, timeZone: "Europe/Berlin" };
    const utc = (iso: string) => Date.parse(`${iso}Z`);
    const window = (start: string, end: string) => ({ start: utc(start), end: utc(end) });
    const hours = (w: { start: number; end: number }) => (w.end - w.start) / 3600_000;

    it("reads days and hours on the zone's clocks, in winter (CET) and in summer (CEST)", () => {
        assert.deepEqual(windowAtOrAfter(thursdayNoon, berlin), window("2026-11-28T01:00", "2026-11-28T05:00"));
        assert.deepEqual(windowAtOrAfter(utc("2026-07-02T12:00"), berlin), window("2026-07-04T00:00", "2026-07-04T04:00"));
        assert.deepEqual(windowAtOrAfter(utc("2026-07-05T03:59"), berlin), window("2026-07-05T00:00", "2026-07-05T04:00"), "open until 06:00 CEST");
        assert.deepEqual(windowAtOrAfter(utc("2026-07-05T04:00"), berlin), window("2026-07-11T00:00", "2026-07-11T04:00"), "the end is exclusive");
    });
    it("spring forward (2026-03-29, 02:00 CET -> 03:00 CEST): 02:00-06:00 opens at 03:00 CEST = 01:00 UTC and lasts 3 hours", () => {
        const sunday = windowAtOrAfter(utc("2026-03-28T12:00"), berlin);
        assert.deepEqual(sunday, window("2026-03-29T01:00", "2026-03-29T04:00"));
        assert.equal(hours(sunday), 3);
        assert.equal(maintenanceWindowViolations({ startTime: "2026-03-29T00:59:00Z" }, "prod", berlin, thursdayNoon).length, 1, "01:59 CET is before the window");
        assert.deepEqual(maintenanceWindowViolations({ startTime: "2026-03-29T01:00:00Z" }, "prod", berlin, thursdayNoon), []);
        const skipped = { ...berlin, days: ["Sun"] as const, startHour: 2, endHour: 3 };
        assert.deepEqual(windowAtOrAfter(utc("2026-03-28T12:00"), skipped), window("2026-04-05T00:00", "2026-04-05T01:00"), "02:00-03:00 does not exist that day");
    });
    it("fall back (2026-10-25, 03:00 CEST -> 02:00 CET): 02:00-06:00 opens at the first 02:00 (00:00 UTC) and lasts 5 hours", () => {
        const sunday = windowAtOrAfter(utc("2026-10-24T12:00"), berlin);
        assert.deepEqual(sunday, window("2026-10-25T00:00", "2026-10-25T05:00"));
        assert.equal(hours(sunday), 5);
        assert.deepEqual(maintenanceWindowViolations({ startTime: "2026-10-25T04:59:00Z" }, "prod", berlin, thursdayNoon), [], "05:59 CET is inside");
        assert.equal(maintenanceWindowViolations({ startTime: "2026-10-25T05:00:00Z" }, "prod", berlin, thursdayNoon).length, 1, "06:00 CET is the end");
    });
    it("runs past midnight on the zone's clocks, also across a switch", () => {
        const night = { ...berlin, days: ["Fri"] as const, startHour: 22, endHour: 3 };
        assert.deepEqual(windowAtOrAfter(utc("2026-11-28T01:00"), night), window("2026-11-27T21:00", "2026-11-28T02:00"));
        const saturdayNight = { ...night, days: ["Sat"] as const };
        assert.deepEqual(windowAtOrAfter(utc("2026-10-25T01:30"), saturdayNight), window("2026-10-24T20:00", "2026-10-25T02:00"), "22:00 CEST to 03:00 CET: 6 hours");
    });
    it("handles a half-hour offset (Asia/Kolkata): the local Saturday starts on Friday in UTC", () => {
        const kolkata = { ...MAINTENANCE_WINDOW_DEFAULTS, days: ["Sat"] as const, timeZone: "Asia/Kolkata" };
        assert.deepEqual(windowAtOrAfter(thursdayNoon, kolkata), window("2026-11-27T20:30", "2026-11-28T00:30"));
    });
    it("handles the southern hemisphere (Australia/Sydney): summer time from October to April", () => {
        const sydney = { ...MAINTENANCE_WINDOW_DEFAULTS, days: ["Sun"] as const, timeZone: "Australia/Sydney" };
        assert.deepEqual(windowAtOrAfter(thursdayNoon, sydney), window("2026-11-28T15:00", "2026-11-28T19:00"), "AEDT, +11");
        assert.deepEqual(windowAtOrAfter(utc("2026-07-01T00:00"), sydney), window("2026-07-04T16:00", "2026-07-04T20:00"), "AEST, +10");
        assert.deepEqual(windowAtOrAfter(utc("2026-04-01T00:00"), sydney), window("2026-04-04T15:00", "2026-04-04T20:00"), "fall back on 2026-04-05: 5 hours");
        assert.deepEqual(windowAtOrAfter(utc("2026-10-01T00:00"), sydney), window("2026-10-03T16:00", "2026-10-03T19:00"), "spring forward on 2026-10-04: 3 hours");
    });
    it("names the zone and shows the next window on its clocks and in UTC", () => {
        assert.equal(describeWindowIn(window("2026-11-28T01:00", "2026-11-28T05:00"), "Europe/Berlin"), "Sat 2026-11-28 02:00-06:00 Europe/Berlin = 01:00-05:00 UTC");
        assert.equal(describeWindowIn(window("2026-11-27T20:30", "2026-11-28T00:30"), "Asia/Kolkata"), "Sat 2026-11-28 02:00-06:00 Asia/Kolkata = 20:30-00:30 UTC");
        assert.equal(describeWindowIn(window("2026-03-29T01:00", "2026-03-29T04:00"), "Europe/Berlin"), "Sun 2026-03-29 03:00-06:00 Europe/Berlin = 01:00-04:00 UTC", "the clocks' real opening");
        assert.equal(describeWindowIn(window("2026-11-28T02:00", "2026-11-28T06:00"), "UTC"), "Sat 2026-11-28 02:00-06:00 UTC");
        const [missing] = maintenanceWindowViolations({ jobId: JOB }, "prod-eu", berlin, thursdayNoon);
        assert.match(missing, /only starts DRS jobs inside the maintenance window \(Sat, Sun 02:00-06:00 Europe\/Berlin\)/);
        assert.ok(missing.endsWith("next allowed window: 2026-11-28T01:00:00.000Z to 2026-11-28T05:00:00.000Z (Sat 2026-11-28 02:00-06:00 Europe/Berlin = 01:00-05:00 UTC)."), missing);
        const [outside] = maintenanceWindowViolations({ startTime: "2026-11-28T05:30:00Z" }, "prod-eu", berlin, thursdayNoon);
        assert.match(outside, /Next allowed window: 2026-11-29T01:00:00.000Z to 2026-11-29T05:00:00.000Z \(Sun 2026-11-29 02:00-06:00 Europe\/Berlin = 01:00-05:00 UTC\)\.$/);
    });
    it("takes timeZone from the pack config; an unknown zone is a config error naming it, on every stack", () => {
        const policy = maintenanceWindowPolicy(() => thursdayNoon);
        const [message] = runResourcePolicy(policy, {}, { stack: "prod", config: { timeZone: "Asia/Kolkata" } });
        assert.match(message, /\(Sat, Sun 02:00-06:00 Asia\/Kolkata\).*2026-11-27T20:30:00.000Z/);
        const typo = /maintenance-window: timeZone "Europe\/Berln" is not a known IANA time zone/;
        assert.throws(() => runResourcePolicy(policy, {}, { stack: "prod", config: { timeZone: "Europe/Berln" } }), typo);
        assert.throws(() => runResourcePolicy(policy, {}, { stack: "dev", config: { timeZone: "Europe/Berln" } }), typo);
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
        assert.deepEqual(credentialPaths({ password: "x", auth: { accessKey: "AK", secretKey: "SK", securityToken: "t" }, list: [{ apiToken: "y" }] }), ["password", "auth.accessKey", "auth.secretKey", "auth.securityToken", "list[0].apiToken"]);
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
        assert.deepEqual(fullSyncTargetViolations({ dbUseType: "cloudDataGuard", waitFor: "scheduled", targetStatuses: ["WAITING_FOR_START"] }), [], "a scheduled start returns before the start, it does not stop at a full copy");
        assert.equal(fullSyncTargetViolations({ dbUseType: "cloudDataGuard", targetStatuses: ["WAITING_FOR_START"] }).length, 1, "only through waitFor");
    });
});
