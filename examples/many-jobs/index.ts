import * as pulumi from "@pulumi/pulumi";
import { type DbUseType, DrsJobStart } from "pulumi-drs";

/** One entry of the `jobs` config list. */
interface JobEntry {
    name: string;
    jobId: string;
    dbUseType?: DbUseType;
}

const config = new pulumi.Config();
const jobs = config.getObject<JobEntry[]>("jobs") ?? [
    { name: "orders-replication", jobId: "140b5236-88ad-43c8-811c-1268453jb101", dbUseType: "migration" },
    { name: "customers-sync", jobId: "14d88eeb-ee7e-4d30-a46e-a5ec8eajb101", dbUseType: "sync" },
    { name: "audit-dr", jobId: "d54691d2-f105-434d-a75d-809b017jb101", dbUseType: "cloudDataGuard" },
];

const timeoutSeconds = config.getNumber("timeoutSeconds") ?? 7200;
const pollIntervalSeconds = config.getNumber("pollIntervalSeconds") ?? 15;
// All starts of one `pulumi up` share batch calls: run it with --parallel >= the number of jobs.
const starts = jobs.map((job) => new DrsJobStart(job.name, { jobId: job.jobId, dbUseType: job.dbUseType, timeoutSeconds, pollIntervalSeconds }));

export const statuses = pulumi.all(starts.map((s) => pulumi.all([s.name, s.status]))).apply((pairs) => Object.fromEntries(pairs));
export const slowestDelaySeconds = pulumi.all(starts.map((s) => s.increTransDelaySeconds)).apply((delays) => Math.max(0, ...delays.map((d) => d ?? 0)));
