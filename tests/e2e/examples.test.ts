import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { clientEnv, DEMO_JOBS, startEmulator } from "../../emulator";
import { localStack, makeProgramDir, moduleProgram, REPO_ROOT } from "../../scripts/engine";
import { useEngine } from "../support/e2eFixture";

/** Every example program: a directory of examples/ with a Pulumi.yaml and an index.ts. */
const EXAMPLES = fs
    .readdirSync(path.join(REPO_ROOT, "examples"))
    .filter((name) => fs.existsSync(path.join(REPO_ROOT, "examples", name, "Pulumi.yaml")) && fs.existsSync(path.join(REPO_ROOT, "examples", name, "index.ts")));

/** The project name from a Pulumi.yaml. */
function projectName(example: string): string {
    const yaml = fs.readFileSync(path.join(REPO_ROOT, "examples", example, "Pulumi.yaml"), "utf8");
    const name = /^name:\s*(\S+)\s*$/m.exec(yaml)?.[1];
    assert.ok(name, `${example}/Pulumi.yaml has a name`);
    return name;
}

describe("examples: each previews against the emulator through the real engine", function () {
    this.timeout(180_000);
    const engine = useEngine();

    it("finds the examples", () => {
        for (const expected of ["basic", "many-jobs", "scheduled-start", "adopt-running-job", "gitops-pipeline", "policy-checked-rollout"]) assert.ok(EXAMPLES.includes(expected), expected);
        assert.ok(fs.existsSync(path.join(REPO_ROOT, "examples", "gitops-pipeline", ".github", "workflows", "drs-rollout.yml")));
    });

    for (const example of EXAMPLES) {
        it(`${example}: preview plans its DrsJobStart creates and calls no DRS API`, async () => {
            const emu = await startEmulator({ jobs: DEMO_JOBS });
            const stackFile = path.join(REPO_ROOT, "examples", example, "Pulumi.dev.yaml");
            const program = makeProgramDir(fs.existsSync(stackFile) ? [stackFile] : []);
            const local = await localStack({ engine: engine(), projectName: projectName(example), stackName: "dev", program: moduleProgram(path.join(REPO_ROOT, "dist", "examples", example, "index.js")), workDir: program.dir, env: clientEnv(emu) });
            try {
                const preview = await local.stack.preview();
                assert.ok((preview.changeSummary.create ?? 0) >= 2, `${example}: ${JSON.stringify(preview.changeSummary)}`);
                assert.deepEqual(emu.calls.filter((c) => c.operation !== "iam-token"), [], "preview calls no DRS API");
            } finally {
                local.remove();
                program.remove();
                await emu.close();
            }
        });
    }
});
