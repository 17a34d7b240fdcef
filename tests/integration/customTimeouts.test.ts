import { strict as assert } from "node:assert";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ResourceProviderClient, ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { pluginService } from "../../plugin/server";
import { useCleanups } from "../support/cleanups";
import { jobId } from "../support/env";
import { startHarness } from "../support/providerHarness";

const URN = "urn:pulumi:dev::p::drs:index:JobStart::job";

/** The plugin's gRPC service over a harness's provider core, and a client of it. */
async function servedPlugin(cleanups: (() => unknown)[], fullTransferMs: number) {
    const harness = await startHarness({ jobs: [{ id: jobId(1) }], timings: { startingMs: 50, fullTransferMs, fullCompleteMs: 50 } });
    cleanups.push(() => harness.emu.close());
    const server = new grpc.Server();
    server.addService(ResourceProviderService, pluginService({ core: harness.provider, schema: "{}", version: "0.0.0", cancel: () => {} }));
    const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    cleanups.push(() => {
        client.close();
        server.forceShutdown();
    });
    /** A Create as the engine sends it, with `timeout` (seconds) from customTimeouts.create; resolves with its error or fails. */
    const create = async (news: Record<string, unknown>, timeout: number): Promise<grpc.ServiceError> => {
        const inputs = await harness.checked(news);
        const request = new provproto.CreateRequest()
            .setUrn(URN)
            .setProperties(Struct.fromJavaScript(inputs as never))
            .setTimeout(timeout);
        return new Promise((resolve, reject) => client.create(request, (error) => (error ? resolve(error) : reject(new Error("the create succeeded")))));
    };
    /** An Update as the engine sends it after a failed create, with `timeout` from customTimeouts.update; resolves with its error or fails. */
    const update = (olds: Record<string, unknown>, news: Record<string, unknown>, timeout: number): Promise<grpc.ServiceError> => {
        const request = new provproto.UpdateRequest()
            .setUrn(URN)
            .setId(String(olds.jobId))
            .setOlds(Struct.fromJavaScript(olds as never))
            .setNews(Struct.fromJavaScript(news as never))
            .setTimeout(timeout);
        return new Promise((resolve, reject) => client.update(request, (error) => (error ? resolve(error) : reject(new Error("the update succeeded")))));
    };
    return { harness, create, update };
}

/** The ErrorResourceInitFailed detail of a failed Create: the state the engine records. */
function recordedState(error: grpc.ServiceError): Record<string, unknown> | undefined {
    const raw = error.metadata.get("grpc-status-details-bin")[0];
    if (!raw) return undefined;
    const detail = Status.deserializeBinary(raw as Buffer).getDetailsList()[0];
    return detail && (provproto.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8()).getProperties()?.toJavaScript() as Record<string, unknown>);
}

describe("plugin door: customTimeouts (the engine's timeout on Create) bound the wait", function () {
    this.timeout(30_000);
    const cleanups = useCleanups(afterEach);

    it("a 1 s customTimeouts.create ends the wait of a job 7 s from its target after about 1 s, naming the bound; the state is recorded", async () => {
        const { harness, create } = await servedPlugin(cleanups, 7_000);
        const began = Date.now();
        const error = await create({ jobId: jobId(1), timeoutSeconds: 3600 }, 1);
        const tookMs = Date.now() - began;
        assert.match(error.details, new RegExp(`DRS job ${jobId(1)}: did not reach INCRE_TRANSFER_STARTED within 1 s \\(customTimeouts\\.create ran out\\)`));
        assert.match(error.details, /keeps running in DRS and its state is recorded.*not started a second time.*raise customTimeouts\.create/);
        assert.ok(tookMs >= 900 && tookMs < 3_000, `failed after ${tookMs} ms`);
        assert.equal(recordedState(error)?.status, "FULL_TRANSFER_STARTED");
        assert.equal(harness.emu.count("batch-starting"), 1);
    });

    it("a smaller timeoutSeconds wins over customTimeouts and is the bound named", async () => {
        const { create } = await servedPlugin(cleanups, 7_000);
        const error = await create({ jobId: jobId(1), timeoutSeconds: 1 }, 30);
        assert.match(error.details, /within 1 s; last status seen/);
        assert.doesNotMatch(error.details, /customTimeouts/);
        assert.match(error.details, /raise timeoutSeconds/);
    });

    it("customTimeouts.update bounds the update that waits on after a timed-out create, which starts nothing again", async () => {
        const { harness, create, update } = await servedPlugin(cleanups, 7_000);
        const news = await harness.checked({ jobId: jobId(1), timeoutSeconds: 3600 });
        const first = await create({ jobId: jobId(1), timeoutSeconds: 3600 }, 1);
        const recorded = recordedState(first);
        assert.ok(recorded);
        const error = await update(recorded, news as unknown as Record<string, unknown>, 1);
        assert.match(error.details, /within 1 s \(customTimeouts\.update ran out\)/);
        assert.equal(harness.emu.count("batch-starting"), 1);
    });
});
