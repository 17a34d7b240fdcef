/**
 * One benchmark case in its own process, so CPU and RSS are the provider's
 * alone: creates N DrsJobStart resources at once through the real provider
 * (as the engine's provider host does) against the emulator named in the
 * environment, then prints JSON: when each create resolved, CPU and peak RSS.
 */
import { type DrsJobStartInputs, DrsJobStartProvider } from "../provider";
import { CoalescingJobsApi } from "../provider/jobs/coalescingJobsApi";
import { jobsApiFor } from "../provider/settings";
import { effectiveEnvironment } from "../provider/stackConfig";

async function main(): Promise<void> {
    const ids = (process.env.BENCH_JOB_IDS ?? "").split(",").filter(Boolean);
    const pollIntervalSeconds = Number(process.env.BENCH_POLL_SECONDS ?? "1");
    // Progress lines would mix with the JSON on stdout; the periodic progress calls still happen.
    const provider = new DrsJobStartProvider({ progress: () => undefined });
    const checked = await Promise.all(ids.map((jobId) => provider.check({} as DrsJobStartInputs, { jobId, pollIntervalSeconds, timeoutSeconds: 600 } as DrsJobStartInputs)));
    const cpuBefore = process.cpuUsage();
    const resolvedAt: Record<string, number> = {};
    const failures: string[] = [];
    await Promise.all(
        checked.map(async ({ inputs }, i) => {
            try {
                await provider.create(inputs!);
                resolvedAt[ids[i]] = Date.now();
            } catch (error) {
                failures.push(String((error as Error).message));
            }
        }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    // The provider's own process-wide coalescer for these jobs (the same instance the creates used).
    const api = checked[0]?.inputs ? jobsApiFor(checked[0].inputs as never, effectiveEnvironment()) : undefined;
    const ticker = api instanceof CoalescingJobsApi ? api.ticker.stats : undefined;
    // Heap still in use once garbage is collected (run with --expose-gc): what the jobs really retain.
    (globalThis as { gc?: () => void }).gc?.();
    const liveHeapMb = process.memoryUsage().heapUsed / 1e6;
    process.stdout.write(JSON.stringify({ resolvedAt, failures, cpuMs: (cpu.user + cpu.system) / 1000, tickCpuMs: ticker ? ticker.cpuMicros / 1000 : undefined, ticks: ticker?.ticks, maxRssKb: process.resourceUsage().maxRSS, liveHeapMb }));
}

main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});
