import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { useCleanups } from "../support/cleanups";

const PRELOAD = path.resolve(__dirname, "../../scripts/coverageOnSignal.js");

/**
 * scripts/coverageOnSignal.ts, preloaded as `npm test` preloads it into every
 * Node.js process: a process ended with SIGINT (as the engine ends its
 * plugins) still leaves its coverage, and the signal does what it did before.
 */
describe("coverage preload: a process ended by SIGINT leaves its coverage (scripts/coverageOnSignal.ts)", () => {
    const cleanups = useCleanups(afterEach);

    /**
     * Starts `script` with the preload and, when given, `coverage` as NODE_V8_COVERAGE (through `env -u`: Node hands its
     * own NODE_V8_COVERAGE to every child, and this suite may run under c8), waits for its "ready" line, sends SIGINT;
     * resolves with how it ended and what it printed.
     */
    function interrupt(script: string, coverage?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
        return new Promise((resolve, reject) => {
            const args = ["-u", "NODE_V8_COVERAGE", ...(coverage ? [`NODE_V8_COVERAGE=${coverage}`] : []), process.execPath, "--require", PRELOAD, "-e", script];
            const child = spawn("env", args, { env: { PATH: process.env.PATH }, stdio: ["ignore", "pipe", "inherit"] });
            let stdout = "";
            child.stdout.on("data", (chunk: Buffer) => {
                stdout += chunk.toString();
                if (stdout.includes("ready")) child.kill("SIGINT");
            });
            child.on("error", reject);
            child.on("close", (code, signal) => resolve({ code, signal, stdout }));
        });
    }

    function coverageDir(): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drs-v8-coverage-"));
        cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
        return dir;
    }

    const IDLE = 'setInterval(() => {}, 1000); console.log("ready");';

    it("no handler of its own: writes the coverage so far, then dies of SIGINT as before", async () => {
        const dir = coverageDir();
        const run = await interrupt(IDLE, dir);
        assert.equal(run.signal, "SIGINT");
        const files = fs.readdirSync(dir);
        assert.ok(files.length >= 1, "a coverage file");
        const coverage = JSON.parse(fs.readFileSync(path.join(dir, files[0]), "utf8")) as { result: { url: string }[] };
        assert.ok(
            coverage.result.some((script) => script.url.endsWith("coverageOnSignal.js")),
            "the process's scripts are in it",
        );
    });

    it("its own SIGINT handler: coverage written, the handler still runs and decides", async () => {
        const dir = coverageDir();
        const run = await interrupt(`process.on("SIGINT", () => { console.log("handled"); process.exit(3); }); ${IDLE}`, dir);
        assert.equal(run.code, 3);
        assert.match(run.stdout, /handled/);
        assert.ok(fs.readdirSync(dir).length >= 1);
    });

    it("without NODE_V8_COVERAGE it installs nothing: SIGINT ends the process as if it were not loaded", async () => {
        const run = await interrupt(`console.log("listeners " + process.listenerCount("SIGINT")); ${IDLE}`);
        assert.equal(run.signal, "SIGINT");
        assert.match(run.stdout, /listeners 0/);
    });
});
