import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { DRS_JOB_START_TYPE, PLUGIN_JOB_START_TYPE } from "../../../policy/policies/drsResource";
import { MAINTENANCE_WINDOW_DEFAULTS, MAINTENANCE_WINDOW_SCHEMA, maintenanceWindowPolicy } from "../../../policy/policies/maintenanceWindow";
import { PROTECTED_JOBS_DEFAULTS, protectedJobs, protectedJobsViolations } from "../../../policy/policies/protectedJobs";
import { runStateChange, runStateWindowPolicy, runStateWindowViolations } from "../../../policy/policies/runStateWindow";
import { REPO_ROOT } from "../../../scripts/engine";

const JOB = "140b5236-88ad-43c8-811c-1268453jb101";
const urn = (stack: string, type = DRS_JOB_START_TYPE, name = "orders") => `urn:pulumi:${stack}::rollout::${type}::${name}`;
// 2026-11-26 is a Thursday; the default window is Sat and Sun 02:00-06:00 UTC.
const THURSDAY_NOON = Date.parse("2026-11-26T12:00:00Z");
const SATURDAY_3AM = Date.parse("2026-11-28T03:00:00Z");

describe("policy: protected-jobs", () => {
    it("refuses deletePolicy stop or delete on a protected stack, naming the job, the stack and what to do", () => {
        const [stop] = protectedJobsViolations({ jobId: JOB, deletePolicy: "stop" }, "prod-eu", PROTECTED_JOBS_DEFAULTS);
        assert.match(stop, new RegExp(`DRS job ${JOB} has deletePolicy "stop": stack "prod-eu" is protected \\(protected-jobs, stackPattern "prod\\*"\\)`));
        assert.match(stop, /would stop the job \(a stopped DRS job can never be resumed\)\. Set deletePolicy to "leave"/);
        const [del] = protectedJobsViolations({ jobId: JOB, deletePolicy: "delete" }, "prod", PROTECTED_JOBS_DEFAULTS);
        assert.match(del, /deletePolicy "delete".*stop the job and delete it from DRS/);
    });

    it("allows leave, no deletePolicy, and any policy on an unprotected stack", () => {
        assert.deepEqual(protectedJobsViolations({ deletePolicy: "leave" }, "prod", PROTECTED_JOBS_DEFAULTS), []);
        assert.deepEqual(protectedJobsViolations({}, "prod", PROTECTED_JOBS_DEFAULTS), []);
        assert.deepEqual(protectedJobsViolations({ deletePolicy: "delete" }, "dev", PROTECTED_JOBS_DEFAULTS), []);
        assert.deepEqual(protectedJobsViolations({ deletePolicy: "delete" }, "preprod", PROTECTED_JOBS_DEFAULTS), [], "a glob, anchored");
    });

    it("takes the protected stacks from the pack config and checks both doors, nothing else", () => {
        const run = (props: object, stack: string, type = DRS_JOB_START_TYPE, config: object = {}) => {
            const messages: string[] = [];
            const args = { type, props, urn: urn(stack, type), name: "orders", getConfig: () => config } as unknown as ResourceValidationArgs;
            (protectedJobs.validateResource as (a: ResourceValidationArgs, r: ReportViolation) => void)(args, (m) => messages.push(m));
            return messages;
        };
        assert.equal(run({ deletePolicy: "stop" }, "prod").length, 1);
        assert.equal(run({ deletePolicy: "stop" }, "prod", PLUGIN_JOB_START_TYPE).length, 1);
        assert.deepEqual(run({ deletePolicy: "stop" }, "prod", "pulumi-nodejs:dynamic:Resource"), []);
        assert.deepEqual(run({ deletePolicy: "stop" }, "prod", DRS_JOB_START_TYPE, { stackPattern: "live-*" }), []);
        assert.equal(run({ deletePolicy: "stop" }, "live-eu", DRS_JOB_START_TYPE, { stackPattern: "live-*" }).length, 1);
    });
});

describe("policy: run-state-window", () => {
    it("reads a pause or a resume from what a stack policy sees", () => {
        assert.equal(runStateChange({ runState: "paused" }), "pause", "a changed resource (new inputs, no status) declared paused");
        assert.equal(runStateChange({ runState: "running" }), undefined, "a changed resource declared running: not told from other updates");
        assert.equal(runStateChange({}), undefined);
        assert.equal(runStateChange({ runState: "paused", status: "INCRE_TRANSFER_STARTED" }), "pause", "unchanged, declared paused, replicating: up pauses it");
        assert.equal(runStateChange({ runState: "paused", status: "PAUSING" }), undefined, "steady: paused as declared");
        assert.equal(runStateChange({ runState: "paused", status: "PAUSEING" }), undefined, "the OTC spelling");
        assert.equal(runStateChange({ runState: "running", status: "PAUSING" }), "resume", "declared running, paused (elsewhere): up resumes it");
        assert.equal(runStateChange({ status: "PAUSEING" }), "resume", "runState unset means running");
        assert.equal(runStateChange({ runState: "running", status: "INCRE_TRANSFER_STARTED" }), undefined);
    });

    it("outside the window refuses a pause or a resume on a matching stack, naming the job, the window and the next one", () => {
        const [pause] = runStateWindowViolations({ jobId: JOB, runState: "paused" }, "prod", MAINTENANCE_WINDOW_DEFAULTS, THURSDAY_NOON);
        assert.match(pause, new RegExp(`DRS job ${JOB} would be paused \\(runState "paused"\\): stack "prod" changes the run state of DRS jobs only inside the maintenance window \\(Sat, Sun 02:00-06:00 UTC\\)`));
        assert.match(pause, /next window: 2026-11-28T02:00:00.000Z to 2026-11-28T06:00:00.000Z/);
        const [resume] = runStateWindowViolations({ jobId: JOB, status: "PAUSING" }, "prod-eu", MAINTENANCE_WINDOW_DEFAULTS, THURSDAY_NOON);
        assert.match(resume, /would be resumed \(runState "running", DRS shows PAUSING\)/);
    });

    it("allows changes inside the window, steady jobs at any time, and any stack the window does not cover", () => {
        assert.deepEqual(runStateWindowViolations({ runState: "paused" }, "prod", MAINTENANCE_WINDOW_DEFAULTS, SATURDAY_3AM), []);
        assert.deepEqual(runStateWindowViolations({ status: "PAUSING" }, "prod", MAINTENANCE_WINDOW_DEFAULTS, SATURDAY_3AM), []);
        assert.deepEqual(runStateWindowViolations({ runState: "paused", status: "PAUSING" }, "prod", MAINTENANCE_WINDOW_DEFAULTS, THURSDAY_NOON), []);
        assert.deepEqual(runStateWindowViolations({ runState: "paused" }, "dev", MAINTENANCE_WINDOW_DEFAULTS, THURSDAY_NOON), []);
        assert.deepEqual(runStateWindowViolations({ runState: "paused" }, "prod", { ...MAINTENANCE_WINDOW_DEFAULTS, days: [] }, THURSDAY_NOON), [], "no window configured: no rule");
    });

    it("shares maintenance-window's config schema and reads the window in its time zone", () => {
        const policy = runStateWindowPolicy(() => THURSDAY_NOON);
        assert.equal(policy.configSchema, MAINTENANCE_WINDOW_SCHEMA);
        assert.equal(maintenanceWindowPolicy().configSchema, MAINTENANCE_WINDOW_SCHEMA);
        // Thursday 13:00 Berlin (12:00 UTC) is inside a Thu 12:00-14:00 Berlin window, outside the same hours in UTC.
        const props = { runState: "paused" };
        assert.deepEqual(runStateWindowViolations(props, "prod", { ...MAINTENANCE_WINDOW_DEFAULTS, days: ["Thu"], startHour: 12, endHour: 14, timeZone: "Europe/Berlin" }, THURSDAY_NOON), []);
        assert.equal(runStateWindowViolations(props, "prod", { ...MAINTENANCE_WINDOW_DEFAULTS, days: ["Thu"], startHour: 13, endHour: 14, timeZone: "UTC" }, THURSDAY_NOON).length, 1);
        assert.throws(() => runStateWindowViolations(props, "prod", { ...MAINTENANCE_WINDOW_DEFAULTS, timeZone: "Europe/Berln" }, THURSDAY_NOON), /timeZone "Europe\/Berln" is not a known IANA time zone/);
    });

    it("the example pack config gives run-state-window the same window as maintenance-window", () => {
        const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "examples", "policy-checked-rollout", "policy-config.json"), "utf8")) as Record<string, object>;
        assert.deepEqual(config["run-state-window"], config["maintenance-window"]);
    });

    it("as a stack policy: judges every DrsJobStart of either door, reports each on its own URN, ignores other resources", () => {
        const policy = runStateWindowPolicy(() => THURSDAY_NOON);
        const reported: [string, string | undefined][] = [];
        const resource = (name: string, type: string, props: object) => ({ type, urn: urn("prod", type, name), name, props });
        const args = {
            resources: [
                resource("a", DRS_JOB_START_TYPE, { jobId: "a", runState: "paused" }),
                resource("b", PLUGIN_JOB_START_TYPE, { jobId: "b", runState: "running", status: "PAUSING" }),
                resource("c", DRS_JOB_START_TYPE, { jobId: "c", runState: "paused", status: "PAUSING" }),
                resource("d", "pulumi-nodejs:dynamic:Resource", { runState: "paused" }),
            ],
            getConfig: () => ({ stackPattern: "prod" }),
        } as unknown as StackValidationArgs;
        (policy.validateStack as (a: StackValidationArgs, r: ReportViolation) => void)(args, (message, at) => reported.push([message, at]));
        assert.deepEqual(
            reported.map(([, at]) => at),
            [urn("prod", DRS_JOB_START_TYPE, "a"), urn("prod", PLUGIN_JOB_START_TYPE, "b")],
        );
        assert.match(reported[0][0], /DRS job a would be paused/);
        assert.match(reported[1][0], /DRS job b would be resumed/);
    });
});
