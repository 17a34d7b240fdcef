import { strict as assert } from "node:assert";
import { clientEnv, startEmulator } from "../../emulator";
import { DrsJobError, type DrsJobStartInputs, DrsJobStartProvider } from "../../provider";
import { jobsApiFor } from "../../provider/settings";
import { useCleanups } from "../support/cleanups";
import { jobId } from "../support/env";
import { FAST_TRANSPORT } from "../support/fastTransport";
import { until } from "../support/until";

/** A provider core on a fresh emulator whose jobs take 10 minutes to copy, cancelled through `controller`. */
async function cancellable(cleanups: (() => unknown)[]) {
    // The start phase lasts 1 ms: every poll after the start sees the long full transfer.
    const emu = await startEmulator({ jobs: [{ id: jobId(1) }, { id: jobId(2) }], timings: { startingMs: 1, fullTransferMs: 600_000, fullCompleteMs: 50 } });
    cleanups.push(() => emu.close());
    const env = clientEnv(emu);
    const controller = new AbortController();
    const provider = new DrsJobStartProvider({ env: () => env, signal: controller.signal, progress: () => {}, jobs: (inputs, e) => jobsApiFor(inputs, e, FAST_TRANSPORT) });
    const inputs = async (id: string) => (await provider.check({} as DrsJobStartInputs, { jobId: id, pollIntervalSeconds: 0.05 } as DrsJobStartInputs)).inputs;
    return { emu, controller, provider, inputs };
}

describe("provider core: cancel (the plugin door's Cancel)", function () {
    this.timeout(20_000);
    const cleanups = useCleanups(afterEach);

    it("a cancelled create fails at once with the status seen as state (so the next up adopts), and DRS hears no more of it", async () => {
        const { emu, controller, provider, inputs } = await cancellable(cleanups);
        const creating = provider.create(await inputs(jobId(1)));
        await until(() => emu.count("batch-status") >= 2);
        const cancelledAt = Date.now();
        controller.abort(new Error("cancelled by the engine"));
        const error = (await creating.then(
            () => assert.fail("the create finished"),
            (e: unknown) => e,
        )) as DrsJobError;
        assert.ok(error instanceof DrsJobError);
        assert.match(error.message, new RegExp(`DRS job ${jobId(1)}: wait for INCRE_TRANSFER_STARTED cancelled`));
        assert.equal(error.id, jobId(1));
        assert.equal(error.properties?.status, "FULL_TRANSFER_STARTED");
        assert.ok(Date.now() - cancelledAt < 500, "the create ended promptly");
        const callsAtCancel = emu.calls.filter((c) => c.operation !== "control").length;
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.equal(emu.calls.filter((c) => c.operation !== "control").length, callsAtCancel, "no DRS call after the cancel");
        assert.equal(emu.count("batch-starting"), 1);
    });

    it("a create that learns of the cancel before its start sends none, and says nothing was started", async () => {
        const { emu, controller, provider, inputs } = await cancellable(cleanups);
        const checked = await inputs(jobId(2));
        controller.abort(new Error("cancelled by the engine"));
        await assert.rejects(provider.create(checked), (e: unknown) => e instanceof DrsJobError && /cancelled before its start was sent/.test(e.message) && e.id === undefined);
        assert.equal(emu.count("batch-starting"), 0);
    });
});
