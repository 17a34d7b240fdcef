import { strict as assert } from "node:assert";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { clientEnv, type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";
import { type Engine, findEngine, localStack, makeProgramDir } from "../../scripts/engine";
import { e2eProgram } from "../e2e/program";
import { reapLeftovers, RUN_MARKER_VAR } from "./leftoverProcesses";

/** Type token of DrsJobStart resources in state. */
export const DRS_TYPE = "pulumi-nodejs:dynamic/drs:DrsJobStart";

/** Wait settings that keep e2e runs short. */
export const FAST = { pollIntervalSeconds: 0.05, timeoutSeconds: 60 };

/** A stack of the e2e program against a fresh emulator, torn down after each test. */
export interface Fixture {
    emu: Emulator;
    stack: Stack;
    env: Record<string, string>;
    /** The {@link RUN_MARKER_VAR} value in the environment of every process this fixture's stack spawns. */
    marker: string;
    programDir: string;
    setJobs(jobs: Record<string, unknown>[]): Promise<void>;
    /** `pulumi stack export --show-secrets` (the Automation API always decrypts). */
    exportState(): Promise<string>;
    /** The stack's checkpoint file as the file backend stores it on disk. */
    storedState(): string;
    /** Types of the resources in state. */
    resourceTypes(): Promise<string[]>;
}

/** The one checkpoint file under a file backend directory. */
function checkpointFile(stateDir: string): string {
    const stacks = path.join(stateDir, ".pulumi", "stacks");
    const files = fs.readdirSync(stacks, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".json"));
    assert.equal(files.length, 1, `one checkpoint expected in ${stacks}: ${files.join(", ")}`);
    return path.join(stacks, files[0]);
}

/**
 * Registers the engine lookup on the current mocha suite: without an engine
 * (or without a language host `needs` names: Node.js for program
 * directories, YAML, Go) the suite is skipped and says why, or fails when
 * REQUIRE_E2E=1. Returns the engine once the suite runs.
 */
export function useEngine(needs: { languageHost?: boolean; yamlHost?: boolean; goHost?: boolean } = {}): () => Engine {
    let engine: Engine | undefined;
    before(async function () {
        engine = await findEngine();
        const missing = !engine
            ? "no Pulumi engine"
            : needs.languageHost && !engine.languageHost
              ? "no Node.js language host (pulumi-language-nodejs)"
              : needs.yamlHost && !engine.yamlHost
                ? "no Pulumi YAML language host (pulumi-language-yaml)"
                : needs.goHost && !engine.goHost
                  ? "no Go language host (pulumi-language-go)"
                  : undefined;
        if (missing) {
            if (process.env.REQUIRE_E2E === "1") throw new Error(`REQUIRE_E2E=1 but ${missing} found: run \`npm run setup:pulumi\`.`);
            console.log(`    (skipped: ${missing}; run \`npm run setup:pulumi\` to build it, REQUIRE_E2E=1 makes this fatal)`);
            this.skip();
        }
    });
    return () => engine!;
}

/** Suite-wide choices of {@link useEngineFixtures}. */
export interface FixtureOptions {
    /**
     * After each test, wait this long for every process the test's fixtures
     * spawned (CLI, language host, provider host) to exit; the test fails
     * if any is still alive then (it is killed).
     */
    readonly leftoverGraceMs?: number;
}

/**
 * {@link useEngine} plus per-test cleanup; returns the fixture factory.
 *
 * These stacks run an inline program (tests/e2e/program.ts through the
 * Automation API), not a program directory: the engine, secrets,
 * interrupted and coalescing suites seed a different `jobs` list per test and
 * read typed results, engine output at log level 9 and exported state through
 * the Automation API. What they test (the provider under the real engine,
 * state, secrets, signals) does not depend on which process evaluates the
 * program; the directory path users take is tested by the consumer, examples,
 * git-install, template and policy suites through the CLI.
 */
export function useEngineFixtures(options: FixtureOptions = {}): (seed?: EmulatorOptions, envOverrides?: Record<string, string>) => Promise<Fixture> {
    const engine = useEngine();
    const cleanups: (() => unknown)[] = [];
    const markers: string[] = [];
    afterEach(async () => {
        const grace = options.leftoverGraceMs;
        const tested = markers.splice(0);
        const leftovers = grace === undefined ? [] : (await Promise.all(tested.map((marker) => reapLeftovers(marker, grace)))).flat();
        for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
        const listed = leftovers.map((p) => `${p.pid} ${p.command}`).join("; ");
        assert.equal(leftovers.length, 0, `processes spawned by the test still alive ${grace} ms after it ended (killed now): ${listed}`);
    });
    return async (seed = {}, envOverrides = {}) => {
        const emu = await startEmulator(seed);
        cleanups.push(() => emu.close());
        const program = makeProgramDir();
        cleanups.push(program.remove);
        const marker = randomUUID();
        markers.push(marker);
        const env = clientEnv(emu, { [RUN_MARKER_VAR]: marker, ...envOverrides });
        const { stack, stateDir, remove } = await localStack({ engine: engine(), projectName: "drs-e2e", stackName: "e2e", program: e2eProgram, workDir: program.dir, env });
        cleanups.push(remove);
        return {
            emu,
            stack,
            env,
            marker,
            programDir: program.dir,
            setJobs: (jobs) => stack.setConfig("jobs", { value: JSON.stringify(jobs) }),
            exportState: async () => JSON.stringify((await stack.exportStack()).deployment),
            storedState: () => fs.readFileSync(checkpointFile(stateDir), "utf8"),
            resourceTypes: async () => ((await stack.exportStack()).deployment as { resources: { type: string }[] }).resources.map((r) => r.type),
        };
    };
}
