import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_USER, DEMO_JOBS, type Emulator, startEmulator } from "../../emulator";
import { CliStack } from "../../scripts/cli";
import { REPO_ROOT } from "../../scripts/engine";
import { consumerProject, emulatorConfig } from "../support/consumer";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";

/** The release tag of this version, as the README tells a team to create it. */
const TAG = `v${(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version}`;

/**
 * A git repository holding this working tree's files (tracked and new, without
 * ignored ones such as dist/ and node_modules/) in one commit tagged {@link TAG}:
 * what a team's git server holds at a release tag, including uncommitted edits.
 */
function taggedSnapshot(): { dir: string; remove(): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-drs-git-"));
    const git = (cwd: string, ...args: string[]): string => execFileSync("git", ["-c", "user.name=pulumi-drs test", "-c", "user.email=test@pulumi-drs.invalid", ...args], { cwd, encoding: "utf8" });
    for (const file of git(REPO_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0").filter(Boolean)) {
        const source = path.join(REPO_ROOT, file);
        if (!fs.existsSync(source)) continue; // deleted in the working tree
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(source, path.join(dir, file));
    }
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "release");
    git(dir, "tag", TAG);
    return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe("install from git: `npm install git+file://<repository>#<tag>` gives a working package", function () {
    this.timeout(300_000);
    const engine = useEngine({ languageHost: true });
    const cleanups = useCleanups(after);
    let repository: string;
    let dir: string;
    let emu: Emulator;

    before(async () => {
        const snapshot = taggedSnapshot();
        cleanups.push(snapshot.remove);
        repository = snapshot.dir;
        const project = await consumerProject(`git+file://${repository}#${TAG}`);
        cleanups.push(project.remove);
        dir = project.dir;
        emu = await startEmulator({ jobs: DEMO_JOBS });
        cleanups.push(() => emu.close());
    });

    it("npm builds the tagged commit on install (its `prepare`): dist/ is installed though git does not hold it", () => {
        assert.equal(execFileSync("git", ["ls-files", "dist"], { cwd: repository, encoding: "utf8" }), "", "dist/ is not committed");
        const installed = path.join(dir, "node_modules", "pulumi-drs");
        assert.ok(!fs.lstatSync(installed).isSymbolicLink(), "installed, not linked");
        for (const file of ["dist/sdk/index.js", "dist/sdk/index.d.ts", "dist/provider/index.js", "dist/emulator/index.js"]) assert.ok(fs.existsSync(path.join(installed, file)), file);
        assert.match(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).dependencies["pulumi-drs"], new RegExp(`^git\\+file:.*#${TAG.replace(/\./g, "\\.")}$`));
    });

    it("a program on it previews through the CLI: types compile and the provider host loads pulumi-drs/provider", async () => {
        const stack = await CliStack.init(engine(), dir, "dev");
        cleanups.push(() => stack.remove());
        await stack.setConfig("drs:password", DEFAULT_USER.password, true);
        await stack.setConfigs(emulatorConfig(emu));
        const preview = await stack.run(["preview"]);
        assert.match(preview.stdout, /\+ 2 to create/);
        assert.match(preview.stdout, /pulumi-nodejs:dynamic\/drs:DrsJobStart\s+orders-replication\s+create/);
        assert.equal(emu.count("batch-starting"), 0);
    });
});
