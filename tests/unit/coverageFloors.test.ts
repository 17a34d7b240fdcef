import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { belowFloors, COVERAGE_FLOORS, coverageTable, perFolder, trimRawCoverage } from "../../scripts/coverage";
import { useCleanups } from "../support/cleanups";

const ROOT = path.resolve(__dirname, "../../..");

/** c8's summary counts for one file. */
function counts(lines: [number, number], branches: [number, number] = [0, 0]) {
    return { lines: { covered: lines[0], total: lines[1] }, branches: { covered: branches[0], total: branches[1] }, functions: { covered: 0, total: 0 } };
}

describe("coverage per folder and its floors (scripts/coverage.ts)", () => {
    const cleanups = useCleanups(afterEach);

    it("sums c8's per-file summary by top folder and ignores other folders and the total", () => {
        const summary = {
            total: counts([1, 1]),
            [path.join(ROOT, "provider", "a.ts")]: counts([8, 10], [1, 2]),
            [path.join(ROOT, "provider", "drs", "b.ts")]: counts([2, 10], [1, 2]),
            [path.join(ROOT, "plugin", "server.ts")]: counts([5, 5]),
            [path.join(ROOT, "tests", "x.ts")]: counts([0, 100]),
        };
        const folders = perFolder(summary, ROOT);
        const provider = folders.find((f) => f.folder === "provider");
        assert.deepEqual(provider?.lines, { covered: 10, total: 20 });
        assert.deepEqual(provider?.branches, { covered: 2, total: 4 });
        assert.deepEqual(folders.find((f) => f.folder === "plugin")?.lines, { covered: 5, total: 5 });
        assert.match(coverageTable(folders), /^provider\s+50\.0% \(10\/20\)\s+50\.0% \(2\/4\)/m);
    });

    it("names each folder and metric below its floor, and only those", () => {
        const floors = { provider: { lines: 80, branches: 70 }, plugin: { lines: 50, branches: 0 }, cli: { lines: 0, branches: 0 }, sdk: { lines: 0, branches: 0 } };
        const folders = perFolder({ [path.join(ROOT, "provider", "a.ts")]: counts([79, 100], [70, 100]), [path.join(ROOT, "plugin", "b.ts")]: counts([50, 100]) }, ROOT);
        assert.deepEqual(belowFloors(folders, floors), ["provider/: lines 79.0% is below its floor of 80% (scripts/coverage.ts)"]);
    });

    it("has a floor for provider/, plugin/, cli/ and sdk/", () => {
        assert.deepEqual(Object.keys(COVERAGE_FLOORS).sort(), ["cli", "plugin", "provider", "sdk"]);
    });

    it("keeps only this repository's scripts in raw V8 data, and only files that keep any", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drs-coverage-"));
        cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
        const ours = pathToFileURL(path.join(ROOT, "dist", "provider", "provider.js")).href;
        const installedPlugin = "file:///tmp/home/.pulumi/plugins/resource-drs-v0.1.0/plugin.js";
        const script = (url: string) => ({ scriptId: "1", url, functions: [] });
        fs.writeFileSync(
            path.join(dir, "coverage-1.json"),
            JSON.stringify({
                result: [script(ours), script(installedPlugin), script("node:internal/main"), script(pathToFileURL(path.join(ROOT, "node_modules", "x", "index.js")).href), script("file:///usr/lib/node_modules/npm/index.js")],
                "source-map-cache": { [ours]: { data: { version: 3 } }, [installedPlugin]: { data: { version: 3 } } },
            }),
        );
        fs.writeFileSync(path.join(dir, "coverage-2.json"), JSON.stringify({ result: [script("file:///usr/lib/node_modules/npm/index.js")] }));
        fs.writeFileSync(path.join(dir, "coverage-3.json"), '{"result": [');

        const trimmed = trimRawCoverage(dir);
        assert.deepEqual([trimmed.files, trimmed.scripts], [1, 1]);
        assert.deepEqual(fs.readdirSync(dir), ["coverage-1.json"], "files with nothing of ours, and a half-written one, are removed");
        const kept = JSON.parse(fs.readFileSync(path.join(dir, "coverage-1.json"), "utf8")) as { result: { url: string }[]; "source-map-cache": Record<string, unknown> };
        assert.deepEqual(
            kept.result.map((r) => r.url),
            [ours],
        );
        assert.deepEqual(Object.keys(kept["source-map-cache"]), [ours]);
    });
});
