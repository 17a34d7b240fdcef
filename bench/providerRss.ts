/**
 * Peak resident memory of the provider process a CLI run spawns, sampled
 * from /proc (Linux): the descendants of the CLI whose command line matches,
 * their `VmHWM` (the kernel's own high-water mark, so a short peak between
 * samples is not missed) read until the CLI exits.
 */
import * as fs from "node:fs";

/** Parent pid of `pid`, from /proc/<pid>/stat; undefined once it is gone. */
function parentOf(pid: number): number | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        // Fields after the command name, which may hold spaces and parentheses: "state ppid ...".
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
        return undefined;
    }
}

/** Every live descendant of `root`. */
function descendants(root: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        const pid = Number(entry);
        if (!Number.isInteger(pid)) continue;
        const parent = parentOf(pid);
        if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
    }
    const out: number[] = [];
    for (let open = [root]; open.length > 0; ) {
        const next = open.flatMap((pid) => children.get(pid) ?? []);
        out.push(...next);
        open = next;
    }
    return out;
}

/** `VmHWM` of `pid` in KB when its command line matches `pattern`; undefined otherwise or once it is gone. */
function peakKb(pid: number, pattern: RegExp): number | undefined {
    try {
        if (!pattern.test(fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " "))) return undefined;
        const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return hwm ? Number(hwm[1]) : undefined;
    } catch {
        return undefined;
    }
}

/** A running sample of the provider processes under one CLI process. */
export interface RssSampler {
    /** Stops sampling; the highest peak seen among matching processes, in MB (NaN when none was seen, e.g. not on Linux). */
    stop(): number;
}

/** Samples every `everyMs` the peak RSS of the descendants of `root` whose command line matches `pattern`. */
export function sampleProviderRss(root: number, pattern: RegExp, everyMs = 200): RssSampler {
    let maxKb = Number.NaN;
    const sample = () => {
        if (!fs.existsSync("/proc/self/stat")) return;
        for (const pid of descendants(root)) {
            const kb = peakKb(pid, pattern);
            if (kb !== undefined && !(kb <= maxKb)) maxKb = kb;
        }
    };
    const timer = setInterval(sample, everyMs);
    return {
        stop() {
            clearInterval(timer);
            return maxKb / 1024;
        },
    };
}
