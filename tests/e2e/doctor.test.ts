import { strict as assert } from "node:assert";
import { DEFAULT_ACCESS_KEY, DEFAULT_USER, type Emulator, startEmulator } from "../../emulator";
import { CliStack } from "../../scripts/cli";
import { useCleanups } from "../support/cleanups";
import { setEmulatorConfig } from "../support/consumer";
import { cleanEnv, type DoctorRun, fixLines, runCli, tableRows } from "../support/doctorCli";
import { useEngine } from "../support/e2eFixture";
import { jobId } from "../support/env";
import { dynamicProgramDir } from "../support/pluginProject";

const JOB = jobId(1);

describe("pulumi-drs doctor in a Pulumi project: the stack's drs:* config, read through the CLI", function () {
    this.timeout(120_000);
    const engine = useEngine();
    const cleanups = useCleanups(after);
    let emu: Emulator;
    let stack: CliStack;

    before(async () => {
        emu = await startEmulator({ jobs: [{ id: JOB, name: "orders", dbUseType: "migration" }] });
        cleanups.push(() => emu.close());
        const program = dynamicProgramDir("drs-doctor", JOB, 0.05);
        cleanups.push(program.remove);
        stack = await CliStack.init(engine(), program.dir, "dev");
        cleanups.push(() => stack.remove());
        await setEmulatorConfig(stack, emu);
    });

    /** `pulumi-drs doctor <args>` in the program directory, with the stack's CLI environment (backend, passphrase, PATH) and `extra`, no OS_* variables unless `extra` sets them. */
    function doctor(extra: Record<string, string>, ...args: string[]): Promise<DoctorRun> {
        return runCli(["doctor", ...args], { ...cleanEnv(), ...stack.env, ...extra }, stack.dir);
    }

    it("healthy: the selected stack's config is the source (password a secret, never printed), exit 0", async () => {
        const run = await doctor({}, "--job", JOB);
        assert.equal(run.code, 0, run.stdout + run.stderr);
        const rows = tableRows(run.stdout);
        assert.match(rows.get("settings")?.detail ?? "", /^stack "dev" of .* \(drs:projectId, drs:endpoint, drs:authUrl, drs:username, drs:password, drs:domainName\) over the environment$/);
        assert.equal(rows.get("project id")?.detail, `${emu.projectId} (drs:projectId stack config)`);
        assert.equal(rows.get("endpoint")?.detail, `${emu.url} (drs:endpoint stack config)`);
        assert.match(rows.get("credentials")?.detail ?? "", /IAM password of user "drs-demo" in domain "emulator-domain" \(drs:username stack config, drs:password stack config, drs:domainName stack config\)/);
        assert.match(rows.get(`job ${JOB}`)?.detail ?? "", /^CONFIGURATION \(migration, "orders"\); available actions: START/);
        assert.ok(!`${run.stdout}${run.stderr}`.includes(DEFAULT_USER.password), "the password is not printed");
    });

    it("stack config names the credential kind as the provider does: access keys in the environment do not override it", async () => {
        const run = await doctor({ OS_ACCESS_KEY: DEFAULT_ACCESS_KEY.accessKey, OS_SECRET_KEY: "wrong-secret" }, "--stack", "dev");
        assert.equal(run.code, 0, run.stdout);
        assert.match(tableRows(run.stdout).get("credentials")?.detail ?? "", /^IAM password/);
    });

    it("a stack that does not exist, or secrets it cannot decrypt, fail the settings check with a fix", async () => {
        const missing = await doctor({}, "--stack", "nope");
        assert.equal(missing.code, 1, missing.stdout);
        assert.equal(tableRows(missing.stdout).get("settings")?.result, "FAIL");
        assert.match(fixLines(missing.stdout)[0], /^fix: settings: run the doctor where `pulumi up` runs, with the same PULUMI_BACKEND_URL and PULUMI_CONFIG_PASSPHRASE/);
        const locked = await doctor({ PULUMI_CONFIG_PASSPHRASE: "not-the-passphrase" });
        assert.equal(locked.code, 1, locked.stdout);
        assert.match(tableRows(locked.stdout).get("settings")?.detail ?? "", /^pulumi config of stack dev failed: /);
        assert.ok(!`${locked.stdout}${locked.stderr}`.includes(DEFAULT_USER.password));
    });
});
