/**
 * The bench chart: DRS calls per job and p95 detection latency against N,
 * coalesced vs naive, log scales; a Vega-Lite spec rendered headless to SVG.
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

/** Renders the chart of `points` as SVG to `file` (creating its folder); returns the file. */
export async function writeChart(points: readonly ChartPoint[], file: string): Promise<string> {
    const vegaLite = await import("vega-lite");
    const vega = await import("vega");
    const spec = {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        title: "pulumi-drs bench: coalesced vs naive",
        data: { values: points.filter((p) => p.callsPerJob > 0 && p.p95DetectMs > 0) },
        hconcat: [panel("callsPerJob", "DRS calls per job"), panel("p95DetectMs", "p95 detection latency (ms)")],
    };
    const compiled = vegaLite.compile(spec as never);
    const svg = await new vega.View(vega.parse(compiled.spec), { renderer: "none" }).toSVG();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, svg);
    return file;
}
