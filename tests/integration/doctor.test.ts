import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { clientEnv, DEFAULT_ACCESS_KEY, DEFAULT_PROJECT_ID, DEFAULT_USER, type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";
import { useCleanups } from "../support/cleanups";
import { cleanEnv, type DoctorRun, fixLines, runCli, tableRows } from "../support/doctorCli";
import { jobId } from "../support/env";

const RUNNING = jobId(1);
const CONFIGURED = jobId(2);
const FAILED = jobId(3);
const SEED: EmulatorOptions = {
    jobs: [
        { id: RUNNING, name: "customers-sync", dbUseType: "sync", status: "INCRE_TRANSFER_STARTED" },
        { id: CONFIGURED, name: "orders", dbUseType: "migration" },
        { id: FAILED, name: "legacy", dbUseType: "migration", status: "INCRE_TRANSFER_FAILED", errorMessage: "Binlog purged on source" },
    ],
};
/** Another well-formed project id, not the emulator's. */
const OTHER_PROJECT = "0123456789abcdef0123456789abcdef";

describe("pulumi-drs doctor (the built CLI, as npx runs it) against the emulator", function () {
    this.timeout(60_000);
    const cleanups = useCleanups();
    /** A directory with no Pulumi project above it: the doctor reads the environment only. */
    let cwd: string;
    before(() => {
        cwd = fs.mkdtempSync(path.join(os.tmpdir(), "drs-doctor-"));
    });
    after(() => fs.rmSync(cwd, { recursive: true, force: true }));

    async function emulator(options: EmulatorOptions = SEED): Promise<Emulator> {
        const emu = await startEmulator(options);
        cleanups.push(() => emu.close());
        return emu;
    }

    /** `pulumi-drs <args>` with exactly `settings` as OS_* / DRS_* variables. */
    function doctor(settings: Record<string, string>, ...args: string[]): Promise<DoctorRun> {
        return runCli(["doctor", ...args], { ...cleanEnv(), ...settings }, cwd);
    }

    /** No value of `secrets` appears in anything the run printed. */
    function assertNoSecret(run: DoctorRun, ...secrets: string[]): void {
        for (const secret of secrets) assert.ok(!`${run.stdout}${run.stderr}`.includes(secret), `the output shows a secret:\n${run.stdout}${run.stderr}`);
    }

    /** The row `check` with result `result`; returns its detail. */
    function row(run: DoctorRun, check: string, result: string): string {
        const found = tableRows(run.stdout).get(check);
        assert.ok(found, `no row "${check}" in:\n${run.stdout}`);
        assert.equal(found.result, result, `row "${check}":\n${run.stdout}`);
        return found.detail;
    }

    it("healthy (IAM password): a table of ok rows, job counts per db_use_type, each job's status and actions, exit 0, no call but reads", async () => {
        const emu = await emulator();
        const run = await doctor(clientEnv(emu), "--job", RUNNING, "--job", CONFIGURED);
        assert.equal(run.code, 0, run.stdout + run.stderr);
        assert.match(row(run, "settings", "ok"), /environment only/);
        assert.match(row(run, "project id", "ok"), new RegExp(`${emu.projectId} \\(OS_PROJECT_ID\\)`));
        assert.match(row(run, "endpoint", "ok"), new RegExp(`${emu.url} \\(DRS_ENDPOINT\\)`));
        assert.match(row(run, "endpoint reachable", "ok"), /answers \(HTTP 404/);
        assert.match(row(run, "credentials", "ok"), /IAM password of user "drs-demo" in domain "emulator-domain" \(OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME\)/);
        row(run, "IAM token", "ok");
        assert.match(row(run, "DRS API", "ok"), /accepts the token/);
        assert.equal(row(run, "jobs", "ok"), "migration 2, sync 1, cloudDataGuard 0");
        assert.equal(row(run, `job ${RUNNING}`, "ok"), `INCRE_TRANSFER_STARTED (sync, "customers-sync"); available actions: PAUSE, STOP; pulumi up none: runs as declared`);
        assert.equal(row(run, `job ${CONFIGURED}`, "ok"), `CONFIGURATION (migration, "orders"); available actions: START, EDIT, DELETE; pulumi up starts it (batch-starting), then waits for INCRE_TRANSFER_STARTED`);
        assert.deepEqual(fixLines(run.stdout), []);
        assert.match(run.stdout, /doctor: ready for pulumi up/);
        assertNoSecret(run, DEFAULT_USER.password);
        assert.equal(emu.count("batch-starting"), 0, "the doctor starts nothing");
    });

    it("healthy (access keys): the signature is accepted; the secret key is never printed", async () => {
        const emu = await emulator();
        const run = await doctor({ DRS_ENDPOINT: emu.url, OS_PROJECT_ID: emu.projectId, OS_ACCESS_KEY: DEFAULT_ACCESS_KEY.accessKey, OS_SECRET_KEY: DEFAULT_ACCESS_KEY.secretKey });
        assert.equal(run.code, 0, run.stdout);
        assert.match(row(run, "credentials", "ok"), /access key pair \(OS_ACCESS_KEY, OS_SECRET_KEY\)/);
        assert.match(row(run, "DRS API", "ok"), /accepts the signature/);
        assertNoSecret(run, DEFAULT_ACCESS_KEY.secretKey);
    });

    it("a job pulumi up would fail on is a failed check with the action (exit 1); --json gives the same checks", async () => {
        const emu = await emulator();
        const run = await doctor(clientEnv(emu), "--job", FAILED, "--json");
        assert.equal(run.code, 1, run.stdout);
        const report = JSON.parse(run.stdout) as { healthy: boolean; checks: { check: string; result: string; detail: string; fix?: string }[] };
        assert.equal(report.healthy, false);
        const job = report.checks.find((c) => c.check === `job ${FAILED}`);
        assert.equal(job?.result, "FAIL");
        assert.match(job?.detail ?? "", /INCRE_TRANSFER_FAILED .*DRS says: Binlog purged on source; pulumi up fails: has failed in DRS/);
        assert.match(job?.fix ?? "", new RegExp(`pulumi up will fail on job ${FAILED}: has failed in DRS and cannot reach INCRE_TRANSFER_STARTED\\. Fix the cause shown by DRS`));
    });

    it("wrong password: IAM's refusal, the sources to fix, exit 1, later checks skipped, the password never printed", async () => {
        const emu = await emulator();
        const wrong = "not-the-password-4711";
        const run = await doctor(clientEnv(emu, { OS_PASSWORD: wrong }), "--job", RUNNING);
        assert.equal(run.code, 1, run.stdout);
        assert.match(row(run, "IAM token", "FAIL"), /iam-token: HTTP 401: The username or password is wrong/);
        row(run, "DRS API", "skipped");
        row(run, `job ${RUNNING}`, "skipped");
        const [fix, ...more] = fixLines(run.stdout);
        assert.equal(more.length, 0);
        assert.match(fix, /^fix: IAM token: IAM refused user "drs-demo" in domain "emulator-domain" \(read from OS_USERNAME, OS_PASSWORD, OS_DOMAIN_NAME\)/);
        assert.match(run.stdout, /doctor: 1 check failed/);
        assertNoSecret(run, wrong, DEFAULT_USER.password);
    });

    it("wrong project (IAM password): the user has no access to it; the fix names the project id's source", async () => {
        const emu = await emulator({ ...SEED, users: [{ ...DEFAULT_USER, projectIds: [DEFAULT_PROJECT_ID] }] });
        const run = await doctor(clientEnv(emu, { OS_PROJECT_ID: OTHER_PROJECT }));
        assert.equal(run.code, 1, run.stdout);
        assert.match(row(run, "project id", "ok"), new RegExp(OTHER_PROJECT));
        assert.match(row(run, "IAM token", "FAIL"), /The user has no access to the requested project/);
        assert.match(fixLines(run.stdout)[0], new RegExp(`Project ${OTHER_PROJECT} is read from OS_PROJECT_ID`));
    });

    it("wrong project (access keys): DRS refuses with 403; the fix says which project and what to check", async () => {
        const emu = await emulator();
        const run = await doctor({ DRS_ENDPOINT: emu.url, OS_PROJECT_ID: OTHER_PROJECT, OS_ACCESS_KEY: DEFAULT_ACCESS_KEY.accessKey, OS_SECRET_KEY: DEFAULT_ACCESS_KEY.secretKey });
        assert.equal(run.code, 1, run.stdout);
        assert.match(row(run, "DRS API", "FAIL"), /list-jobs: HTTP 403 APIGW\.0302: The credentials are not scoped to this project/);
        assert.match(fixLines(run.stdout)[0], new RegExp(`not allowed in project ${OTHER_PROJECT} \\(OS_PROJECT_ID\\)`));
        assertNoSecret(run, DEFAULT_ACCESS_KEY.secretKey);
    });

    it("malformed project id: refused before any call, with the provider's own message", async () => {
        const emu = await emulator();
        const run = await doctor(clientEnv(emu, { OS_PROJECT_ID: "my-project" }));
        assert.equal(run.code, 1, run.stdout);
        assert.match(row(run, "project id", "FAIL"), /projectId "my-project" must be 32 hex characters \(from drs:projectId or OS_PROJECT_ID\)/);
        row(run, "endpoint reachable", "skipped");
        assert.equal(emu.calls.length, 0);
    });

    it("unreachable endpoint: connection refused is named, with what to check; nothing else is tried", async () => {
        const closed = await new Promise<number>((resolve) => {
            const server = net.createServer().listen(0, "127.0.0.1", () => {
                const { port } = server.address() as net.AddressInfo;
                server.close(() => resolve(port));
            });
        });
        const endpoint = `http://127.0.0.1:${closed}`;
        const run = await doctor({ DRS_ENDPOINT: endpoint, OS_AUTH_URL: `${endpoint}/v3`, OS_PROJECT_ID: DEFAULT_PROJECT_ID, OS_USERNAME: DEFAULT_USER.name, OS_PASSWORD: DEFAULT_USER.password, OS_DOMAIN_NAME: DEFAULT_USER.domain });
        assert.equal(run.code, 1, run.stdout);
        assert.match(row(run, "endpoint reachable", "FAIL"), /^refused: ECONNREFUSED/);
        row(run, "credentials", "skipped");
        assert.match(fixLines(run.stdout)[0], new RegExp(`nothing accepts connections at 127\\.0\\.0\\.1:${closed}`));
        assertNoSecret(run, DEFAULT_USER.password);
    });

    it("TLS: an untrusted certificate is told apart from a refused connection; trusting its CA (NODE_EXTRA_CA_CERTS) shows the handshake", async function () {
        const dir = fs.mkdtempSync(path.join(cwd, "tls-"));
        try {
            execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"], {
                stdio: "ignore",
            });
        } catch {
            console.log("      (skipped: no openssl to make a self-signed certificate)");
            this.skip();
        }
        const server = https.createServer({ key: fs.readFileSync(path.join(dir, "key.pem")), cert: fs.readFileSync(path.join(dir, "cert.pem")) }, (_, res) => res.writeHead(404).end());
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        cleanups.push(
            () => new Promise((resolve) => server.close(resolve)),
            () => fs.rmSync(dir, { recursive: true, force: true }),
        );
        const settings = { DRS_ENDPOINT: `https://localhost:${(server.address() as net.AddressInfo).port}`, OS_PROJECT_ID: DEFAULT_PROJECT_ID, OS_TOKEN: "t" };
        const untrusted = await doctor(settings);
        assert.equal(untrusted.code, 1);
        assert.match(row(untrusted, "endpoint reachable", "FAIL"), /^tls: DEPTH_ZERO_SELF_SIGNED_CERT/);
        assert.match(fixLines(untrusted.stdout)[0], /TLS handshake with localhost:\d+ failed: .*NODE_EXTRA_CA_CERTS/);
        const trusted = await doctor({ ...settings, NODE_EXTRA_CA_CERTS: path.join(dir, "cert.pem") });
        assert.match(row(trusted, "endpoint reachable", "ok"), /answers \(HTTP 404 to GET, \d+ ms\); TLSv1\.[23], certificate localhost, valid until /);
    });

    it("IAM unreachable while DRS answers: the IAM token check fails naming drs:authUrl / OS_AUTH_URL", async () => {
        const emu = await emulator();
        const run = await doctor(clientEnv(emu, { OS_AUTH_URL: "http://127.0.0.1:9/v3" }));
        assert.equal(run.code, 1, run.stdout);
        row(run, "endpoint reachable", "ok");
        assert.match(row(run, "IAM token", "FAIL"), /^iam-token: no response: network error ECONNREFUSED/);
        assert.match(fixLines(run.stdout)[0], /IAM at http:\/\/127\.0\.0\.1:9\/v3 did not answer: check drs:authUrl \/ OS_AUTH_URL/);
        assertNoSecret(run, DEFAULT_USER.password);
    });

    it("expired token (OS_TOKEN): DRS answers 401; the fix says the token expired and how to renew", async () => {
        const emu = await emulator({ ...SEED, tokenTtlMs: 100 });
        const issued = emu.tokens.issue({ auth: { identity: { methods: ["password"], password: { user: { name: DEFAULT_USER.name, password: DEFAULT_USER.password, domain: { name: DEFAULT_USER.domain } } } }, scope: { project: { id: emu.projectId } } } });
        assert.ok(issued.ok);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const run = await doctor({ DRS_ENDPOINT: emu.url, OS_PROJECT_ID: emu.projectId, OS_TOKEN: issued.token });
        assert.equal(run.code, 1, run.stdout);
        assert.match(row(run, "credentials", "ok"), /pre-issued token \(OS_TOKEN\)/);
        assert.match(row(run, "DRS API", "FAIL"), /list-jobs: HTTP 401 APIGW\.0301: Incorrect IAM authentication information: token missing, invalid or expired/);
        assert.match(fixLines(run.stdout)[0], /DRS refused the token in OS_TOKEN: it has expired/);
        assertNoSecret(run, issued.token);
    });

    it("unknown job ids and names: each fails with its own fix; a job by its exact name is found; the other checks pass", async () => {
        const emu = await emulator();
        const unknown = jobId(99);
        const run = await doctor(clientEnv(emu), "--job", RUNNING, "--job", unknown, "--job", "orders", "--job", "order");
        assert.equal(run.code, 1, run.stdout);
        row(run, `job ${RUNNING}`, "ok");
        assert.match(row(run, `job ${unknown}`, "FAIL"), new RegExp(`not found in project ${emu.projectId} \\(listed db_use_type migration, sync, cloudDataGuard at ${emu.url}\\)`));
        assert.match(row(run, `job "orders" (${CONFIGURED})`, "ok"), /CONFIGURATION \(migration, "orders"\)/);
        assert.match(row(run, `job "order"`, "FAIL"), /neither a DRS job id nor the exact name of a job/);
        const fixes = fixLines(run.stdout);
        assert.equal(fixes.length, 2);
        assert.match(fixes[0], new RegExp(`^fix: job ${unknown}: check the job id, and that drs:projectId / OS_PROJECT_ID and the region`));
        assert.match(run.stdout, /doctor: 2 checks failed/);
    });

    it("a name several jobs share fails listing each of them", async () => {
        const emu = await emulator({ jobs: [...(SEED.jobs ?? []), { id: jobId(4), name: "orders", dbUseType: "sync" }] });
        const run = await doctor(clientEnv(emu), "--job", "orders");
        assert.equal(run.code, 1, run.stdout);
        assert.match(
            row(run, `job "orders"`, "FAIL"),
            new RegExp(`2 jobs have this name: ${jobId(4)} \\(CONFIGURATION, sync\\), ${CONFIGURED} \\(CONFIGURATION, migration\\)|2 jobs have this name: ${CONFIGURED} \\(CONFIGURATION, migration\\), ${jobId(4)} \\(CONFIGURATION, sync\\)`),
        );
    });

    it("no endpoint and no credentials: each missing setting says what to set", async () => {
        const noEndpoint = await doctor({ OS_PROJECT_ID: DEFAULT_PROJECT_ID });
        assert.equal(noEndpoint.code, 1);
        assert.match(row(noEndpoint, "endpoint", "FAIL"), /No DRS endpoint/);
        const emu = await emulator();
        const noCredentials = await doctor({ DRS_ENDPOINT: emu.url, OS_PROJECT_ID: emu.projectId, OS_USERNAME: DEFAULT_USER.name });
        assert.equal(noCredentials.code, 1);
        row(noCredentials, "credentials", "FAIL");
        assert.match(fixLines(noCredentials.stdout)[0], /No DRS credentials: .*missing: drs:password \/ OS_PASSWORD, drs:domainName \/ OS_DOMAIN_NAME, drs:authUrl/);
    });

    it("--help prints the usage (exit 0); an unknown command or option exits 2", async () => {
        const help = await runCli(["--help"], cleanEnv(), cwd);
        assert.equal(help.code, 0);
        for (const part of ["npx pulumi-drs doctor", "--job <id or name>", "--stack <name>", "--json", "Exit code"]) assert.ok(help.stdout.includes(part), part);
        assert.equal((await runCli(["lint"], cleanEnv(), cwd)).code, 2);
        assert.equal((await runCli(["doctor", "--jobs", "x"], cleanEnv(), cwd)).code, 2);
        assert.equal((await runCli(["doctor", "--stack", "dev"], cleanEnv(), cwd)).code, 1, "--stack without a Pulumi project fails the settings check");
    });
});
