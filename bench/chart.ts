/**
 * The bench chart: DRS calls per job and p95 detection latency against N,
 * coalesced vs naive, log scales; and, when CLI runs were measured, the wall
 * time of each `pulumi up` split into program start, DRS work and engine
 * tail. A Vega-Lite spec rendered headless to SVG.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** One measured case of the bench. */
export interface ChartPoint {
    readonly n: number;
    readonly mode: "naive" | "coalesced";
    readonly callsPerJob: number;
    readonly p95DetectMs: number;
}

/** One part of a CLI run's wall time, e.g. `{ run: "dynamic N=500", part: "engine tail", seconds: 12.3 }`. */
export interface WallPart {
    readonly run: string;
    readonly part: "1 program start" | "2 DRS work" | "3 engine tail";
    readonly seconds: number;
}

/** A stacked bar per CLI run of its wall time parts. */
function wallPanel(parts: readonly WallPart[]): Record<string, unknown> {
    return {
        title: "pulumi up through the CLI: wall time (s)",
        width: 320,
        height: 220,
        data: { values: parts },
        mark: "bar",
        encoding: {
            x: { field: "run", type: "nominal", title: null, axis: { labelAngle: -30 } },
            y: { field: "seconds", type: "quantitative", title: "seconds", stack: "zero" },
            color: { field: "part", type: "nominal", title: "part" },
            order: { field: "part" },
        },
    };
}

/** One log-scale line panel of `field` against N, a line per mode. */
function panel(field: keyof ChartPoint, title: string): Record<string, unknown> {
    return {
        title,
        width: 320,
        height: 220,
        mark: { type: "line", point: true },
        encoding: {
            x: { field: "n", type: "quantitative", title: "N (jobs started at once)", scale: { type: "log" } },
            y: { field, type: "quantitative", title, scale: { type: "log" } },
            color: { field: "mode", type: "nominal", title: "mode" },
        },
    };
}

/** Renders the chart of `points` (and of the CLI runs' `wall` parts, when any) as SVG to `file` (creating its folder); returns the file. */
export async function writeChart(points: readonly ChartPoint[], file: string, wall: readonly WallPart[] = []): Promise<string> {
    const vegaLite = await import("vega-lite");
    const vega = await import("vega");
    const spec = {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        title: "pulumi-drs bench: coalesced vs naive",
        hconcat: [
            { data: { values: points.filter((p) => p.callsPerJob > 0 && p.p95DetectMs > 0) }, ...panel("callsPerJob", "DRS calls per job") },
            { data: { values: points.filter((p) => p.callsPerJob > 0 && p.p95DetectMs > 0) }, ...panel("p95DetectMs", "p95 detection latency (ms)") },
            ...(wall.length > 0 ? [wallPanel(wall)] : []),
        ],
    };
    const compiled = vegaLite.compile(spec as never);
    const svg = await new vega.View(vega.parse(compiled.spec), { renderer: "none" }).toSVG();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, svg);
    return file;
}
