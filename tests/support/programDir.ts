import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The repository root (tests run from dist/tests/...). */
export const REPO_ROOT = path.resolve(__dirname, "../../..");

/**
 * A temporary directory laid out like a user's Pulumi program: its
 * node_modules/pulumi-drs links to this repository and node_modules/@pulumi
 * to ours, so the serialized provider's `require("pulumi-drs/provider")`
 * resolves as it does for users, to the one installed copy. `files` are
 * copied in (e.g. a Pulumi.yaml and index.js).
 */
export function makeProgramDir(files: readonly string[] = []): { dir: string; remove(): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-drs-program-"));
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "pulumi-drs"), "dir");
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"), "dir");
    for (const file of files) fs.copyFileSync(file, path.join(dir, path.basename(file)));
    return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
