import * as pulumi from "@pulumi/pulumi";
import { DrsJobStart } from "pulumi-drs";

const config = new pulumi.Config();

// The job must exist in DRS and be fully configured (status CONFIGURATION).
// Credentials and project come from OS_* environment variables (see README).
const start = new DrsJobStart("orders-replication", {
    jobId: config.get("jobId") ?? "140b5236-88ad-43c8-811c-1268453jb101",
    dbUseType: "migration",
    pollIntervalSeconds: config.getNumber("pollIntervalSeconds") ?? 10,
    timeoutSeconds: config.getNumber("timeoutSeconds") ?? 3600,
});

export const jobId = start.jobId;
export const status = start.status; // "INCRE_TRANSFER_STARTED"
export const name = start.name;
export const progress = start.progress;
export const increTransDelaySeconds = start.increTransDelaySeconds;
