import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { DrsJobStartArgs } from "../../sdk/drsJobStart";
import type { DrsJobStart } from "../../sdk/drsJobStart";
import type { CheckedInputs, DrsJobStartInputs, DrsJobStartOutputs } from "../../provider/inputs";
import { INPUT_NAMES, IN_PLACE_KEYS, JOB_START_PROPERTIES, type JobStartInputName, type JobStartProperty, type PropertyDeclaration, REPLACE_KEYS } from "../../provider/jobStartProperties";
import { checkInputs } from "../../provider/validate";
import { JOB_START_TOKEN } from "../../plugin/schema";
import { readSchemaDocs } from "../../scripts/writeSchema";
import { REPO_ROOT } from "../../scripts/engine";

/** `true` only when A and B are the same set of names: a compile error otherwise. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

// The TypeScript door's types and the declaration name the same properties (tsc fails otherwise).
const argsAgree: Same<keyof DrsJobStartArgs, JobStartInputName> = true;
const checkedAgree: Same<keyof CheckedInputs, JobStartInputName> = true;
const inputsAgree: Same<Exclude<keyof DrsJobStartInputs, "jobStatus">, JobStartInputName> = true;
const outputsAgree: Same<keyof DrsJobStartOutputs, JobStartProperty> = true;
type DeclaredOutputs = { [K in keyof DrsJobStart]: DrsJobStart[K] extends import("@pulumi/pulumi").Output<unknown> ? K : never }[keyof DrsJobStart];
const resourceAgrees: Same<Exclude<DeclaredOutputs, "urn" | "id">, JobStartProperty> = true;

const NOW = Date.parse("2026-11-24T12:00:00Z");
const JOB = "140b5236-88ad-43c8-811c-1268453jb101";
const env = { OS_PROJECT_ID: "054ba152d480d55b2f5dc0069e7ddef0", OS_REGION_NAME: "eu-de" };

/** A value of the wrong type for a declared input type. */
function wrongValue(p: PropertyDeclaration): unknown {
    switch (p.type.kind) {
        case "string":
        case "numberOrString":
        case "stringList":
            return { not: "this" };
        default:
            return "not-a-number-or-boolean";
    }
}

describe("one declaration of DrsJobStart's properties (provider/jobStartProperties.ts)", () => {
    it("agrees with the TypeScript door's types (checked when tsc compiles this file)", () => {
        assert.deepEqual([argsAgree, checkedAgree, inputsAgree, outputsAgree, resourceAgrees], [true, true, true, true, true]);
    });

    it("splits the inputs into replace and in-place keys, as diff uses them", () => {
        assert.deepEqual([...REPLACE_KEYS].sort(), ["cloud", "endpoint", "jobId", "jobName", "projectId", "region"]);
        assert.deepEqual([...REPLACE_KEYS, ...IN_PLACE_KEYS].sort(), [...INPUT_NAMES].sort());
    });

    it("checkInputs refuses a value of the wrong type for every declared input, naming it", () => {
        for (const name of INPUT_NAMES) {
            const p: PropertyDeclaration = JOB_START_PROPERTIES[name];
            const outcome = checkInputs(undefined, { jobId: JOB, [name]: wrongValue(p) }, env, NOW);
            assert.equal(outcome.ok, false, name);
            assert.ok(!outcome.ok && outcome.failures.some((f) => f.property === name), `${name}: ${JSON.stringify(outcome)}`);
        }
    });

    it("checkInputs accepts every enumerated value the declaration lists, and nothing else", () => {
        for (const name of INPUT_NAMES) {
            const p: PropertyDeclaration = JOB_START_PROPERTIES[name];
            if (p.type.kind !== "string" || !p.type.enum) continue;
            // waitFor "scheduled" is the one value with a companion input: the start time it returns before.
            const companion = (value: string) => (name === "waitFor" && value === "scheduled" ? { startTime: NOW + 3_600_000 } : {});
            for (const value of p.type.enum) assert.ok(checkInputs(undefined, { jobId: JOB, [name]: value, ...companion(value) }, env, NOW).ok, `${name}=${value}`);
            assert.equal(checkInputs(undefined, { jobId: JOB, [name]: "bogus" }, env, NOW).ok, false, `${name}=bogus`);
        }
    });

    it("declares no input required: check asks for exactly one of jobId and jobName", () => {
        const required = INPUT_NAMES.filter((name) => (JOB_START_PROPERTIES[name] as PropertyDeclaration).requiredInput);
        assert.deepEqual(required, []);
        const neither = checkInputs(undefined, {}, env, NOW);
        assert.ok(!neither.ok && neither.failures.map((f) => f.property).includes("jobId"));
        const both = checkInputs(undefined, { jobId: JOB, jobName: "orders" }, env, NOW);
        assert.ok(!both.ok && both.failures.map((f) => f.property).includes("jobName"));
    });

    it("the plugin schema carries every property with the TypeScript doc comment as its description", () => {
        const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "dist", "plugin", "schema.json"), "utf8")) as {
            version: string;
            resources: Record<string, { properties: Record<string, { description: string }>; inputProperties: Record<string, { description: string; replaceOnChanges?: boolean }>; requiredInputs: string[] }>;
        };
        const resource = schema.resources[JOB_START_TOKEN];
        const docs = readSchemaDocs();
        assert.equal(schema.version, (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version);
        assert.deepEqual(Object.keys(resource.properties), Object.keys(JOB_START_PROPERTIES));
        assert.deepEqual(Object.keys(resource.inputProperties), INPUT_NAMES);
        for (const name of INPUT_NAMES) {
            assert.equal(resource.inputProperties[name].description, docs.inputs[name], name);
            assert.equal(resource.inputProperties[name].replaceOnChanges === true, REPLACE_KEYS.includes(name), name);
        }
        for (const name of Object.keys(JOB_START_PROPERTIES)) assert.equal(resource.properties[name].description, docs.outputs[name], name);
        assert.match(resource.inputProperties.jobId.description, /Id of an existing, fully configured DRS job/);
        assert.deepEqual(resource.requiredInputs, []);
    });
});
