import * as pulumi from "@pulumi/pulumi";
import { type DbUseType, DrsJobStart } from "pulumi-drs";

/** The jobs of this environment, from `Pulumi.<stack>.yaml` (reviewed in pull requests). */
interface JobEntry {
    name: string;
    jobId: string;
    dbUseType?: DbUseType;
    startTime?: string;
}

const config = new pulumi.Config();
const jobs = config.getObject<JobEntry[]>("jobs") ?? [{ name: "orders-replication", jobId: "140b5236-88ad-43c8-811c-1268453jb101", dbUseType: "migration" }];
// The stack's scheduled start (inside the maintenance window on production), unless a job sets its own.
const startTime = config.get("startTime");
// Production decides whether DRS creates a comparison task (the pack's explicit-compare-choice).
const isAutoCreateCompare = config.getBoolean("isAutoCreateCompare");

// A scheduled start returns once DRS accepted it (WAITING_FOR_START): the runner does not wait
// days for the window. The hourly drift check then reports a job that failed or missed its start.
const starts = jobs.map((job) => {
    const when = job.startTime ?? startTime;
    return new DrsJobStart(job.name, {
        jobId: job.jobId,
        dbUseType: job.dbUseType,
        startTime: when,
        waitFor: when ? "scheduled" : "replicating",
        isAutoCreateCompare,
        timeoutSeconds: 3600,
        pollIntervalSeconds: 30,
    });
});

export const statuses = pulumi.all(starts.map((s) => pulumi.all([s.name, s.status]))).apply((pairs) => Object.fromEntries(pairs));
