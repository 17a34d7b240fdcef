/**
 * Build step: writes the `drs` plugin's package schema to
 * `dist/plugin/schema.json`, its descriptions read from the doc comments of
 * `DrsJobStartArgs` and `DrsJobStart` (sdk/drsJobStart.ts), its properties
 * from `provider/jobStartProperties.ts`, its version from package.json. Fails
 * when a declared property has no doc comment or a documented one is not
 * declared, so the TypeScript door and the schema cannot drift apart.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { JOB_START_PROPERTIES } from "../provider/jobStartProperties";
import { packageSchema, type SchemaDocs } from "../plugin/schema";

const ROOT = path.resolve(__dirname, "../..");

/** The doc comment text of a node, on one line. */
function docOf(node: ts.Node): string | undefined {
    const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
    const text = docs.map((d) => ts.getTextOfJSDocComment(d.comment) ?? "").join(" ");
    return text.trim() === "" ? undefined : text.replace(/\s+/g, " ").trim();
}

/** Doc comments of the members of the named interface or class in `file`, and of the declaration itself. */
function memberDocs(file: string, name: string): { own?: string; members: Record<string, string> } {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.ES2022, true);
    const found = source.statements.find((s): s is ts.InterfaceDeclaration | ts.ClassDeclaration => (ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name);
    if (!found) throw new Error(`${name} not found in ${file}`);
    const members: Record<string, string> = {};
    for (const member of found.members) {
        if (!member.name || !ts.isIdentifier(member.name) || ts.isConstructorDeclaration(member)) continue;
        const doc = docOf(member);
        if (doc) members[member.name.text] = doc;
    }
    return { own: docOf(found), members };
}

/** Reads the doc comments the schema is made of, checking them against the property declaration. */
export function readSchemaDocs(): SchemaDocs {
    const args = memberDocs("sdk/drsJobStart.ts", "DrsJobStartArgs");
    const resource = memberDocs("sdk/drsJobStart.ts", "DrsJobStart");
    const phase = memberDocs("provider/drs/wire.ts", "PhaseProgress");
    const declared = Object.keys(JOB_START_PROPERTIES);
    const extra = [...Object.keys(args.members), ...Object.keys(resource.members)].filter((name) => !declared.includes(name));
    if (extra.length > 0) throw new Error(`Documented in sdk/drsJobStart.ts but not declared in provider/jobStartProperties.ts: ${[...new Set(extra)].join(", ")}`);
    if (!resource.own || !phase.own) throw new Error("DrsJobStart and PhaseProgress need doc comments: the schema describes them with those.");
    return { resource: resource.own, inputs: args.members, outputs: resource.members, types: { PhaseProgress: phase.own } };
}

function main(): void {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const out = path.join(ROOT, "dist", "plugin", "schema.json");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(packageSchema(readSchemaDocs(), version), null, 2)}\n`);
}

if (require.main === module) main();
