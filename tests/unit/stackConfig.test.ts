import { strict as assert } from "node:assert";
import { applyStackConfig, effectiveEnvironment, settingSource } from "../../provider/stackConfig";
import { PasswordTokenSource, StaticTokenSource } from "../../provider/drs/auth";
import { authFor, credentialsInUse } from "../../provider/settings";
import { checkInputs } from "../../provider/validate";

function configure(values: Record<string, string>): void {
    applyStackConfig({ config: { get: (key) => values[key] } });
}

describe("stack config (configure hook)", () => {
    afterEach(() => configure({}));

    it("maps drs:* keys over the OS_* variables", () => {
        configure({ "drs:region": "eu-nl", "drs:password": "from-config", "drs:projectId": "b".repeat(32), "other:key": "x" });
        const env = effectiveEnvironment({ OS_REGION_NAME: "eu-de", OS_PASSWORD: "from-env", OS_USERNAME: "u" });
        assert.equal(env.OS_REGION_NAME, "eu-nl");
        assert.equal(env.OS_PASSWORD, "from-config");
        assert.equal(env.OS_PROJECT_ID, "b".repeat(32));
        assert.equal(env.OS_USERNAME, "u", "keys absent from config fall back to the environment");
    });

    it("keeps inputs first: input > stack config > environment", () => {
        configure({ "drs:region": "eu-nl", "drs:projectId": "b".repeat(32) });
        const env = effectiveEnvironment({ OS_REGION_NAME: "eu-de", OS_PROJECT_ID: "c".repeat(32) });
        const fromConfig = checkInputs(undefined, { jobId: "140b5236-88ad-43c8-811c-1268453jb101" }, env, 0);
        assert.ok(fromConfig.ok);
        assert.equal(fromConfig.inputs.region, "eu-nl");
        assert.equal(fromConfig.inputs.projectId, "b".repeat(32));
        const fromInput = checkInputs(undefined, { jobId: "140b5236-88ad-43c8-811c-1268453jb101", region: "eu-ch2" }, env, 0);
        assert.ok(fromInput.ok);
        assert.equal(fromInput.inputs.region, "eu-ch2");
    });

    it("maps access keys and the cloud; credentials resolve token > access keys > password", () => {
        configure({ "drs:accessKey": "AKCONFIG", "drs:secretKey": "sk-config", "drs:securityToken": "st", "drs:cloud": "huaweicloud" });
        const env = effectiveEnvironment({ OS_ACCESS_KEY: "AKENV", OS_USERNAME: "u", OS_PASSWORD: "p", OS_DOMAIN_NAME: "d" });
        assert.equal(env.OS_ACCESS_KEY, "AKCONFIG");
        const target = { projectId: "b".repeat(32), region: "eu-west-101", endpoint: "https://x" };
        assert.deepEqual(authFor(target, env), { accessKey: "AKCONFIG", secretKey: "sk-config", securityToken: "st" });
        assert.ok(authFor(target, { ...env, OS_TOKEN: "tok" }) instanceof StaticTokenSource, "a token wins within one source");
        assert.equal(env.OS_USERNAME, undefined, "the stack config names access keys: the environment's IAM user is not read");
        const checked = checkInputs(undefined, { jobId: "140b5236-88ad-43c8-811c-1268453jb101", projectId: "b".repeat(32), region: "ap-southeast-1" }, env, 0);
        assert.ok(checked.ok);
        assert.equal(checked.inputs.endpoint, "https://drs.ap-southeast-1.myhuaweicloud.com", "drs:cloud picks the Huawei Cloud template");
        const bad = checkInputs(undefined, { jobId: "140b5236-88ad-43c8-811c-1268453jb101", projectId: "b".repeat(32), region: "eu-de", cloud: "aws" }, env, 0);
        assert.ok(!bad.ok && bad.failures[0].property === "cloud");
    });

    describe("which identity runs: stack config names the credential kind as a whole, the environment only completes it", () => {
        const target = { projectId: "b".repeat(32), region: "eu-de", endpoint: "https://x" };
        const password = { "drs:username": "cfg-user", "drs:password": "cfg-pass", "drs:domainName": "cfg-domain" };
        const envKeys = { OS_ACCESS_KEY: "AKENV", OS_SECRET_KEY: "sk-env" };
        const envPassword = { OS_USERNAME: "env-user", OS_PASSWORD: "env-pass", OS_DOMAIN_NAME: "env-domain" };
        const kindOf = (auth: unknown) => (auth instanceof StaticTokenSource ? "token" : auth instanceof PasswordTokenSource ? "password" : "accessKeys");
        const cases: [string, Record<string, string>, Record<string, string>, string][] = [
            ["config password, env access keys", password, envKeys, "password"],
            ["config password, env token", password, { OS_TOKEN: "env-token" }, "password"],
            ["config access keys, env password", { "drs:accessKey": "AKCFG", "drs:secretKey": "sk-cfg" }, envPassword, "accessKeys"],
            ["config access keys, env token", { "drs:accessKey": "AKCFG", "drs:secretKey": "sk-cfg" }, { OS_TOKEN: "env-token" }, "accessKeys"],
            ["config token, env access keys and password", { "drs:token": "cfg-token" }, { ...envKeys, ...envPassword }, "token"],
            ["config user and domain, env password: the kind from config, its password from the env", { "drs:username": "cfg-user", "drs:domainName": "cfg-domain" }, { ...envKeys, OS_PASSWORD: "env-pass" }, "password"],
            ["no credentials in config, env access keys and password: the environment's order", { "drs:region": "eu-de" }, { ...envKeys, ...envPassword }, "accessKeys"],
            ["no credentials in config, env token and access keys", {}, { ...envKeys, OS_TOKEN: "env-token" }, "token"],
        ];
        for (const [name, config, env, expected] of cases) {
            it(`${name}: ${expected}`, () => {
                configure(config);
                const effective = effectiveEnvironment({ OS_AUTH_URL: "https://iam.test/v3", ...env });
                assert.equal(kindOf(authFor(target, effective)), expected);
                // The progress line names the same kind, where it was read, and no secret.
                const said = credentialsInUse(effective) ?? "";
                assert.match(said, { token: /^an IAM token \(/, password: /^IAM user \S+ of domain \S+ \(/, accessKeys: /^access keys \(/ }[expected]!);
                const secrets = Object.entries({ ...config, ...env }).filter(([key]) => /password|PASSWORD|secret|SECRET|token|TOKEN|accessKey|ACCESS_KEY/.test(key));
                for (const [key, value] of secrets) assert.ok(!said.includes(value), `${key}'s value in "${said}"`);
            });
        }

        it("names where the identity was read, never the secret", () => {
            configure({ "drs:username": "cfg-user", "drs:domainName": "cfg-domain" });
            assert.equal(settingSource("OS_USERNAME"), "drs:username stack config");
            assert.equal(settingSource("OS_PASSWORD"), "OS_PASSWORD");
            assert.equal(credentialsInUse(effectiveEnvironment({ OS_PASSWORD: "env-pass" })), "IAM user cfg-user of domain cfg-domain (drs:username stack config, OS_PASSWORD, drs:domainName stack config)");
        });
    });

    it("ignores empty values", () => {
        configure({ "drs:region": "" });
        assert.equal(effectiveEnvironment({ OS_REGION_NAME: "eu-de" }).OS_REGION_NAME, "eu-de");
    });
});
