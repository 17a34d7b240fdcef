import { strict as assert } from "node:assert";
import { DEFAULT_USER } from "../../emulator";
import { FAST, type Fixture, useEngineFixtures } from "../support/e2eFixture";
import { jobId } from "../support/env";

/** Access keys planted in the environment (and known to the emulator): the secret key may surface nowhere. */
const PLANTED = { OS_ACCESS_KEY: "PLANTEDACCESSKEY0001", OS_SECRET_KEY: "planted-secret-key-5f1e9c2a", OS_SECURITY_TOKEN: "planted-security-token-77d1" };
const ACCESS_KEYS = { accessKeys: { [PLANTED.OS_ACCESS_KEY]: { secretKey: PLANTED.OS_SECRET_KEY, securityToken: PLANTED.OS_SECURITY_TOKEN } } };
const SECRET_VALUES = [DEFAULT_USER.password, PLANTED.OS_SECRET_KEY, PLANTED.OS_SECURITY_TOKEN];
const TOKEN_SHAPE = /emu-[0-9a-f]{48}/;

/** Every place a credential could leak to after a run, by name. */
async function surfaces(f: Fixture, engineOutput: string): Promise<Record<string, string>> {
    return {
        "engine output (-v=9 --logtostderr)": engineOutput,
        "stored checkpoint": f.storedState(),
        "stack export": JSON.stringify(JSON.parse(await f.exportState()).resources.filter((r: { type: string }) => r.type.includes("DrsJobStart"))),
        "emulator request log": JSON.stringify(f.emu.calls),
    };
}

function assertClean(where: Record<string, string>, secrets: readonly string[]): void {
    for (const [surface, text] of Object.entries(where)) {
        for (const secret of secrets) assert.ok(!text.includes(secret), `${surface} contains a credential (${secret.slice(0, 4)}…)`);
        assert.doesNotMatch(text, TOKEN_SHAPE, `${surface} contains an IAM token`);
    }
}

describe("no credential anywhere, even at engine log level 9", function () {
    this.timeout(180_000);
    const fixture = useEngineFixtures();

    it("environment credentials (access keys sign every call): engine output, state, export and the emulator log stay clean", async () => {
        const f = await fixture({ jobs: [{ id: jobId(1) }], ...ACCESS_KEYS }, PLANTED);
        await f.setJobs([{ name: "orders", jobId: jobId(1), ...FAST }]);
        const up = await f.stack.up({ logToStdErr: true, logVerbosity: 9 });
        const output = up.stdout + up.stderr;
        const verboseLines = output.split("\n").filter((line) => /"level":"\w+".*"v":[5-9]\b/.test(line)).length;
        assert.ok(verboseLines > 50, `engine logging at -v=9 was on (${verboseLines} verbose lines)`);
        assert.equal(f.emu.count("iam-token"), 0, "the access keys were used");
        assertClean(await surfaces(f, output), SECRET_VALUES);
    });

    it("a failing up at level 9: the error and the logs name the job, not the credentials", async () => {
        const f = await fixture({ jobs: [{ id: jobId(2), startFailure: { errorCode: "DRS.M05010", errorMessage: "Source database unreachable." } }], ...ACCESS_KEYS }, PLANTED);
        await f.setJobs([{ name: "orders", jobId: jobId(2), ...FAST }]);
        const message = await f.stack.up({ logToStdErr: true, logVerbosity: 9 }).then(
            () => "",
            (e: Error) => e.message,
        );
        assert.match(message, /DRS\.M05010/);
        assert.ok(message.includes(jobId(2)));
        assertClean({ "error message": message, ...(await surfaces(f, message)) }, SECRET_VALUES);
    });

    it("secret stack config (drs:password): encrypted on disk, absent from engine output", async () => {
        const f = await fixture({ jobs: [{ id: jobId(1) }] }, { OS_PASSWORD: "wrong-env-password" });
        await f.stack.setConfig("drs:password", { value: DEFAULT_USER.password, secret: true });
        await f.setJobs([{ name: "orders", jobId: jobId(1), ...FAST }]);
        const up = await f.stack.up({ logToStdErr: true, logVerbosity: 9 });
        assert.equal(up.summary.result, "succeeded");
        const where = await surfaces(f, up.stdout + up.stderr);
        delete where["stack export"]; // the Automation API's export decrypts (--show-secrets) by design
        assertClean(where, [DEFAULT_USER.password]);
    });
});
