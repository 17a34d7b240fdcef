import * as pulumi from "@pulumi/pulumi";
import { type DbUseType, DrsJobStart, type PauseMode, type RunState } from "pulumi-drs";

/** One job of the set the maintenance window pauses, as listed in the `jobs` stack config. */
interface ReplicatedJob {
    name: string;
    jobId: string;
    dbUseType?: DbUseType;
}

const config = new pulumi.Config();
const jobs = config.getObject<ReplicatedJob[]>("jobs") ?? [
    { name: "orders-replication", jobId: "140b5236-88ad-43c8-811c-1268453jb101", dbUseType: "migration" },
    { name: "customers-sync", jobId: "14d88eeb-ee7e-4d30-a46e-a5ec8eajb101", dbUseType: "sync" },
];

// The one flag a pipeline flips: `paused` when the source database's maintenance window
// opens, `running` (the default) when it closes. The provider checks the value.
const runState = config.get<RunState>("runState") ?? "running";
// `target` (default): replay stops, log capture goes on, so the resume catches up.
const pauseMode = config.get<PauseMode>("pauseMode");
const pollIntervalSeconds = config.getNumber("pollIntervalSeconds") ?? 10;

// Every pause (and every resume) of one `pulumi up` shares one DRS call per 100 jobs:
// run it with --parallel >= the number of jobs.
const replications = jobs.map((job) => new DrsJobStart(job.name, { jobId: job.jobId, dbUseType: job.dbUseType, runState, pauseMode, pollIntervalSeconds, timeoutSeconds: 3600 }));

export const declaredRunState = runState;
export const statuses = pulumi.all(replications.map((r) => pulumi.all([r.name, r.status]))).apply((pairs) => Object.fromEntries(pairs));
export const pausedSince = pulumi.all(replications.map((r) => pulumi.all([r.name, r.pausedAt]))).apply((pairs) => Object.fromEntries(pairs.filter(([, at]) => at !== undefined)));
