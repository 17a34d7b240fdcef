import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");

/** The `sh` code blocks of `file`'s section `heading` (a `## ` heading), in order. */
function shBlocks(file: string, heading: string): string[] {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const start = text.indexOf(`\n## ${heading}\n`);
    assert.ok(start >= 0, `${file} has no section "${heading}"`);
    const end = text.indexOf("\n## ", start + 1);
    return [...text.slice(start, end < 0 ? undefined : end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** The command lines of a shell script or block: comments, blank lines and the script's own set-up (`set`, `cd`) dropped. */
function commands(script: string): string[] {
    return script
        .split("\n")
        .map((line) => line.replace(/\s+#.*$/, "").trim())
        .filter((line) => line !== "" && !line.startsWith("#") && !/^(set|cd)\s/.test(line));
}

/** The npm scripts package.json declares. */
function npmScripts(): Record<string, string> {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
}

describe("documented commands: what README and CONTRIBUTING say CI runs is what .ci/run runs", () => {
    const ci = commands(fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8"));

    it(".ci/run runs lint before the tests, the whole suite with the engine required, then the coverage floors", () => {
        assert.deepEqual(ci, ["npm ci", "npm run lint", "npm run setup:pulumi && REQUIRE_E2E=1 npm test", "npm run coverage"]);
    });

    it("README's Develop block is .ci/run, line for line", () => {
        const [block] = shBlocks("README.md", "Develop");
        assert.deepEqual(commands(block), ci);
    });

    it("CONTRIBUTING's Test block is .ci/run, line for line", () => {
        const [block] = shBlocks("CONTRIBUTING.md", "Test");
        assert.deepEqual(commands(block), ci);
    });

    it("every `npm run <script>` in README, CONTRIBUTING and docs/install.md names a script package.json declares", () => {
        const scripts = npmScripts();
        for (const file of ["README.md", "CONTRIBUTING.md", "docs/install.md"]) {
            const text = fs.readFileSync(path.join(ROOT, file), "utf8");
            for (const [, name] of text.matchAll(/npm run ([a-z][\w:-]*)/g)) assert.ok(name in scripts, `${file}: npm run ${name} is not a script of package.json`);
        }
    });

    it("the scripts CI runs fail on findings: lint runs Biome with warnings as errors and knip, coverage checks the floors", () => {
        const scripts = npmScripts();
        assert.match(scripts.lint, /^biome check --error-on-warnings \. && knip$/);
        assert.match(scripts.test, /\bc8 mocha\b/);
        assert.match(scripts.coverage, /coverage\.js floors$/);
    });

    it("README stays a landing page (at most 200 lines)", () => {
        const lines = fs.readFileSync(path.join(ROOT, "README.md"), "utf8").split("\n").length;
        assert.ok(lines <= 200, `README.md has ${lines} lines`);
    });
});
