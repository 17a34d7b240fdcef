import * as pulumi from "@pulumi/pulumi";
import { DrsJobStart, type DrsJobStartArgs } from "../../sdk";

/** One entry of the `jobs` stack config: a resource name, an optional import id and custom timeouts, whether to export every output, and the resource's args. */
interface JobEntry extends DrsJobStartArgs {
    name: string;
    importId?: string;
    customTimeouts?: pulumi.CustomTimeouts;
    details?: boolean;
}

/** End-to-end test program: one DrsJobStart per entry of the `jobs` stack config; outputs per resource. */
export async function e2eProgram(): Promise<Record<string, unknown>> {
    const outputs: Record<string, unknown> = {};
    for (const { name, importId, customTimeouts, details, ...args } of new pulumi.Config().requireObject<JobEntry[]>("jobs")) {
        const start = new DrsJobStart(name, args, importId || customTimeouts ? { import: importId, customTimeouts } : undefined);
        outputs[name] = { jobId: start.jobId, status: start.status, errorMessage: start.errorMessage };
        if (details) {
            outputs[`${name}Details`] = {
                waitFor: start.waitFor,
                targetStatuses: start.targetStatuses,
                isAutoCreateCompare: start.isAutoCreateCompare,
                phaseProgress: start.phaseProgress,
                remainingTime: start.remainingTime,
                increTransDelayMillis: start.increTransDelayMillis,
                availableActions: start.availableActions,
            };
        }
    }
    return outputs;
}
