/**
 * Preloaded into every Node.js process of a coverage run (`npm test` puts
 * `--require <this file>` in NODE_OPTIONS): V8 writes a process's coverage
 * to NODE_V8_COVERAGE only when it exits on its own, and the Pulumi engine
 * ends its plugins (the dynamic provider host, the `drs` plugin) with SIGINT,
 * then SIGKILL. On SIGINT or SIGTERM this writes the coverage so far
 * (`v8.takeCoverage()`), then lets the signal do what it did before: the
 * process's own handlers run, or, with none, it dies of the signal.
 * Without NODE_V8_COVERAGE it does nothing.
 */
import * as v8 from "node:v8";

/** Writes the coverage so far on `signal`; dies of it when nothing else listens. */
function takeCoverageOn(signal: NodeJS.Signals): void {
    const onSignal = (): void => {
        v8.takeCoverage();
        if (process.listenerCount(signal) > 1) return;
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
    };
    process.prependListener(signal, onSignal);
}

if (process.env.NODE_V8_COVERAGE) {
    takeCoverageOn("SIGINT");
    takeCoverageOn("SIGTERM");
}
