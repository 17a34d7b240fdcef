import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");

/** Every .ts file under `dir` (relative to the repository root), sorted. */
function sources(dir: string): string[] {
    const found: string[] = [];
    const walk = (rel: string): void => {
        for (const entry of fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true })) {
            const child = path.posix.join(rel, entry.name);
            if (entry.isDirectory()) walk(child);
            else if (entry.name.endsWith(".ts")) found.push(child);
        }
    };
    walk(dir);
    return found.sort();
}

/** What `file` imports: repository files (relative to the root, `.ts`) and package names. */
function importsOf(file: string): { local: string[]; packages: string[] } {
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    const specifiers = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)";/gms), ...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    const local: string[] = [];
    const packages: string[] = [];
    for (const spec of specifiers) {
        if (!spec.startsWith(".")) {
            packages.push(spec);
            continue;
        }
        const base = path.posix.join(path.posix.dirname(file), spec);
        local.push(fs.existsSync(path.join(ROOT, `${base}.ts`)) ? `${base}.ts` : path.posix.join(base, "index.ts"));
    }
    return { local, packages };
}

/** The import graph among `files`: each file and the ones of `files` it imports. */
function graphOf(files: readonly string[]): Map<string, string[]> {
    return new Map(files.map((f) => [f, importsOf(f).local.filter((l) => files.includes(l))]));
}

/** The cycles of `graph`, each as the path that closes it. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
    const found: string[][] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (file: string, trail: string[]): void => {
        if (state.get(file) === "done") return;
        if (state.get(file) === "open") {
            found.push([...trail.slice(trail.indexOf(file)), file]);
            return;
        }
        state.set(file, "open");
        for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
        state.set(file, "done");
    };
    for (const file of graph.keys()) visit(file, []);
    return found;
}

describe("import graph: the layers DEVELOPERS.md names, in one direction", () => {
    const core = sources("provider");

    it("no import cycle in provider/, sdk/, plugin/ or cli/ (type-only imports included)", () => {
        const all = [...core, ...sources("sdk"), ...sources("plugin"), ...sources("cli")];
        assert.deepEqual(
            cycles(graphOf(all)).map((c) => c.join(" -> ")),
            [],
        );
    });

    it("the core knows neither door nor the CLI", () => {
        for (const file of core) for (const dep of importsOf(file).local) assert.ok(dep.startsWith("provider/"), `${file} imports ${dep}`);
    });

    it("the DRS client knows nothing of Pulumi, the wait logic nothing of HTTP", () => {
        for (const file of sources("provider/drs")) {
            for (const dep of importsOf(file).local) assert.ok(dep.startsWith("provider/drs/"), `${file} imports ${dep}`);
            for (const pkg of importsOf(file).packages) assert.ok(!pkg.startsWith("@pulumi/"), `${file} imports ${pkg}`);
        }
        for (const file of sources("provider/wait")) {
            for (const dep of importsOf(file).local) assert.ok(dep.startsWith("provider/wait/"), `${file} imports ${dep}`);
            for (const pkg of importsOf(file).packages) assert.ok(!/^(node:)?(https?|net|tls)$|fetch/.test(pkg), `${file} imports ${pkg}`);
        }
    });

    it("the cycle finder finds a two-file and a three-file cycle, and none in a chain", () => {
        const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));
        assert.deepEqual(cycles(graph({ a: ["b"], b: ["a"] })), [["a", "b", "a"]]);
        assert.deepEqual(cycles(graph({ a: ["b"], b: ["c"], c: ["a"], d: ["a"] })), [["a", "b", "c", "a"]]);
        assert.deepEqual(cycles(graph({ a: ["b"], b: ["c"], c: [] })), []);
    });

    it("stackConfig owns Environment; settings takes it (the cycle they had)", () => {
        assert.deepEqual(importsOf("provider/stackConfig.ts").local, []);
        assert.ok(importsOf("provider/settings.ts").local.includes("provider/stackConfig.ts"));
    });
});
