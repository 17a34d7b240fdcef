import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { clientEnv, type Emulator, startEmulator } from "../../emulator";
import type { DrsJobStartInputs } from "../../provider";
import * as providerShim from "../../sdk/providerShim";
import { jobId } from "../support/env";
import { makeProgramDir } from "../../scripts/engine";

/** Secrets planted in the environment while serializing: none may end up in the text. */
const PLANTED = { OS_PASSWORD: "planted-password-5f1e", OS_TOKEN: "planted-token-9c2a", OS_SECRET_KEY: "planted-sk-77d1" };

describe("serialized provider (as the SDK stores it in __provider)", () => {
    let text: string;
    let emu: Emulator;
    const saved = { ...process.env };

    before(async () => {
        Object.assign(process.env, PLANTED);
        // Exactly what pulumi.dynamic.Resource does with its provider.
        const serialized = await pulumi.runtime.serializeFunction(() => providerShim, { allowSecrets: true });
        text = serialized.text;
        process.env = { ...saved };
        emu = await startEmulator({ jobs: [{ id: jobId(1) }] });
    });
    after(async () => {
        process.env = saved;
        await emu.close();
    });

    it("holds no credential text", () => {
        for (const secret of Object.values(PLANTED)) assert.ok(!text.includes(secret), "serialized provider leaks a planted credential");
        assert.doesNotMatch(text, /process\.env/);
    });

    it("is small and loads the implementation by package name", () => {
        assert.ok(text.length < 4096, `serialized provider is ${text.length} bytes`);
        assert.match(text, /require\("pulumi-drs\/provider"\)/);
        assert.doesNotMatch(text, /node-fetch|p-retry|batch-status/, "the implementation must not be inlined");
    });

    it("runs the installed provider when loaded from a program directory", async () => {
        const program = makeProgramDir();
        try {
            const file = path.join(program.dir, "__provider.js");
            fs.writeFileSync(file, text);
            const provider = (require(file) as { handler(): pulumi.dynamic.ResourceProvider }).handler();
            Object.assign(process.env, clientEnv(emu));
            const checked = await provider.check!({}, { jobId: jobId(1), pollIntervalSeconds: 0.05 } as DrsJobStartInputs);
            assert.equal(checked.failures, undefined);
            const created = await provider.create(checked.inputs);
            assert.equal(created.outs.status, "INCRE_TRANSFER_STARTED");
        } finally {
            process.env = { ...saved };
            program.remove();
        }
    });
});
