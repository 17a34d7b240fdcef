import * as fs from "node:fs";
import * as path from "node:path";
import { type Emulator, type JobSpec, startEmulator } from "../../emulator";
import { makeProgramDir } from "../../scripts/engine";
import { jobId } from "../support/env";

/**
 * Where the acceptance suite runs: the emulator it starts itself (default,
 * what CI runs), or the cloud the environment names (`DRS_ACCEPTANCE=1`,
 * endpoint and credentials from the `OS_*` variables, see docs/acceptance.md).
 */
export type AcceptanceTarget =
    | {
          readonly mode: "emulator";
          readonly emu: Emulator;
          readonly runningJobId: string;
          readonly startJobId: string;
          /** Stack config of every scenario's stack: fast waits. */
          readonly config: Readonly<Record<string, string>>;
          /** Longest wait of one `pulumi up`, in ms. */
          readonly waitMs: number;
      }
    | {
          readonly mode: "cloud";
          readonly runningJobId?: string;
          readonly startJobId?: string;
          readonly config: Readonly<Record<string, string>>;
          readonly waitMs: number;
      };

/** The emulator's running job (adopted, never started) and configured job (started by the start scenario). */
const EMULATOR_JOBS: readonly JobSpec[] = [
    { id: jobId(1), name: "acceptance-running", dbUseType: "sync", status: "INCRE_TRANSFER_STARTED" },
    { id: jobId(2), name: "acceptance-configured", dbUseType: "migration" },
];

/** Default `timeoutSeconds` of a cloud start: DRS full transfers take minutes to hours. */
const CLOUD_TIMEOUT_SECONDS = 7200;

/** The target `env` names: the cloud with `DRS_ACCEPTANCE=1`, else a fresh emulator seeded with a running and a configured job. */
export async function acceptanceTarget(env: NodeJS.ProcessEnv): Promise<AcceptanceTarget> {
    if (env.DRS_ACCEPTANCE === "1") {
        const timeoutSeconds = Number(env.DRS_ACCEPTANCE_TIMEOUT_SECONDS ?? CLOUD_TIMEOUT_SECONDS);
        if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new Error(`DRS_ACCEPTANCE_TIMEOUT_SECONDS must be a positive number of seconds (got ${env.DRS_ACCEPTANCE_TIMEOUT_SECONDS})`);
        const nonEmpty = (value: string | undefined) => (value && value.trim() !== "" ? value.trim() : undefined);
        return {
            mode: "cloud",
            runningJobId: nonEmpty(env.DRS_ACCEPTANCE_RUNNING_JOB_ID),
            startJobId: nonEmpty(env.DRS_ACCEPTANCE_START_JOB_ID),
            config: { timeoutSeconds: String(timeoutSeconds) },
            waitMs: timeoutSeconds * 1000,
        };
    }
    const emu = await startEmulator({ jobs: EMULATOR_JOBS });
    return { mode: "emulator", emu, runningJobId: EMULATOR_JOBS[0].id, startJobId: EMULATOR_JOBS[1].id, config: { pollIntervalSeconds: "0.05", timeoutSeconds: "60" }, waitMs: 60_000 };
}

/** One line saying where the suite runs and what it may do there (no credential). */
export function describeTarget(target: AcceptanceTarget, env: NodeJS.ProcessEnv): string {
    if (target.mode === "emulator") return `emulator at ${target.emu.url} (set DRS_ACCEPTANCE=1 and OS_* credentials to run against a cloud)`;
    const where = env.DRS_ENDPOINT ?? (env.OS_REGION_NAME ? `region ${env.OS_REGION_NAME}` : "(no DRS_ENDPOINT or OS_REGION_NAME)");
    const start = target.startJobId ? `starts job ${target.startJobId} (it bills)` : "read-only (no DRS_ACCEPTANCE_START_JOB_ID)";
    return `cloud: ${where}, project ${env.OS_PROJECT_ID ?? "(no OS_PROJECT_ID)"}; ${start}`;
}

/**
 * The program every scenario runs, a directory as a user lays it out
 * (Pulumi.yaml, index.ts, pulumi-drs linked in as an install of this
 * repository): one DrsJobStart for the `jobId` stack config, exporting its
 * status; wait settings from the stack config when set.
 */
export function acceptanceProgramDir(): { dir: string; remove(): void } {
    const program = makeProgramDir();
    fs.writeFileSync(path.join(program.dir, "Pulumi.yaml"), "name: drs-acceptance\nmain: index.ts\nruntime: nodejs\n");
    fs.writeFileSync(
        path.join(program.dir, "index.ts"),
        [
            `import * as pulumi from "@pulumi/pulumi";`,
            `import { DrsJobStart } from "pulumi-drs";`,
            ``,
            `const config = new pulumi.Config();`,
            `const job = new DrsJobStart("acceptance", {`,
            `    jobId: config.require("jobId"),`,
            `    pollIntervalSeconds: config.getNumber("pollIntervalSeconds"),`,
            `    timeoutSeconds: config.getNumber("timeoutSeconds"),`,
            `});`,
            `export const status = job.status;`,
            ``,
        ].join("\n"),
    );
    return program;
}
