import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PLUGIN_LAUNCHER } from "../../scripts/buildPlugin";
import { useCleanups } from "../support/cleanups";

/**
 * The `pulumi-resource-drs` launcher as the tarball ships it, run by /bin/sh
 * with a PATH of this test's making: no node at all, a node that says it is
 * v18, a node 20, and the real one.
 */
describe("plugin launcher: Node.js on PATH (scripts/buildPlugin.ts)", () => {
    const cleanups = useCleanups(afterEach);

    /** A plugin directory (the launcher beside a plugin.js printing its arguments) and an empty bin directory for PATH. */
    function layout(): { launcher: string; bin: string } {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drs-launcher-"));
        cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
        const plugin = path.join(dir, "plugin");
        const bin = path.join(dir, "bin");
        fs.mkdirSync(plugin);
        fs.mkdirSync(bin);
        const launcher = path.join(plugin, "pulumi-resource-drs");
        fs.writeFileSync(launcher, PLUGIN_LAUNCHER, { mode: 0o755 });
        fs.writeFileSync(path.join(plugin, "plugin.js"), 'console.log("plugin.js ran with " + process.argv.slice(2).join(" "));\n');
        return { launcher, bin };
    }

    /** A fake `node` in `bin` that answers `--version` with `version` and otherwise says what it was asked to run. */
    function fakeNode(bin: string, version: string): void {
        fs.writeFileSync(path.join(bin, "node"), `#!/bin/sh\nif [ "$1" = --version ]; then echo ${version}; exit 0; fi\necho "fake node ran $*"\n`, { mode: 0o755 });
    }

    function launch(launcher: string, bin: string): { status: number | null; stdout: string; stderr: string } {
        const run = spawnSync("/bin/sh", [launcher, "127.0.0.1:0"], { env: { PATH: bin, HOME: os.tmpdir() }, encoding: "utf8" });
        return { status: run.status, stdout: run.stdout, stderr: run.stderr };
    }

    it("no node on PATH: says what to install, exits 1, no shell error", () => {
        const { launcher, bin } = layout();
        const run = launch(launcher, bin);
        assert.equal(run.status, 1);
        assert.match(run.stderr, /^pulumi-resource-drs: no Node\.js on PATH\. The drs plugin runs on Node\.js 20 or later: install it \(https:\/\/nodejs\.org\/en\/download\)/);
        assert.doesNotMatch(run.stderr, /not found|No such file/);
        assert.equal(run.stdout, "");
    });

    it("a node older than 20 on PATH: names it and its version, says what to install, exits 1", () => {
        const { launcher, bin } = layout();
        fakeNode(bin, "v18.19.1");
        const run = launch(launcher, bin);
        assert.equal(run.status, 1);
        assert.ok(run.stderr.includes(`the node on PATH (${path.join(bin, "node")}) is Node.js v18.19.1; the drs plugin needs Node.js 20 or later`), run.stderr);
        assert.equal(run.stdout, "", "plugin.js is not started");
    });

    it("a node that does not tell its version is refused the same way", () => {
        const { launcher, bin } = layout();
        fakeNode(bin, "");
        const run = launch(launcher, bin);
        assert.equal(run.status, 1);
        assert.match(run.stderr, /is Node\.js of unknown version; the drs plugin needs Node\.js 20 or later/);
    });

    it("node 20 or later: runs plugin.js beside the launcher with the engine's arguments", () => {
        const { launcher, bin } = layout();
        fakeNode(bin, "v20.0.0");
        const fake = launch(launcher, bin);
        assert.equal(fake.status, 0, fake.stderr);
        assert.equal(fake.stdout.trim(), `fake node ran ${path.join(path.dirname(launcher), "plugin.js")} 127.0.0.1:0`);

        fs.rmSync(path.join(bin, "node"));
        fs.symlinkSync(process.execPath, path.join(bin, "node"));
        const real = launch(launcher, bin);
        assert.equal(real.status, 0, real.stderr);
        assert.equal(real.stdout.trim(), "plugin.js ran with 127.0.0.1:0");
    });
});
