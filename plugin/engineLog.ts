import * as grpc from "@grpc/grpc-js";
import { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogRequest, LogSeverity } from "@pulumi/pulumi/proto/engine_pb";
import type { ProgressSink } from "../provider/progressReport";

/** The job id a progress line names (`drs job <id>: ...`). */
const JOB_OF_LINE = /^drs job ([^\s:]+):/;

/** The severity of a progress line: a warning when it says so (`drs job <id>: warning: ...`), else info. */
export function severityOf(line: string): LogSeverity {
    return /^drs job [^\s:]+: warning: /.test(line) ? LogSeverity.WARNING : LogSeverity.INFO;
}

/**
 * Progress lines of the plugin door, sent to the engine's Log service with
 * the URN of the resource whose job they name, so the CLI shows them beside
 * that resource. The engine hides a resource plugin's stdout (it keeps it
 * for debug logs only), so console output would never reach the user.
 */
export class EngineLog {
    readonly #client?: EngineClient;
    readonly #urns = new Map<string, string>();

    /** `address`: the engine's, the plugin's first argument; without it lines go to stdout. */
    constructor(address: string | undefined) {
        if (address) this.#client = new EngineClient(address, grpc.credentials.createInsecure());
    }

    /** Records that operations on `jobId` belong to the resource `urn`. */
    track(jobId: unknown, urn: string): void {
        if (typeof jobId === "string" && jobId !== "") this.#urns.set(jobId, urn);
    }

    /** The core's progress sink: one message per line (info, or a warning: {@link severityOf}), on the resource of the job it names. */
    readonly sink: ProgressSink = (line) => {
        if (!this.#client) {
            console.log(line);
            return;
        }
        const urn = this.#urns.get(JOB_OF_LINE.exec(line)?.[1] ?? "") ?? "";
        const request = new LogRequest().setSeverity(severityOf(line)).setMessage(line).setUrn(urn);
        // A line the engine cannot take is lost, never a failure of the operation.
        this.#client.log(request, () => undefined);
    };
}
