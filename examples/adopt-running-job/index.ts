import * as pulumi from "@pulumi/pulumi";
import { DrsJobStart } from "pulumi-drs";

const config = new pulumi.Config();

// A job started by hand (console, another tool) that already replicates.
// Declaring it is enough: `create` finds it in a target status and adopts it
// without calling batch-starting. (The `import` resource option cannot work
// for dynamic providers yet: pulumi/pulumi#3550.)
const running = new DrsJobStart("customers-sync", {
    jobId: config.get("jobId") ?? "14d88eeb-ee7e-4d30-a46e-a5ec8eajb101",
    dbUseType: "sync",
});

export const status = running.status;
// No `startedAt` export: it stays empty for an adopted job (this stack did not start it),
// and Pulumi warns about an undefined stack output.
