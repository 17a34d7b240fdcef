/**
 * The cleanups of a suite: push one per thing a test leaves behind (a stack,
 * an emulator, a temp dir); `hook` (mocha's `after` or `afterEach`) runs them
 * newest first.
 */
export function useCleanups(hook: (fn: () => Promise<void>) => void = afterEach): (() => unknown)[] {
    const cleanups: (() => unknown)[] = [];
    hook(async () => {
        for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    return cleanups;
}
