import * as pulumi from "@pulumi/pulumi";
import { type DbUseType, type DeletePolicy, DrsJobStart, type RunState } from "pulumi-drs";

/** One job of the rollout, as listed in the stack config `jobs`. */
interface RolloutJob {
    name: string;
    jobId: string;
    dbUseType?: DbUseType;
}

const config = new pulumi.Config();

// The same program for every environment; the stack config decides where jobs
// start and when. The policy pack decides whether that is allowed.
const starts = config.requireObject<RolloutJob[]>("jobs").map(
    (job) =>
        new DrsJobStart(job.name, {
            jobId: job.jobId,
            dbUseType: job.dbUseType,
            projectId: config.get("projectId"),
            region: config.get("region"),
            startTime: config.get("startTime"), // production: inside the maintenance window
            isAutoCreateCompare: config.getBoolean("isAutoCreateCompare"), // production: an explicit choice (explicit-compare-choice)
            timeoutSeconds: config.getNumber("timeoutSeconds") ?? 3600,
            pollIntervalSeconds: config.getNumber("pollIntervalSeconds") ?? 10,
            // The provider checks both values. Production: runState changes only inside the
            // maintenance window (run-state-window); deletePolicy never "stop" or "delete" (protected-jobs).
            runState: config.get<RunState>("runState"),
            deletePolicy: config.get<DeletePolicy>("deletePolicy"),
        }),
);

export const statuses = pulumi.all(starts.map((s) => pulumi.all([s.jobId, s.status]))).apply((pairs) => Object.fromEntries(pairs));
