import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { DEFAULT_ACCESS_KEY, type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";
import { REPO_ROOT } from "../../scripts/engine";
import { useCleanups } from "../support/cleanups";
import { jobId } from "../support/env";

const run = promisify(execFile);

/** The Go module that drives the vendor's SDK (tools/drs-sdk-conformance/main.go). */
const TOOL = path.join(REPO_ROOT, "tools", "drs-sdk-conformance");
const START_JOB = jobId(0x5d1);
const RUNNING_JOB = jobId(0x5d2);
const LIFECYCLE_JOB = jobId(0x5d3);
const JOBS: EmulatorOptions["jobs"] = [
    { id: START_JOB, name: "sdk-orders", dbUseType: "migration" },
    { id: RUNNING_JOB, name: "sdk-customers", dbUseType: "sync", status: "INCRE_TRANSFER_STARTED" },
    { id: LIFECYCLE_JOB, name: "sdk-audit", dbUseType: "sync", status: "INCRE_TRANSFER_STARTED" },
];
/** The check lines the program prints, in order: the start and its wait, then the lifecycle calls. */
const CHECKS = [
    "ShowJobList",
    "BatchStartJobs wrong secret key",
    "BatchStartJobs",
    "BatchStartJobs wrong status",
    "BatchListJobStatus",
    "BatchListProgresses",
    "BatchStopJobs (pause)",
    "BatchListJobStatus after pause",
    "BatchStopJobs again",
    "BatchRestoreTask (resume)",
    "BatchDeleteJobs terminate",
    "BatchDeleteJobs delete",
    "BatchDeleteJobs delete again",
];

/** What one run of the program printed and how it exited. */
interface Outcome {
    readonly code: number;
    readonly lines: string[];
    readonly stderr: string;
}

/** Runs the built program against `emu` with `secretKey` as OS_SECRET_KEY. */
async function conform(binary: string, emu: Emulator, secretKey: string = DEFAULT_ACCESS_KEY.secretKey): Promise<Outcome> {
    const args = ["-endpoint", emu.url, "-project", emu.projectId, "-start-job", START_JOB, "-running-job", RUNNING_JOB, "-lifecycle-job", LIFECYCLE_JOB];
    const env = { PATH: process.env.PATH ?? "", HOME: os.homedir(), OS_ACCESS_KEY: DEFAULT_ACCESS_KEY.accessKey, OS_SECRET_KEY: secretKey };
    try {
        const { stdout, stderr } = await run(binary, args, { env, timeout: 60_000 });
        return { code: 0, lines: stdout.trim().split("\n"), stderr };
    } catch (error) {
        const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
        if (typeof code !== "number") throw error;
        return { code, lines: (stdout ?? "").trim().split("\n"), stderr: stderr ?? "" };
    }
}

/** The line the program printed for `check`. */
function lineOf(outcome: Outcome, check: string): string {
    const line = outcome.lines.find((l) => l.slice(5).startsWith(`${check}: `));
    assert.ok(line, `no line for ${check} in:\n${outcome.lines.join("\n")}`);
    return line;
}

describe("the vendor's Go SDK against the emulator (tools/drs-sdk-conformance)", () => {
    const cleanups = useCleanups(afterEach);
    let binary = "";
    let buildDir = "";

    before(async function () {
        // A cold Go build of the SDK takes 1-2.5 minutes on 2 cores; Go's build cache makes the next ones seconds.
        this.timeout(600_000);
        try {
            await run("go", ["version"]);
        } catch {
            const why = "no `go` on PATH: this suite builds tools/drs-sdk-conformance with it";
            if (process.env.REQUIRE_E2E === "1") throw new Error(`REQUIRE_E2E=1 but ${why}`);
            console.log(`    (skipped: ${why}; REQUIRE_E2E=1 makes this fatal)`);
            this.skip();
        }
        buildDir = fs.mkdtempSync(path.join(os.tmpdir(), "drs-sdk-conformance-"));
        binary = path.join(buildDir, "drs-sdk-conformance");
        const started = Date.now();
        try {
            await run("go", ["build", "-buildvcs=false", "-o", binary, "."], { cwd: TOOL, maxBuffer: 16 * 1024 * 1024 });
        } catch (error) {
            const { stdout, stderr } = error as { stdout?: string; stderr?: string };
            throw new Error(`go build of tools/drs-sdk-conformance failed: ${(error as Error).message}\n${stdout ?? ""}${stderr ?? ""}`);
        }
        console.log(`    go build tools/drs-sdk-conformance: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

    after(() => {
        if (buildDir) fs.rmSync(buildDir, { recursive: true, force: true });
    });

    /** An emulator with the two jobs, closed after the test. */
    async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
        const emu = await startEmulator({ jobs: JOBS, ...options });
        cleanups.push(() => emu.close());
        return emu;
    }

    it("passes every check: the seven calls parse into the SDK's models, a wrong key and a wrong status are refused", async () => {
        const emu = await emulator();
        const outcome = await conform(binary, emu);
        console.log(outcome.lines.map((l) => `      ${l}`).join("\n"));
        assert.equal(outcome.code, 0, `exit ${outcome.code}:\n${outcome.lines.join("\n")}\n${outcome.stderr}`);
        assert.deepEqual(
            outcome.lines.slice(0, CHECKS.length).map((l) => l.slice(5).split(":")[0]),
            CHECKS,
        );
        for (const check of CHECKS) assert.match(lineOf(outcome, check), /^ok {3}/);
        assert.match(lineOf(outcome, "ShowJobList"), new RegExp(`job ${START_JOB} "sdk-orders" CONFIGURATION, .*actions START`));
        assert.match(lineOf(outcome, "BatchStartJobs wrong secret key"), /refused: HTTP 401 APIGW\.0301/);
        assert.match(lineOf(outcome, "BatchStartJobs"), new RegExp(`HTTP 202; job ${START_JOB} success`));
        assert.match(lineOf(outcome, "BatchStartJobs wrong status"), new RegExp(`HTTP 202; job ${RUNNING_JOB} failed DRS\\.M00304`));
        assert.match(lineOf(outcome, "BatchListJobStatus"), new RegExp(`count 2; ${START_JOB} [A-Z_]+, ${RUNNING_JOB} INCRE_TRANSFER_STARTED`));
        assert.match(lineOf(outcome, "BatchListProgresses"), new RegExp(`count 2; ${START_JOB} \\d+% FULL_INCR_TRANS .*, ${RUNNING_JOB} 100% FULL_INCR_TRANS INCRE_TRANSFER_STARTED`));
        assert.match(lineOf(outcome, "BatchStopJobs (pause)"), new RegExp(`HTTP 200; job ${LIFECYCLE_JOB} success`));
        assert.match(lineOf(outcome, "BatchListJobStatus after pause"), new RegExp(`job ${LIFECYCLE_JOB} PAUSING`));
        assert.match(lineOf(outcome, "BatchStopJobs again"), new RegExp(`HTTP 200; job ${LIFECYCLE_JOB} failed DRS\\.M00304`));
        assert.match(lineOf(outcome, "BatchRestoreTask (resume)"), new RegExp(`HTTP 200; job ${LIFECYCLE_JOB} success; then INCRE_TRANSFER_STARTED`));
        assert.match(lineOf(outcome, "BatchDeleteJobs terminate"), new RegExp(`delete_type terminate: HTTP 202; job ${LIFECYCLE_JOB} success`));
        assert.match(lineOf(outcome, "BatchDeleteJobs delete"), new RegExp(`delete_type delete: HTTP 202; job ${LIFECYCLE_JOB} success`));
        assert.match(lineOf(outcome, "BatchDeleteJobs delete again"), new RegExp(`delete_type delete: HTTP 202; job ${LIFECYCLE_JOB} failed DRS\\.M05004`));
        assert.equal(outcome.lines.at(-1), `drs-sdk-conformance: ${CHECKS.length} of ${CHECKS.length} checks passed (huaweicloud-sdk-go-v3 against ${emu.url})`);
        assert.ok(!outcome.lines.join("\n").includes(DEFAULT_ACCESS_KEY.secretKey), "the secret key is never printed");

        // What the emulator saw: the SDK really started the job, once (the wrong-key start was not acted on).
        const job = emu.jobs.get(START_JOB)!;
        assert.equal(job.starts, 1);
        assert.notEqual(job.status, "CONFIGURATION");
        assert.equal(emu.jobs.get(RUNNING_JOB)!.starts, 0);
        assert.deepEqual(
            emu.calls.filter((c) => c.operation === "batch-starting").map((c) => c.status),
            [401, 202, 202],
        );
        assert.deepEqual(
            ["list-jobs", "batch-progress", "batch-pause-task", "batch-retry-task", "batch-jobs"].map((op) => emu.calls.filter((c) => c.operation === op).map((c) => c.status)),
            [[200], [202], [200, 200], [200], [202, 202, 202]],
        );
        assert.ok(emu.calls.filter((c) => c.operation === "batch-status").every((c) => c.status === 200));
        // The lifecycle job was paused once, resumed once, stopped once, then deleted (gone: DRS.M05004).
        assert.equal(emu.jobs.get(LIFECYCLE_JOB), undefined);
        assert.equal(emu.jobs.gone(LIFECYCLE_JOB).errorCode, "DRS.M05004");
        assert.deepEqual(
            emu.calls.filter((c) => c.operation === "batch-jobs").map((c) => c.body),
            ["terminate", "delete", "delete"].map((delete_type) => ({ jobs: [{ delete_type, job_id: LIFECYCLE_JOB }] })),
        );
    });

    it("fails, naming the refusal, when the emulator does not know the secret key", async () => {
        const emu = await emulator();
        const outcome = await conform(binary, emu, "not-the-emulators-secret-key");
        assert.equal(outcome.code, 1);
        for (const check of ["ShowJobList", "BatchStartJobs", "BatchListJobStatus", "BatchListProgresses", "BatchStopJobs (pause)", "BatchRestoreTask (resume)", "BatchDeleteJobs terminate"]) {
            assert.match(lineOf(outcome, check), /^FAIL .*refused: HTTP 401 APIGW\.0301/);
        }
        assert.match(outcome.lines.at(-1) ?? "", new RegExp(`: 1 of ${CHECKS.length} checks passed`));
        assert.equal(emu.jobs.get(START_JOB)!.starts, 0);
        assert.ok(!outcome.lines.join("\n").includes("not-the-emulators-secret-key"), "the secret key is never printed");
    });

    it("fails when an answer does not decode into the SDK's model", async () => {
        const emu = await emulator();
        // A count sent as a string, as a gateway bug might: the SDK's model wants an integer.
        emu.faults.add({ operation: "batch-status", action: { kind: "respond", status: 200, body: { count: "two", results: [] } } });
        // A job list answer without the job's status and create_time.
        emu.faults.add({ operation: "list-jobs", action: { kind: "respond", status: 200, body: { total_record: 1, jobs: [{ id: START_JOB, name: "sdk-orders", db_use_type: "migration" }] } } });
        const outcome = await conform(binary, emu);
        assert.equal(outcome.code, 1);
        assert.match(lineOf(outcome, "BatchListJobStatus"), /^FAIL BatchListJobStatus: parse error: the HTTP 200 answer did not decode into the SDK.s model: .*Count/);
        assert.match(lineOf(outcome, "ShowJobList"), /^FAIL .*status "" is not one of the SDK's values/);
        assert.match(lineOf(outcome, "BatchListProgresses"), /^ok {3}/);
    });
});
