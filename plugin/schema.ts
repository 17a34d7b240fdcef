import { INPUT_NAMES, JOB_START_PROPERTIES, type JobStartProperty, OBJECT_TYPES, type PropertyDeclaration, type PropertyType } from "../provider/jobStartProperties";
import { CONFIG_SETTINGS } from "../provider/stackConfig";

/** The package name of the resource plugin (`pulumi-resource-drs`). */
export const PACKAGE_NAME = "drs";
/** The plugin's resource type token. */
export const JOB_START_TOKEN = "drs:index:JobStart";

/** Descriptions read from the TypeScript doc comments (see `scripts/writeSchema.ts`). */
export interface SchemaDocs {
    /** The resource's description (the `DrsJobStart` class comment). */
    readonly resource: string;
    /** Input descriptions (members of `DrsJobStartArgs`). */
    readonly inputs: Readonly<Record<string, string>>;
    /** Output descriptions (the `declare readonly` members of `DrsJobStart`). */
    readonly outputs: Readonly<Record<string, string>>;
    /** Object type descriptions, by type name. */
    readonly types: Readonly<Record<string, string>>;
}

/** A property in package-schema JSON. */
type SchemaProperty = Record<string, unknown>;

/** The package schema of the `drs` plugin, from the property declaration and the doc comments. */
export function packageSchema(docs: SchemaDocs, version: string): Record<string, unknown> {
    const entries = Object.entries(JOB_START_PROPERTIES) as [JobStartProperty, PropertyDeclaration][];
    const describe = (table: Readonly<Record<string, string>>, name: string, where: string): string => {
        const text = table[name];
        if (text === undefined) throw new Error(`No doc comment for ${name} in ${where}: the schema takes its descriptions from there.`);
        return text;
    };
    const properties = Object.fromEntries(entries.map(([name, p]) => [name, { ...typeOf(p.type), description: describe(docs.outputs, name, "DrsJobStart") }]));
    const inputProperties = Object.fromEntries(
        INPUT_NAMES.map((name) => {
            const p: PropertyDeclaration = JOB_START_PROPERTIES[name];
            return [name, { ...typeOf(p.type), description: describe(docs.inputs, name, "DrsJobStartArgs"), ...(p.replaces ? { replaceOnChanges: true } : {}) }];
        }),
    );
    const config = Object.fromEntries(Object.entries(CONFIG_SETTINGS).map(([key, s]) => [key, { type: "string", description: `${s.description} Default: \`${s.variable}\`.`, ...(s.secret ? { secret: true } : {}) }]));
    const types = Object.fromEntries(
        Object.entries(OBJECT_TYPES).map(([name, fields]) => [
            `${PACKAGE_NAME}:index:${name}`,
            {
                type: "object",
                description: describe(docs.types, name, "provider/drs/wire.ts"),
                properties: Object.fromEntries(fields.map((field) => [field, { type: "number", description: `The ${field} phase, 0..100.` }])),
            },
        ]),
    );
    return {
        name: PACKAGE_NAME,
        displayName: "Open Telekom Cloud DRS job start",
        version,
        description: "Starts Open Telekom Cloud DRS jobs declaratively and waits until they replicate.",
        keywords: ["pulumi", "drs", "otc", "open-telekom-cloud", "category/database"],
        license: "Apache-2.0",
        config: { variables: config },
        provider: { description: "The drs provider: its settings default to the matching environment variables.", inputProperties: config },
        types,
        resources: {
            [JOB_START_TOKEN]: {
                description: docs.resource,
                properties,
                required: entries.filter(([, p]) => p.alwaysOutput).map(([name]) => name),
                inputProperties,
                requiredInputs: INPUT_NAMES.filter((name) => (JOB_START_PROPERTIES[name] as PropertyDeclaration).requiredInput),
            },
        },
        language: {
            go: { importBasePath: "pulumi-drs/sdk/go/drs", respectSchemaVersion: true, generateResourceContainerTypes: false },
            nodejs: { packageName: "@pulumi-drs/drs", respectSchemaVersion: true },
            python: { packageName: "pulumi_drs", respectSchemaVersion: true },
            csharp: { rootNamespace: "PulumiDrs", respectSchemaVersion: true },
        },
    };
}

function typeOf(type: PropertyType): SchemaProperty {
    switch (type.kind) {
        // Enumerated strings stay plain strings (their doc comments list the values), so every
        // SDK passes what `check` would accept or explain.
        case "string":
        case "number":
        case "boolean":
            return { type: type.kind };
        case "stringList":
            return { type: "array", items: { type: "string" } };
        case "numberOrString":
            return { oneOf: [{ type: "number" }, { type: "string" }] };
        case "object":
            return { $ref: `#/types/${PACKAGE_NAME}:index:${type.name}` };
    }
}
