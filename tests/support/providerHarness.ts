import { clientEnv, type Emulator, type EmulatorOptions, startEmulator } from "../../emulator";
import { type DrsJobStartInputs, DrsJobStartProvider } from "../../provider";
import { jobsApiFor } from "../../provider/settings";
import type { Environment } from "../../provider/stackConfig";
import type { TransportOptions } from "../../provider/drs/http";
import { FAST_TRANSPORT } from "./fastTransport";

/** An emulator plus a provider wired to it with password auth and fast retries. */
export interface Harness {
    readonly emu: Emulator;
    readonly env: Environment;
    readonly provider: DrsJobStartProvider;
    /** Progress lines the provider reported. */
    readonly progressLines: string[];
    /** Runs `action` `delayMs` after the emulator first accepted a batch-starting (the job is then being waited on). */
    afterStart(action: () => void, delayMs: number): void;
    /** Runs `check` and returns the checked inputs, failing on any failure. */
    checked(news: Partial<DrsJobStartInputs>): Promise<DrsJobStartInputs>;
}

/** Starts an emulator and a provider for it. */
export async function startHarness(options: EmulatorOptions = {}, extraEnv: Record<string, string> = {}, transport: TransportOptions = FAST_TRANSPORT): Promise<Harness> {
    const emu = await startEmulator(options);
    const env = clientEnv(emu, extraEnv);
    const progressLines: string[] = [];
    const provider = new DrsJobStartProvider({ env: () => env, progress: (line) => progressLines.push(line), jobs: (inputs, e) => jobsApiFor(inputs, e, transport) });
    return {
        emu,
        env,
        provider,
        progressLines,
        afterStart(action, delayMs) {
            const check = setInterval(() => {
                if (emu.count("batch-starting") === 0) return;
                clearInterval(check);
                setTimeout(action, delayMs);
            }, 10);
        },
        async checked(news) {
            const result = await provider.check({} as DrsJobStartInputs, { pollIntervalSeconds: 0.05, ...news } as DrsJobStartInputs);
            if (result.failures?.length) throw new Error(`check failed: ${JSON.stringify(result.failures)}`);
            return result.inputs!;
        },
    };
}
