import * as fs from "node:fs";
import type { Readable } from "node:stream";

/** Exit code of a provider host that stopped because the engine that started it is gone (sysexits' EX_TEMPFAIL: run again). */
export const ENGINE_GONE_EXIT_CODE = 75;

/** The script the engine runs (through its shell launcher) as the dynamic provider host. */
const HOST_SCRIPT = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/;

/**
 * Whether this process is a dynamic provider host started by the Pulumi
 * engine: its main module is `@pulumi/pulumi/cmd/dynamic-provider` and its
 * stdin is a pipe (a FIFO; a socket pair when Node spawned it). The engine
 * gives every plugin a stdin pipe whose write end it holds until it exits
 * and never writes to. Unit tests, the Automation API runner and hosts
 * started with another stdin (a terminal, /dev/null) do not qualify.
 */
export function isEngineStartedHost(mainFile: string | undefined, stdin: fs.Stats | undefined): boolean {
    return mainFile !== undefined && HOST_SCRIPT.test(mainFile) && stdin !== undefined && (stdin.isFIFO() || stdin.isSocket());
}

/** What fd 0 is, or undefined when it is closed. */
function stdinStats(): fs.Stats | undefined {
    try {
        return fs.fstatSync(0);
    } catch {
        return undefined;
    }
}

/**
 * Calls `onGone` once, with the reason, when `link` (the engine's stdin pipe)
 * reaches end-of-file or fails: the engine process has ended, however it
 * ended (SIGKILL included). Reads and discards anything written. The watch
 * alone never keeps the process alive.
 */
export function watchEngineLink(link: Readable & { unref?: () => void }, onGone: (reason: string) => void): void {
    let fired = false;
    const gone = (reason: string) => {
        if (fired) return;
        fired = true;
        onGone(reason);
    };
    link.on("end", () => gone("the Pulumi engine closed its pipe (the CLI has exited or was killed)"));
    link.on("error", (error: Error) => gone(`the pipe from the Pulumi engine failed (${error.message})`));
    link.resume();
    link.unref?.();
}

let armed = false;

/**
 * Inside a process started by the engine, exits it with
 * {@link ENGINE_GONE_EXIT_CODE} and one line on stderr as soon as the engine
 * is gone, so no wait and no DRS call outlives a killed `pulumi` CLI.
 * `dynamicHost` (default): only inside a dynamic provider host (see
 * {@link isEngineStartedHost}); `plugin`: in the `drs` resource plugin,
 * whenever its stdin is the engine's pipe. Elsewhere does nothing.
 * Idempotent: the first call decides.
 */
export function armEngineWatchdog(process_: "dynamicHost" | "plugin" = "dynamicHost"): void {
    if (armed) return;
    armed = true;
    const stdin = stdinStats();
    const started = process_ === "plugin" ? stdin !== undefined && (stdin.isFIFO() || stdin.isSocket()) : isEngineStartedHost(require.main?.filename, stdin);
    if (!started) return;
    watchEngineLink(process.stdin, (reason) => {
        try {
            fs.writeSync(2, `pulumi-drs: ${reason}; stopping the ${process_ === "plugin" ? "drs plugin" : "provider host"} and its DRS waits.\n`);
        } catch {
            // stderr went away with the engine: exit all the same.
        }
        process.exit(ENGINE_GONE_EXIT_CODE);
    });
}
