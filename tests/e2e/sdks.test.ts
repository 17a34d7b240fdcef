import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../scripts/engine";
import { useCleanups } from "../support/cleanups";

const run = promisify(execFile);

const SDKS = path.join(REPO_ROOT, "sdks");
/** The schema `npm run build` writes: what the plugin serves and the SDKs must be generated from. */
const BUILT_SCHEMA = path.join(REPO_ROOT, "dist", "plugin", "schema.json");
const LANGUAGES = ["go", "nodejs", "python", "dotnet"] as const;
/** What building or installing an SDK leaves beside it (the generated .gitignore files ignore these): not generated, not compared. */
const BUILD_LEFTOVERS = new Set(["node_modules", "__pycache__", "bin", "obj"]);
const FIX = "run `npm run gen:sdks`";

/** Files under `dir`, relative, sorted, without build leftovers. */
function filesUnder(dir: string): string[] {
    if (!fs.existsSync(dir)) return [];
    const files = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => !f.split(path.sep).some((part) => BUILD_LEFTOVERS.has(part)) && !f.endsWith(".pyc") && fs.statSync(path.join(dir, f)).isFile());
    return files.sort();
}

/** Whether `command` runs (`<command> --version` or `version` exits 0). */
async function available(command: string, args: string[]): Promise<boolean> {
    try {
        await run(command, args);
        return true;
    } catch {
        return false;
    }
}

/** Skips the running test saying why, or fails it when REQUIRE_E2E=1. */
function skipOrFail(context: Mocha.Context, why: string): void {
    if (process.env.REQUIRE_E2E === "1") throw new Error(`REQUIRE_E2E=1 but ${why}`);
    console.log(`      (skipped: ${why}; REQUIRE_E2E=1 makes this fatal)`);
    context.skip();
}

describe("generated SDKs are current (sdks/: npm run gen:sdks)", () => {
    const cleanups = useCleanups(afterEach);

    it("sdks/schema.json is the schema npm run build writes, byte for byte", () => {
        assert.ok(fs.existsSync(BUILT_SCHEMA), `${BUILT_SCHEMA} is missing: run npm run build`);
        assert.ok(fs.existsSync(path.join(SDKS, "schema.json")), `sdks/schema.json is missing: ${FIX}`);
        assert.ok(fs.readFileSync(path.join(SDKS, "schema.json")).equals(fs.readFileSync(BUILT_SCHEMA)), `sdks/schema.json differs from dist/plugin/schema.json: ${FIX}`);
    });

    it("scripts/gen-sdks.sh regenerates every language folder exactly as committed", async function () {
        // The first build of tools/sdkgen (pulumi/pkg and its code generators) takes about 3 minutes with a cold Go build cache.
        this.timeout(600_000);
        if (!(await available("go", ["version"]))) return skipOrFail(this, "no `go` on PATH: scripts/gen-sdks.sh builds tools/sdkgen with it");
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "drs-sdks-"));
        cleanups.push(() => fs.rmSync(out, { recursive: true, force: true }));
        const started = Date.now();
        try {
            await run("bash", [path.join(REPO_ROOT, "scripts", "gen-sdks.sh"), BUILT_SCHEMA, out], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
        } catch (error) {
            const { stdout, stderr } = error as { stdout?: string; stderr?: string };
            throw new Error(`scripts/gen-sdks.sh failed: ${(error as Error).message}\n${stdout ?? ""}${stderr ?? ""}`);
        }
        console.log(`      scripts/gen-sdks.sh: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        const problems: string[] = [];
        for (const lang of LANGUAGES) {
            const generated = filesUnder(path.join(out, lang));
            const committed = filesUnder(path.join(SDKS, lang));
            assert.ok(generated.length > 0, `gen-sdks.sh wrote no ${lang} SDK`);
            for (const file of generated) {
                if (!committed.includes(file)) problems.push(`missing: sdks/${lang}/${file}`);
                else if (!fs.readFileSync(path.join(out, lang, file)).equals(fs.readFileSync(path.join(SDKS, lang, file)))) problems.push(`stale: sdks/${lang}/${file}`);
            }
            for (const file of committed.filter((f) => !generated.includes(f))) problems.push(`extra (not generated): sdks/${lang}/${file}`);
        }
        assert.deepEqual(problems, [], `the committed SDKs differ from what the current schema generates (${FIX}):\n  ${problems.join("\n  ")}`);
    });

    it("the Node.js SDK type-checks against this repository's @pulumi/pulumi (tsc --noEmit: nothing written)", async function () {
        this.timeout(120_000);
        try {
            await run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(SDKS, "nodejs"), "--noEmit"], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
        } catch (error) {
            const { stdout } = error as { stdout?: string };
            throw new Error(`tsc --noEmit -p sdks/nodejs failed:\n${stdout ?? (error as Error).message}`);
        }
    });

    it("every generated Python file byte-compiles (the Python SDK cannot be installed or run here: no PyPI)", async function () {
        this.timeout(60_000);
        if (!(await available("python3", ["--version"]))) return skipOrFail(this, "no `python3` on PATH: the Python SDK is syntax-checked with it");
        const sources = filesUnder(path.join(SDKS, "python")).filter((f) => f.endsWith(".py"));
        assert.ok(sources.includes(path.join("pulumi_drs", "job_start.py")), `sdks/python has no pulumi_drs/job_start.py: ${FIX}`);
        // The bytecode goes to a temp dir: nothing is written into sdks/.
        const cache = fs.mkdtempSync(path.join(os.tmpdir(), "drs-pycache-"));
        cleanups.push(() => fs.rmSync(cache, { recursive: true, force: true }));
        try {
            await run("python3", ["-m", "py_compile", ...sources], { cwd: path.join(SDKS, "python"), env: { ...process.env, PYTHONPYCACHEPREFIX: cache } });
        } catch (error) {
            const { stderr } = error as { stderr?: string };
            throw new Error(`python3 -m py_compile failed on the generated Python SDK:\n${stderr ?? (error as Error).message}`);
        }
        const compiled = fs.readdirSync(cache, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".pyc"));
        assert.equal(compiled.length, sources.length, "one .pyc per source, in the temp cache");
        const written = fs.readdirSync(path.join(SDKS, "python"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".pyc"));
        assert.deepEqual(written, [], "no bytecode in sdks/python");
    });
});
