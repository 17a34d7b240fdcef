import * as pulumi from "@pulumi/pulumi";
import type { DbUseType, PhaseProgress } from "../provider/drs/wire";
import type { WaitFor } from "../provider/wait/jobStatusFamily";
import * as providerShim from "./providerShim";
import { warnIgnoredTimeouts } from "./ignoredTimeouts";

/** Arguments of a {@link DrsJobStart}. */
export interface DrsJobStartArgs {
    /** Id of an existing, fully configured DRS job, e.g. `140b5236-88ad-43c8-811c-1268453jb101`. Set this or `jobName`. Changing it replaces the resource. */
    readonly jobId?: pulumi.Input<string>;
    /**
     * The job's name as the DRS console shows it, matched exactly: an
     * alternative to `jobId` (set one of them). Looked up once, at create,
     * in the `dbUseType` given (else all three); no job of that name, or
     * several, fails and starts nothing. The id found is kept as the `jobId`
     * output and used from then on: a job renamed in DRS shows as a change
     * on refresh, and another job taking the name is never adopted.
     * Changing it replaces the resource.
     */
    readonly jobName?: pulumi.Input<string>;
    /** Project id (32 hex chars). Default: `OS_PROJECT_ID`. Changing it replaces the resource. */
    readonly projectId?: pulumi.Input<string>;
    /** Region, e.g. `eu-de`. Default: `OS_REGION_NAME`. Changing it replaces the resource. */
    readonly region?: pulumi.Input<string>;
    /** `otc` (Open Telekom Cloud, default) or `huaweicloud`: picks the endpoint templates. Default: `DRS_CLOUD`, else `otc`. Changing it replaces the resource. */
    readonly cloud?: pulumi.Input<"otc" | "huaweicloud">;
    /** DRS base URL. Default: `DRS_ENDPOINT`, else `https://drs.{region}.otc.t-systems.com`. Changing it replaces the resource. */
    readonly endpoint?: pulumi.Input<string>;
    /** Allow a plain-http endpoint that is not loopback (TLS is otherwise required; loopback is always allowed). Default false. */
    readonly allowInsecureEndpoint?: pulumi.Input<boolean>;
    /** Scenario of the job (`migration`, `sync`, `cloudDataGuard`); when absent, lookups search all three. */
    readonly dbUseType?: pulumi.Input<DbUseType>;
    /** Scheduled start: ms epoch, ISO 8601 string or Date; must be in the future. Absent = start now. */
    readonly startTime?: pulumi.Input<number | string | Date>;
    /**
     * How far the job must get before `pulumi up` moves on: `scheduled`
     * (DRS accepted the start at `startTime` and waits for it; needs
     * `startTime`), `transferStarted` (the full transfer began: for
     * multi-terabyte loads that outlast a CI runner), `fullTransferComplete`
     * (the full copy is done), or `replicating` (incremental replication
     * runs; the default). A later status satisfies an earlier milestone.
     * Without `scheduled`, a `startTime` days ahead keeps `pulumi up` waiting
     * until the start and beyond. Set this or `targetStatuses`, not both.
     */
    readonly waitFor?: pulumi.Input<WaitFor>;
    /** Statuses that count as running, for cases `waitFor` does not cover (e.g. `CHILD_TRANSFER_COMPLETE`). Default `["INCRE_TRANSFER_STARTED"]`. */
    readonly targetStatuses?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Whether DRS creates a data comparison task when the job finishes
     * (`is_auto_create_compare`, sent with the start). Absent: DRS's own
     * default, which is true. Only read when this resource starts the job.
     */
    readonly isAutoCreateCompare?: pulumi.Input<boolean>;
    /** Fail the update if no target status is reached within this many seconds (after the scheduled start). Default 3600. */
    readonly timeoutSeconds?: pulumi.Input<number>;
    /** Seconds between status polls. Default 10; fractions down to 0.05 are allowed. */
    readonly pollIntervalSeconds?: pulumi.Input<number>;
}

/**
 * Starts an Open Telekom Cloud DRS job and waits until it replicates
 * (`INCRE_TRANSFER_STARTED` by default). A job that already runs is adopted
 * without a start call; deleting the resource leaves the job running.
 *
 * Credentials come from the environment of `pulumi up` (`OS_TOKEN`, or
 * `OS_AUTH_URL`/`OS_USERNAME`/`OS_PASSWORD`/`OS_DOMAIN_NAME`) and are never
 * stored in state.
 */
export class DrsJobStart extends pulumi.dynamic.Resource {
    /** The DRS job id (also the resource id): as given, or the one `jobName` was resolved to. */
    declare readonly jobId: pulumi.Output<string>;
    /** The name the job was looked up by, when it was given by name. */
    declare readonly jobName: pulumi.Output<string | undefined>;
    /** The project the job lives in. */
    declare readonly projectId: pulumi.Output<string>;
    /** The region, when one was given or found in `OS_REGION_NAME`. */
    declare readonly region: pulumi.Output<string | undefined>;
    /** The cloud whose endpoint templates apply, when given or found in `DRS_CLOUD`. */
    declare readonly cloud: pulumi.Output<"otc" | "huaweicloud" | undefined>;
    /** The DRS endpoint used. */
    declare readonly endpoint: pulumi.Output<string>;
    /** True when a plain-http endpoint that is not loopback was allowed. */
    declare readonly allowInsecureEndpoint: pulumi.Output<boolean | undefined>;
    /** The scenario, when given. */
    declare readonly dbUseType: pulumi.Output<DbUseType | undefined>;
    /** Scheduled start, ms epoch. */
    declare readonly startTime: pulumi.Output<number | undefined>;
    /** The milestone waited for, when given. */
    declare readonly waitFor: pulumi.Output<WaitFor | undefined>;
    /** Statuses that count as running (from `waitFor` when that was given). */
    declare readonly targetStatuses: pulumi.Output<string[]>;
    /** The comparison choice sent with the start, when given. */
    declare readonly isAutoCreateCompare: pulumi.Output<boolean | undefined>;
    /** Wait timeout in seconds. */
    declare readonly timeoutSeconds: pulumi.Output<number>;
    /** Poll interval in seconds. */
    declare readonly pollIntervalSeconds: pulumi.Output<number>;
    /** The job's DRS status, e.g. `INCRE_TRANSFER_STARTED`. */
    declare readonly status: pulumi.Output<string>;
    /** The job's name in DRS. */
    declare readonly name: pulumi.Output<string | undefined>;
    /** `FULL_TRANS`, `INCR_TRANS` or `FULL_INCR_TRANS`. */
    declare readonly taskMode: pulumi.Output<string | undefined>;
    /** Full transfer progress, 0..100. */
    declare readonly progress: pulumi.Output<number | undefined>;
    /** Full transfer progress per phase (`structure`, `data`, `index`), 0..100 each, where DRS reports it. */
    declare readonly phaseProgress: pulumi.Output<PhaseProgress | undefined>;
    /** DRS's estimate of the remaining time, as DRS reports it. */
    declare readonly remainingTime: pulumi.Output<string | undefined>;
    /** Incremental replication delay in seconds (absent when DRS reports none). */
    declare readonly increTransDelaySeconds: pulumi.Output<number | undefined>;
    /** Incremental replication delay in milliseconds, where DRS reports it. */
    declare readonly increTransDelayMillis: pulumi.Output<number | undefined>;
    /** What DRS allows on the job (e.g. `PAUSE`, `STOP`), where DRS reports it: read on adoption and refresh, absent right after a start. */
    declare readonly availableActions: pulumi.Output<string[] | undefined>;
    /** The action DRS is running on the job, where DRS reports it. */
    declare readonly currentAction: pulumi.Output<string | undefined>;
    /** DRS error code of a failed job. */
    declare readonly errorCode: pulumi.Output<string | undefined>;
    /** DRS error message of a failed job. */
    declare readonly errorMessage: pulumi.Output<string | undefined>;
    /** ISO time at which this resource started the job; absent for adopted jobs. */
    declare readonly startedAt: pulumi.Output<string | undefined>;

    /** Declares a DRS job, by `jobId` or `jobName`, that must be started and replicating. */
    constructor(name: string, args: DrsJobStartArgs, opts?: pulumi.CustomResourceOptions) {
        // Dates are not Pulumi values (pulumi.output() would flatten one to {}): send ISO strings.
        const startTime = args.startTime === undefined ? undefined : isoStartTime(args.startTime);
        super(
            providerShim,
            name,
            {
                ...args,
                startTime,
                // Seeded so their outputs exist when the program leaves them out (the provider fills the defaults, and the id of a name).
                jobId: args.jobId,
                jobName: args.jobName,
                waitFor: args.waitFor,
                targetStatuses: args.targetStatuses,
                isAutoCreateCompare: args.isAutoCreateCompare,
                status: undefined,
                name: undefined,
                taskMode: undefined,
                progress: undefined,
                phaseProgress: undefined,
                remainingTime: undefined,
                increTransDelaySeconds: undefined,
                increTransDelayMillis: undefined,
                availableActions: undefined,
                currentAction: undefined,
                errorCode: undefined,
                errorMessage: undefined,
                startedAt: undefined,
            },
            opts,
            "drs",
            "DrsJobStart",
        );
        warnIgnoredTimeouts(name, opts, this);
    }
}

/** A start time input with any Date turned into an ISO string, before Pulumi serializes it. */
function isoStartTime(value: pulumi.Input<number | string | Date>): pulumi.Input<number | string> {
    const iso = (t: number | string | Date) => (t instanceof Date ? t.toISOString() : t);
    return pulumi.Output.isInstance(value) ? value.apply(iso) : Promise.resolve(value).then(iso);
}
