import { strict as assert } from "node:assert";
import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { DRS_JOB_START_TYPE } from "../../../policy/policies/drsResource";
import { EXPLICIT_COMPARE_CHOICE_DEFAULTS, explicitCompareChoice, explicitCompareChoiceViolations } from "../../../policy/policies/explicitCompareChoice";

const JOB = "140b5236-88ad-43c8-811c-1268453jb101";

describe("policy: explicit-compare-choice", () => {
    it("asks production stacks to choose, naming the job and DRS's default", () => {
        const [message] = explicitCompareChoiceViolations({ jobId: JOB }, "prod-eu", EXPLICIT_COMPARE_CHOICE_DEFAULTS);
        assert.match(message, new RegExp(`DRS job ${JOB} leaves isAutoCreateCompare to DRS's default \\(true`));
        assert.match(message, /Stack "prod-eu" must choose: set isAutoCreateCompare to true or false/);
        const [byName] = explicitCompareChoiceViolations({ jobName: "orders-dr" }, "prod-eu", EXPLICIT_COMPARE_CHOICE_DEFAULTS);
        assert.match(byName, /^DRS job named "orders-dr" leaves isAutoCreateCompare/);
    });

    it("accepts either explicit choice, and leaves other stacks alone", () => {
        assert.deepEqual(explicitCompareChoiceViolations({ jobId: JOB, isAutoCreateCompare: false }, "prod", EXPLICIT_COMPARE_CHOICE_DEFAULTS), []);
        assert.deepEqual(explicitCompareChoiceViolations({ jobId: JOB, isAutoCreateCompare: true }, "prod", EXPLICIT_COMPARE_CHOICE_DEFAULTS), []);
        assert.deepEqual(explicitCompareChoiceViolations({ jobId: JOB }, "dev", EXPLICIT_COMPARE_CHOICE_DEFAULTS), []);
    });

    it("takes its stack pattern from the pack config", () => {
        const messages: string[] = [];
        const report: ReportViolation = (m) => messages.push(m);
        const args = { type: DRS_JOB_START_TYPE, props: { jobId: JOB }, urn: `urn:pulumi:staging::rollout::${DRS_JOB_START_TYPE}::orders`, name: "orders", getConfig: () => ({ stackPattern: "stag*" }) };
        (explicitCompareChoice.validateResource as (a: ResourceValidationArgs, r: ReportViolation) => void)(args as unknown as ResourceValidationArgs, report);
        assert.equal(messages.length, 1);
    });
});
