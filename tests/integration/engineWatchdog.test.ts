import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { clientEnv, type Emulator, startEmulator } from "../../emulator";
import { ENGINE_GONE_EXIT_CODE } from "../../provider/engineWatchdog";
import { makeProgramDir } from "../../scripts/engine";
import * as providerShim from "../../sdk/providerShim";
import { jobId } from "../support/env";
import { type ProviderHost, provproto, rpc, startProviderHost, struct } from "../support/providerHost";
import { until } from "../support/until";

const URN = "urn:pulumi:test::drs-test::pulumi-nodejs:dynamic/drs:DrsJobStart::orders";

describe("provider host whose engine goes away (real @pulumi/pulumi/cmd/dynamic-provider)", function () {
    this.timeout(60_000);
    let emu: Emulator;
    let host: ProviderHost;
    let program: ReturnType<typeof makeProgramDir>;

    before(async () => {
        emu = await startEmulator({ jobs: [{ id: jobId(1), name: "orders" }], timings: { startingMs: 50, fullTransferMs: 600_000, fullCompleteMs: 50 } });
        program = makeProgramDir();
        host = await startProviderHost(program.dir, clientEnv(emu), { engineLink: true });
    });
    after(async () => {
        await host?.stop();
        program?.remove();
        await emu?.close();
    });

    it("exits at once, naming why, when its stdin pipe closes mid-wait", async () => {
        const serialized = (await pulumi.runtime.serializeFunction(() => providerShim, { allowSecrets: true })).text;
        const configure = new provproto.ConfigureRequest();
        configure.setArgs(struct({}));
        await rpc<provproto.ConfigureResponse>((cb) => host.client.configure(configure, cb));
        const check = new provproto.CheckRequest();
        check.setUrn(URN);
        check.setOlds(struct({}));
        check.setNews(struct({ __provider: serialized, jobId: jobId(1), pollIntervalSeconds: 0.05, timeoutSeconds: 3600 }));
        const inputs = (await rpc<provproto.CheckResponse>((cb) => host.client.check(check, cb))).getInputs()!;
        const create = new provproto.CreateRequest();
        create.setUrn(URN);
        create.setProperties(inputs);
        const waiting = rpc<provproto.CreateResponse>((cb) => host.client.create(create, cb)).then(
            () => "finished",
            (e: Error) => e.message,
        );
        await until(() => emu.count("batch-status") >= 3);

        const closedAt = Date.now();
        host.closeEngineLink();
        const code = await host.exited;
        const stoppedAfterMs = Date.now() - closedAt;
        assert.equal(code, ENGINE_GONE_EXIT_CODE);
        assert.ok(stoppedAfterMs < 2_000, `exited ${stoppedAfterMs} ms after its engine link closed`);
        assert.match(host.output(), /pulumi-drs: the Pulumi engine closed its pipe .*; stopping the provider host/);
        assert.notEqual(await waiting, "finished");
    });
});
