import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEMO_JOBS, DEMO_TIMINGS, startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../scripts/engine";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";

const ORDERS = DEMO_JOBS.find((job) => job.name === "orders-replication")!.id;

/** The `sh` code blocks of CONTRIBUTING.md's section `heading`, in order. */
function contributingBlocks(heading: string): string[] {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "CONTRIBUTING.md"), "utf8");
    const start = readme.indexOf(`\n## ${heading}\n`);
    assert.ok(start >= 0, `CONTRIBUTING.md has no section "${heading}"`);
    const end = readme.indexOf("\n## ", start + 1);
    const section = readme.slice(start, end < 0 ? undefined : end);
    return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** Runs `script` in bash (GitHub's flags: stop at the first failing command) and collects its output. */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, output }));
    });
}

/**
 * The repository root is the demo's Pulumi project: CONTRIBUTING's "The demo, by
 * hand" runs as printed (only the emulator's port and the state directory
 * are this test's own) and goes through init, up, a no-change preview,
 * refresh and destroy, which leaves the job running.
 */
describe('the Pulumi project at the repository root, as CONTRIBUTING\'s "The demo, by hand" prints it', function () {
    this.timeout(300_000);
    useEngine({ languageHost: true });
    const cleanups = useCleanups(afterEach);

    it("stack init, up, preview --expect-no-changes, refresh and destroy in the repository root", async () => {
        const [serve, commands] = contributingBlocks("The demo, by hand");
        assert.match(serve, /^npm run emulator\b/);
        const emu = await startEmulator({ jobs: DEMO_JOBS, timings: DEMO_TIMINGS });
        cleanups.push(() => emu.close());
        const state = fs.mkdtempSync(path.join(os.tmpdir(), "drs-root-project-"));
        cleanups.push(() => fs.rmSync(state, { recursive: true, force: true }));
        const script = commands.replaceAll("http://127.0.0.1:8900", emu.url).replace('PULUMI_BACKEND_URL="file://$PWD"', `PULUMI_BACKEND_URL="file://${state}"`);
        assert.equal(script.split(emu.url).length - 1, 2, "CONTRIBUTING names the emulator's default address twice");
        assert.ok(script.includes(state), "CONTRIBUTING keeps the state beside the repository");

        // `pulumi stack init demo` writes Pulumi.demo.yaml in the root: one a developer has is kept aside.
        const settings = path.join(REPO_ROOT, "Pulumi.demo.yaml");
        const aside = `${settings}.aside-${process.pid}`;
        if (fs.existsSync(settings)) fs.renameSync(settings, aside);
        cleanups.push(() => {
            fs.rmSync(settings, { force: true });
            if (fs.existsSync(aside)) fs.renameSync(aside, settings);
        });

        const env = { ...process.env, PULUMI_HOME: path.join(state, ".pulumi-home"), PULUMI_SKIP_UPDATE_CHECK: "true" };
        const run = await bash(script, REPO_ROOT, env);
        assert.equal(run.code, 0, run.output);
        assert.match(run.output, /pulumi-nodejs:dynamic\/drs:DrsJobStart\s+orders-replication\s+created/);
        assert.match(run.output, /status\s*:\s*"INCRE_TRANSFER_STARTED"/);
        assert.match(run.output, /- 1 deleted|- 2 deleted/);
        assert.doesNotMatch(run.output, /warning: using pulumi-resource-pulumi-nodejs from \$PATH/);
        const job = emu.jobs.get(ORDERS);
        assert.equal(job?.starts, 1, "started once: preview and refresh start nothing");
        assert.equal(job?.status, "INCRE_TRANSFER_STARTED", "destroy leaves the job running");
    });
});
