/**
 * `npm run build:plugin`: packs the `drs` resource plugin into
 * `dist/plugin/pulumi-resource-drs-v<version>-<os>-<arch>.tar.gz`, the layout
 * `pulumi plugin install resource drs <version> --file <tarball>` installs:
 * the launcher `pulumi-resource-drs` (runs Node.js ≥ 20 from PATH), one
 * bundled `plugin.js` (the plugin, the provider core and the few modules
 * they load, so no node_modules folder ships, with their license notices in
 * `plugin.js.LEGAL.txt`), `schema.json`, `package.json` and `LICENSE`.
 * Prints the tarball's path and size.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildSync } from "esbuild";

const ROOT = path.resolve(__dirname, "../..");

/** Pulumi's names for Node's platform and architecture. */
export function pluginPlatform(platform: string = process.platform, arch: string = process.arch): string {
    const os = platform === "win32" ? "windows" : platform;
    const cpu = arch === "x64" ? "amd64" : arch;
    return `${os}-${cpu}`;
}

/**
 * The plugin's launcher: runs the bundled plugin on the machine's Node.js.
 * Without `node` on PATH, or with one older than 20, it says what to install
 * and exits 1 (the engine shows the plugin's stderr) instead of a shell error.
 * Shell built-ins only up to the `exec`, so it works on any PATH.
 */
export const PLUGIN_LAUNCHER = `#!/bin/sh
# The drs resource plugin (pulumi-drs): Node.js >= 20 runs the bundled plugin.
case $0 in */*) here=\${0%/*} ;; *) here=. ;; esac
if ! command -v node >/dev/null 2>&1; then
    echo "pulumi-resource-drs: no Node.js on PATH. The drs plugin runs on Node.js 20 or later: install it (https://nodejs.org/en/download) and put its node on the PATH Pulumi runs with." >&2
    exit 1
fi
version=$(node --version 2>/dev/null)
major=\${version#v}
major=\${major%%.*}
case $major in ''|*[!0-9]*) major=0 ;; esac
if [ "$major" -lt 20 ]; then
    echo "pulumi-resource-drs: the node on PATH ($(command -v node)) is Node.js \${version:-of unknown version}; the drs plugin needs Node.js 20 or later: install it (https://nodejs.org/en/download) and put it first on the PATH Pulumi runs with." >&2
    exit 1
fi
exec node "$here/plugin.js" "$@"
`;

/** Builds the tarball; returns its path and the plugin version. */
export function buildPlugin(): { readonly tarball: string; readonly version: string } {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; license: string; description: string };
    const staging = path.join(ROOT, "dist", "plugin", "package");
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    buildSync({
        entryPoints: [path.join(ROOT, "dist", "plugin", "main.js")],
        outfile: path.join(staging, "plugin.js"),
        bundle: true,
        platform: "node",
        target: "node20",
        minify: true,
        legalComments: "external",
        // node-fetch's optional charset support, never installed.
        external: ["encoding"],
        logLevel: "warning",
    });
    fs.copyFileSync(path.join(ROOT, "dist", "plugin", "schema.json"), path.join(staging, "schema.json"));
    fs.copyFileSync(path.join(ROOT, "LICENSE"), path.join(staging, "LICENSE"));
    fs.writeFileSync(path.join(staging, "pulumi-resource-drs"), PLUGIN_LAUNCHER, { mode: 0o755 });
    const manifest = { name: "pulumi-resource-drs", version: pkg.version, description: pkg.description, license: pkg.license, private: true };
    fs.writeFileSync(path.join(staging, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    const tarball = path.join(ROOT, "dist", "plugin", `pulumi-resource-drs-v${pkg.version}-${pluginPlatform()}.tar.gz`);
    execFileSync("tar", ["-czf", tarball, "-C", staging, "."]);
    return { tarball, version: pkg.version };
}

if (require.main === module) {
    const { tarball, version } = buildPlugin();
    const kb = (file: string) => `${(fs.statSync(file).size / 1024).toFixed(0)} KB`;
    console.log(`build:plugin: ${path.relative(process.cwd(), tarball)} (${kb(tarball)}; plugin.js ${kb(path.join(path.dirname(tarball), "package", "plugin.js"))})`);
    console.log(`install: pulumi plugin install resource drs ${version} --file ${tarball}`);
}
