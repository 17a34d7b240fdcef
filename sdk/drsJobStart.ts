import * as pulumi from "@pulumi/pulumi";
import type { DbUseType, PhaseProgress } from "../provider/drs/wire";
import type { WaitFor } from "../provider/wait/jobStatusFamily";
import type { DeletePolicy, RunState } from "../provider/runDecision";
import type { PauseMode } from "../provider/jobs/lifecycleCalls";
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
    /** Project id (32 hex chars). Default: the `drs:projectId` stack config, else `OS_PROJECT_ID`. Changing it replaces the resource. */
    readonly projectId?: pulumi.Input<string>;
    /** Region, e.g. `eu-de`. Default: the `drs:region` stack config, else `OS_REGION_NAME`. Changing it replaces the resource. */
    readonly region?: pulumi.Input<string>;
    /** `otc` (Open Telekom Cloud, default) or `huaweicloud`: picks the endpoint templates. Default: the `drs:cloud` stack config, else `DRS_CLOUD`, else `otc`. Changing it replaces the resource. */
    readonly cloud?: pulumi.Input<"otc" | "huaweicloud">;
    /**
     * DRS base URL. Default: the `drs:endpoint` stack config, else `DRS_ENDPOINT`, else the region's endpoint on
     * the cloud: `https://drs.{region}.otc.t-systems.com`, `https://drs.eu-ch2.sc.otc.t-systems.com` for the
     * Swiss region, or `https://drs.{region}.myhuaweicloud.com` with `cloud: huaweicloud`. Changing it replaces the resource.
     */
    readonly endpoint?: pulumi.Input<string>;
    /** Allow a plain-http endpoint that is not loopback (TLS is otherwise required; loopback is always allowed). Default false. */
    readonly allowInsecureEndpoint?: pulumi.Input<boolean>;
    /** Scenario of the job (`migration`, `sync`, `cloudDataGuard`); when absent, lookups search all three. */
    readonly dbUseType?: pulumi.Input<DbUseType>;
    /**
     * Scheduled start: ms epoch (a number or a string of digits) or an ISO 8601 string such as
     * `2026-12-05T02:00:00+01:00`, in the future and at most 30 days ahead. A JavaScript `Date` works on the
     * TypeScript door (`pulumi-drs`) only; the plugin SDKs take a number or a string. Absent = start now.
     */
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
    /**
     * The state the job is kept in: `running` (the default: a paused job is
     * resumed with batch-retry-task) or `paused` (a running job is paused with
     * batch-pause-task; a job never started is held, not started). A change
     * is an in-place update; DRS showing the other state is drift.
     */
    readonly runState?: pulumi.Input<RunState>;
    /** How `runState: paused` pauses the job: `target` (the default: replay stops, log capture goes on, so a resume catches up) or `all` (capture stops too). */
    readonly pauseMode?: pulumi.Input<PauseMode>;
    /** With `true`, `pulumi up` retries a job in `FULL_TRANSFER_FAILED` or `INCRE_TRANSFER_FAILED` once (batch-retry-task) and waits; a second failure fails the update. Default false: a failed job fails `pulumi up`. */
    readonly retryFailed?: pulumi.Input<boolean>;
    /**
     * What destroying (or replacing) the resource does to the job: `leave`
     * (the default: the job keeps running), `stop` (terminate, wait for
     * `RELEASE_RESOURCE_COMPLETE`) or `delete` (stop by force, then delete the
     * job from DRS). A stopped job can never be resumed. Changing it alone
     * calls nothing in DRS.
     */
    readonly deletePolicy?: pulumi.Input<DeletePolicy>;
}

/**
 * Starts an Open Telekom Cloud DRS job and waits until it replicates
 * (`INCRE_TRANSFER_STARTED` by default). A job that already runs is adopted
 * without a start call. `runState` pauses and resumes it, `retryFailed`
 * retries a failed one, and `deletePolicy` says whether deleting the
 * resource leaves the job running (the default), stops or deletes it.
 *
 * Credentials come from the stack config first (`drs:*` keys, secrets set
 * with `pulumi config set --secret`), then from the environment of `pulumi
 * up`, in this order: an IAM token (`drs:token` / `OS_TOKEN`); access keys
 * that sign every request (`drs:accessKey` + `drs:secretKey`, optionally
 * `drs:securityToken` / `OS_ACCESS_KEY` + `OS_SECRET_KEY`, `OS_SECURITY_TOKEN`);
 * or IAM password auth (`drs:username`, `drs:password`, `drs:domainName` /
 * `OS_USERNAME`, `OS_PASSWORD`, `OS_DOMAIN_NAME`, with `drs:authUrl` /
 * `OS_AUTH_URL` or the region's IAM endpoint). A kind named in the stack
 * config wins over every kind in the environment. They are never stored in
 * state.
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
    /** ISO time since which the job has been in `status`, as far as this stack saw it (first seen by an `up` or a refresh). */
    declare readonly statusSince: pulumi.Output<string | undefined>;
    /** The run state declared, when given. */
    declare readonly runState: pulumi.Output<RunState | undefined>;
    /** The pause mode declared, when given. */
    declare readonly pauseMode: pulumi.Output<PauseMode | undefined>;
    /** Whether a failed job is retried once per `pulumi up`, when given. */
    declare readonly retryFailed: pulumi.Output<boolean | undefined>;
    /** What destroying the resource does to the job, when given. */
    declare readonly deletePolicy: pulumi.Output<DeletePolicy | undefined>;
    /** ISO time at which this resource paused the job, or first saw it paused; absent while it is not paused. A pause older than about 24 h gets a warning (the source's logs may expire). */
    declare readonly pausedAt: pulumi.Output<string | undefined>;
    /** True when `runState: paused` held back a job that was never started (nothing was started). */
    declare readonly held: pulumi.Output<boolean | undefined>;

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
                runState: args.runState,
                pauseMode: args.pauseMode,
                retryFailed: args.retryFailed,
                deletePolicy: args.deletePolicy,
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
                statusSince: undefined,
                pausedAt: undefined,
                held: undefined,
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
