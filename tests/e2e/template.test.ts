import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEMO_JOBS, startEmulator } from "../../emulator";
import { CliStack } from "../../scripts/cli";
import { offlineEnv, REPO_ROOT } from "../../scripts/engine";
import { npm, packedTarball, setEmulatorConfig } from "../support/consumer";
import { useEngine } from "../support/e2eFixture";
import { useCleanups } from "../support/cleanups";
import { installPlugin } from "../support/pluginProject";

/** The README's command lines that start with each prefix, in order (comments dropped). */
function readmeCommands(...prefixes: string[]): string[] {
    const lines = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8").split("\n");
    return prefixes.map((prefix) => {
        const line = lines.find((l) => l.startsWith(prefix));
        if (!line) throw new Error(`README.md has no line starting with "${prefix}"`);
        return line.replace(/\s+#.*$/, "");
    });
}

/** A command line's words as a shell splits them (no quoting in these lines), with `~` expanded to `home`. */
function shellWords(line: string, home: string): string[] {
    return line
        .split(/\s+/)
        .filter(Boolean)
        .map((word) => (word === "~" ? home : word.startsWith("~/") ? path.join(home, word.slice(2)) : word));
}

describe("template: `pulumi new templates/drs-typescript` gives a project that previews", function () {
    this.timeout(300_000);
    const engine = useEngine({ languageHost: true });
    const cleanups = useCleanups(after);

    it("the README's `pulumi new` and `npm install` lines as printed (prompts answered with --yes -c ...), config, preview", async () => {
        const emu = await startEmulator({ jobs: DEMO_JOBS });
        cleanups.push(() => emu.close());
        // A temp HOME laid out as the README's first line leaves it: ~/pulumi-drs holds the templates and the packed tarball.
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "drs-home-"));
        cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }));
        fs.mkdirSync(path.join(home, "pulumi-drs"));
        fs.symlinkSync(path.join(REPO_ROOT, "templates"), path.join(home, "pulumi-drs", "templates"), "dir");
        // `npm pack` names it after the version: the README's line must name that file.
        const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
        fs.copyFileSync(await packedTarball(), path.join(home, "pulumi-drs", `pulumi-drs-${version}.tgz`));
        const [newLine, installLine] = readmeCommands("pulumi new ", "cd ~/drs-stack && npm install ").map((line) => shellWords(line, home));
        const dir = path.join(home, "drs-stack");
        assert.deepEqual(newLine.slice(0, 4), ["pulumi", "new", path.join(home, "pulumi-drs", "templates", "drs-typescript"), "--dir"]);
        const jobId = DEMO_JOBS[0].id;
        const create = [...newLine.slice(1), "--name", "drs-new", "--yes", "--stack", "dev", "-c", "drs:region=eu-de", "-c", `drs:projectId=${emu.projectId}`, "-c", `jobId=${jobId}`];
        // `pulumi new` installs the template's dependencies with npm; npm takes them from its cache when it can.
        // An empty ~/drs-stack to run in (pulumi new --dir takes an empty directory as well as a new one).
        fs.mkdirSync(dir);
        const stack = await CliStack.init(engine(), dir, "dev", { create, env: { HOME: home, npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false" } });
        cleanups.push(() => stack.remove());
        const settings = fs.readFileSync(stack.settingsFile, "utf8");
        for (const line of ["drs:region: eu-de", `drs:projectId: ${emu.projectId}`, `drs-new:jobId: ${jobId}`]) assert.ok(settings.includes(line), `${line} in ${settings}`);
        assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name, "drs-new");
        assert.ok(fs.existsSync(path.join(dir, "node_modules", "@pulumi", "pulumi")), "pulumi new installed the dependencies");

        // `cd ~/drs-stack && npm install ~/pulumi-drs/pulumi-drs-<version>.tgz`
        assert.deepEqual(installLine.slice(0, 5), ["cd", dir, "&&", "npm", "install"]);
        await npm([...installLine.slice(4), "--prefer-offline", "--no-audit", "--no-fund"], dir);
        await setEmulatorConfig(stack, emu);
        const preview = await stack.run(["preview"]);
        assert.match(preview.stdout, /\+ 2 to create/);
        assert.match(preview.stdout, /pulumi-nodejs:dynamic\/drs:DrsJobStart\s+drs-job\s+create/);
        assert.doesNotMatch(preview.stdout + preview.stderr, /entry point|DEP0128/);
        assert.equal(emu.count("batch-starting"), 0);
    });
});

describe("template: `pulumi new templates/drs-yaml` gives a YAML project on the drs plugin that previews", function () {
    this.timeout(300_000);
    const engine = useEngine({ yamlHost: true });
    const cleanups = useCleanups(after);

    it("pulumi new --yes -c ..., plugin install, config, preview", async () => {
        const emu = await startEmulator({ jobs: DEMO_JOBS });
        cleanups.push(() => emu.close());
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drs-new-yaml-"));
        cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
        const jobId = DEMO_JOBS[0].id;
        // The plugin is installed first, as the template's README says: `pulumi new` installs a YAML project's packages.
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "drs-pulumi-home-"));
        cleanups.push(() => fs.rmSync(home, { recursive: true, force: true }));
        await installPlugin(engine(), { dir, env: { ...offlineEnv(engine(), home, "unused"), PULUMI_HOME: home } });
        const create = ["new", path.join(REPO_ROOT, "templates", "drs-yaml"), "--dir", dir, "--name", "drs-new-yaml", "--yes", "--stack", "dev", "-c", "drs:region=eu-de", "-c", `drs:projectId=${emu.projectId}`, "-c", `jobId=${jobId}`];
        const stack = await CliStack.init(engine(), dir, "dev", { create, env: { PULUMI_HOME: home } });
        cleanups.push(() => stack.remove());
        const settings = fs.readFileSync(stack.settingsFile, "utf8");
        for (const line of ["drs:region: eu-de", `drs:projectId: ${emu.projectId}`, `drs-new-yaml:jobId: ${jobId}`]) assert.ok(settings.includes(line), `${line} in ${settings}`);
        await setEmulatorConfig(stack, emu);
        const preview = await stack.run(["preview"]);
        assert.match(preview.stdout, /\+ 2 to create/);
        assert.match(preview.stdout, /drs:index:JobStart\s+drs-job\s+create/);
        assert.equal(emu.count("batch-starting"), 0);
    });
});
