import { declaredStatus, DEFAULT_RECOVERY_GRACE_SECONDS, DEFAULT_START_GRACE_SECONDS, type Graces, JOB_STATUS_INPUT, judgeDrift, maintenanceWarning, observedJobStatus, statusSince } from "./drift";
import { declarationOf, ensureRunning, longPauseWarning, searchScope, describe, type RunOptions } from "./ensureRunning";
import { DrsJobError } from "./jobError";
import { endJob } from "./endJob";
import { decideEnd, decideRun, type DeletePolicy, isSettled } from "./runDecision";
import { consoleSink, type ProgressSink } from "./progressReport";
import type { CheckedInputs, CheckedRequest, DrsJobStartInputs, DrsJobStartOutputs, JobState } from "./inputs";
import { renamedJob, resolveJob } from "./jobName";
import { replaceEndsOwnJob } from "./replaceGuard";
import { IN_PLACE_KEYS, JOB_START_PROPERTIES, type JobStartProperty, type PropertyDeclaration, REPLACE_KEYS } from "./jobStartProperties";
import type { JobsApi } from "./jobs/jobsApi";
import { operationDeadline, type TimedOperation } from "./operationDeadline";
import { credentialsInUse, jobsApiFor } from "./settings";
import { applyStackConfig, type ConfigureRequest, effectiveEnvironment, type Environment } from "./stackConfig";
import { checkInputs, hasUnknowns, type InputFailure, JOB_ID_PATTERN, type RawInputs, strip } from "./validate";
import { type Clock, systemClock } from "./wait/clock";
import { jobStatusFamily, PAUSED_STATUSES } from "./wait/jobStatusFamily";

/** What the provider depends on; defaults are the real ones. Tests inject their own. */
export interface ProviderDeps {
    /** Settings read at call time (default: `drs:*` stack config over `process.env`). */
    readonly env?: () => Environment;
    /** Clock of the wait loop and of start-time validation. */
    readonly clock?: Clock;
    /** The DRS access for checked inputs (default: the process-wide coalescing one for their endpoint, project and identity). */
    readonly jobs?: (inputs: CheckedRequest, env: Environment) => JobsApi;
    /** Where progress lines of long waits go (default: stdout, shown by the CLI under Diagnostics). */
    readonly progress?: ProgressSink;
    /** Aborted when the engine cancels the deployment: every wait ends at once (the plugin door's Cancel). */
    readonly signal?: AbortSignal;
}

/** The result of {@link DrsJobStartProvider.check}: the checked inputs, or what is wrong with them. */
export interface CheckResult {
    readonly inputs: DrsJobStartInputs;
    readonly failures?: InputFailure[];
}

/** How one property changes in an update (the plugin protocol's detailed diff). */
export type PropertyChange = "add" | "addReplace" | "update" | "updateReplace" | "delete" | "deleteReplace";

/** The result of {@link DrsJobStartProvider.diff}. */
export interface DiffResult {
    /** Whether an update (or replace) is needed. */
    readonly changes: boolean;
    /** The inputs whose change replaces the resource. */
    readonly replaces: string[];
    /** Every input that moved, and how; drift shows as a change of `jobStatus`. */
    readonly detailedDiff: Readonly<Record<string, PropertyChange>>;
}

/** The result of {@link DrsJobStartProvider.create}. */
export interface CreateResult {
    readonly id: string;
    readonly outs: DrsJobStartOutputs;
}

/** The result of {@link DrsJobStartProvider.read}: empty when the job is gone. */
export interface ReadResult {
    readonly id?: string;
    readonly props?: DrsJobStartOutputs;
    /** The inputs that lead to this state (import and refresh store them). */
    readonly inputs?: DrsJobStartInputs;
}

/** The result of {@link DrsJobStartProvider.update}. */
export interface UpdateResult {
    readonly outs: DrsJobStartOutputs;
}

/** What the engine says about one create, update or delete beyond its properties. */
export interface OperationOptions {
    /** The resource's `customTimeouts` for this operation, in seconds (the plugin protocol's `timeout`; 0 or absent: none). */
    readonly timeoutSeconds?: number;
}

/** The engine's `__provider` key and any other extra keys ride along in state. */
type EngineProps = Readonly<Record<string, unknown>>;

/**
 * The DrsJobStart provider core: starts a DRS job and waits until it
 * replicates. Both doors call it: the dynamic provider's serialized shim
 * (`pulumi-drs` sdk) and the `drs` resource plugin; it knows neither.
 * Holds no credential: the environment is read on every call.
 * Constructible with no arguments.
 */
export class DrsJobStartProvider {
    readonly #env: () => Environment;
    readonly #clock: Clock;
    readonly #jobs: (inputs: CheckedRequest, env: Environment) => JobsApi;
    readonly #progress?: ProgressSink;
    readonly #signal?: AbortSignal;

    constructor(deps: ProviderDeps = {}) {
        this.#env = deps.env ?? (() => effectiveEnvironment());
        this.#clock = deps.clock ?? systemClock;
        this.#jobs = deps.jobs ?? ((inputs, env) => jobsApiFor(inputs, env));
        this.#progress = deps.progress;
        this.#signal = deps.signal;
    }

    /** Receives the stack config: `drs:*` keys override the matching `OS_*` variables. */
    async configure(req: ConfigureRequest): Promise<void> {
        applyStackConfig(req);
    }

    /** Validates every input and applies defaults, and adds the declared `jobStatus`; makes no API call. */
    async check(olds: DrsJobStartInputs, news: DrsJobStartInputs): Promise<CheckResult> {
        const raw = news as unknown as RawInputs;
        // Computed values are unknown during preview; the engine checks again once they are known.
        if (hasUnknowns(raw)) return { inputs: news };
        const outcome = checkInputs(olds as unknown as RawInputs, raw, this.#env(), this.#clock.now());
        if (!outcome.ok) return { inputs: news, failures: outcome.failures };
        const endsOwnJob = replaceEndsOwnJob(olds as unknown as RawInputs, outcome.inputs as unknown as RawInputs);
        if (endsOwnJob) return { inputs: news, failures: [endsOwnJob] };
        return { inputs: checkedWithDeclaration(outcome.inputs) };
    }

    /**
     * Another job (id, project, region, endpoint) replaces; wait options and
     * the run state change in place; a recorded status the declaration does
     * not accept (drift, seen by a refresh or left by a failed update) is an
     * update. No API call: a line says which DRS call an update will make,
     * and which job a replace will stop or delete (deletePolicy).
     */
    async diff(_id: string, olds: DrsJobStartOutputs, news: DrsJobStartInputs): Promise<DiffResult> {
        const o = olds as unknown as RawInputs;
        const n = news as unknown as RawInputs;
        const differs = (key: string) => JSON.stringify(o[key]) !== JSON.stringify(n[key]);
        const detailedDiff: Record<string, PropertyChange> = {};
        const change = (key: string, replace: boolean): PropertyChange => {
            const kind = o[key] === undefined ? "add" : n[key] === undefined ? "delete" : "update";
            return replace ? `${kind}Replace` : kind;
        };
        // A job given by name: jobId is the output it resolved to, not an input to compare.
        const byName = n.jobName !== undefined && n.jobId === undefined;
        // The job stays the same (named by its recorded DRS name, or by the same id): a change of jobName alone is then made in place.
        const sameJob = byName ? typeof o.name === "string" && n.jobName === o.name : n.jobId !== undefined && n.jobId === o.jobId;
        const replaces = REPLACE_KEYS.filter((key) => differs(key) && !(byName && key === "jobId") && !(sameJob && key === "jobName"));
        for (const key of replaces) detailedDiff[key] = change(key, true);
        for (const key of IN_PLACE_KEYS.filter(differs)) detailedDiff[key] = change(key, false);
        if (sameJob && differs("jobName")) detailedDiff.jobName = change("jobName", false);
        const targets = Array.isArray(n.targetStatuses) ? (n.targetStatuses as string[]) : [];
        // The job was renamed in DRS (a refresh read its name): an update, which fails naming the rename.
        if (byName && o.jobName === n.jobName && typeof o.name === "string" && o.name !== n.jobName) detailedDiff.jobName = "update";
        const runState = news.runState;
        if (targets.length > 0 && judgeDrift(o, targets, this.#clock.now(), this.#graces(), runState).kind === "drift") {
            detailedDiff[JOB_STATUS_INPUT] = "update";
        }
        const say = this.#progress ?? consoleSink;
        const jobId = String(olds.jobId ?? news.jobId);
        if (replaces.length > 0) {
            const policy = olds.deletePolicy ?? "leave";
            if (policy !== "leave")
                say(`drs job ${jobId}: warning: replacing this resource (${replaces.join(", ")} changed) ends this job once the new one is up (deletePolicy ${policy}): pulumi up ${decideEnd(olds.status, policy).plan}; a stopped job can never be resumed`);
        } else if (targets.length > 0 && typeof olds.status === "string" && olds.status !== "" && Object.keys(detailedDiff).some((key) => key !== "deletePolicy")) {
            const decision = decideRun({ status: olds.status }, { ...declarationOf(news as unknown as CheckedInputs), targetStatuses: targets });
            if (decision.call && decision.call !== "batch-starting") say(`drs job ${jobId}: ${olds.status}: pulumi up ${decision.plan}`);
        }
        const warning = differs("deletePolicy") ? deletePolicyWarning(jobId, news.deletePolicy) : undefined;
        if (warning) say(warning);
        return { changes: Object.keys(detailedDiff).length > 0, replaces, detailedDiff };
    }

    /**
     * Starts the job (or adopts it when it already runs; or holds it with
     * `runState: paused`) and waits for its declared state. A job given by
     * `jobName` is found first: exactly one job of that name, or nothing is
     * started.
     */
    async create(inputs: DrsJobStartInputs, operation: OperationOptions = {}): Promise<CreateResult> {
        const run = this.#reporting("create", operation);
        const request = this.#checked(inputs);
        const api = this.#jobsFor(request);
        const checked = await resolveJob(api, request);
        const warning = deletePolicyWarning(checked.jobId, checked.deletePolicy);
        if (warning) (this.#progress ?? consoleSink)(warning);
        // A failure that leaves the job running records it under its id, the name's resolution included.
        const state = await this.#sinceTracked(undefined, () => ensureRunning(api, checked, this.#clock, { ...inputs, jobId: checked.jobId } as unknown as EngineProps, undefined, run));
        return { id: checked.jobId, outs: outputs(checked, state) };
    }

    /**
     * Refreshes from the tenant job list; a job DRS no longer lists (or lists
     * as DELETED) is reported gone. The inputs returned carry the status seen
     * when the declaration does not accept it, so the next preview shows the
     * drift; DRS's own maintenance of a running job is not drift until it
     * outlasts its grace (a warning names it meanwhile). `statusSince` keeps
     * the time the status was first seen. A job paused for more than about
     * 24 h gets a warning.
     */
    async read(id: string, props?: DrsJobStartOutputs): Promise<ReadResult> {
        // `pulumi import ... <job name>`: an import reads with no state, and an id that is not a job id is a name.
        const imported = props === undefined && !JOB_ID_PATTERN.test(id);
        const request = this.#checked((imported ? { jobName: id } : { ...(props ?? {}), jobId: id }) as DrsJobStartInputs, props);
        const api = this.#jobsFor(request);
        const checked = await resolveJob(api, request);
        const job = await api.findJob(checked.jobId, searchScope(checked));
        if (!job || jobStatusFamily(job.status, checked.targetStatuses) === "gone") return {};
        const now = this.#clock.now();
        const state = { ...(await describe(api, job, props?.startedAt)), statusSince: statusSince(job.status, props, now) };
        const verdict = judgeDrift({ ...state, startTime: checked.startTime }, checked.targetStatuses, now, this.#graces(), checked.runState);
        if (verdict.kind === "maintenance") (this.#progress ?? consoleSink)(maintenanceWarning(checked.jobId, verdict, checked.targetStatuses));
        // A job given by name keeps only its name among the inputs (the program's view); jobId stays an output.
        const given = checked.jobName !== undefined ? { ...checked, jobId: undefined } : checked;
        const inputs = strip({ ...given, [JOB_STATUS_INPUT]: observedJobStatus(verdict, checked.targetStatuses, checked.runState) });
        return { id: checked.jobId, props: outputs(checked, { ...state, ...this.#lifecycleState(state.status, checked, props) }), inputs };
    }

    /**
     * Applies new inputs and brings the job to its declared state as create
     * would: pauses, resumes, retries (retryFailed) or starts once, waits,
     * or fails naming the job (state keeps the status seen). A change of
     * `deletePolicy` alone (no drift) calls nothing in DRS.
     */
    async update(id: string, olds: DrsJobStartOutputs, news: DrsJobStartInputs, operation: OperationOptions = {}): Promise<UpdateResult> {
        const run = this.#reporting("update", operation);
        const request = this.#checked(news, olds);
        // A job given by name is the one state holds (its id): the name is never looked up again.
        const checked: CheckedInputs = { ...request, jobId: request.jobId ?? id };
        const o = olds as unknown as RawInputs;
        const n = checked as unknown as RawInputs;
        const changed = IN_PLACE_KEYS.filter((key) => JSON.stringify(o[key]) !== JSON.stringify(n[key]));
        if (changed.length > 0 && changed.every((key) => key === "deletePolicy") && typeof olds.status === "string" && isSettled(decideRun({ status: olds.status }, declarationOf(checked)))) {
            return { outs: outputs(checked, stateOfOutputs(olds)) };
        }
        const api = this.#jobsFor(checked);
        if (checked.jobName !== undefined) {
            const job = await api.findJob(checked.jobId, searchScope(checked));
            const renamed = job && renamedJob(checked, job);
            if (renamed) throw renamed;
        }
        const previous: JobState = strip({ status: olds.status, startedAt: olds.startedAt, statusSince: olds.statusSince, pausedAt: olds.pausedAt });
        const state = await this.#sinceTracked(previous, () => ensureRunning(api, checked, this.#clock, { ...olds, ...news, jobId: checked.jobId }, previous, run));
        return { outs: outputs(checked, state) };
    }

    /**
     * Ends the job as `deletePolicy` says: `leave` (the default) calls
     * nothing and the job keeps running; `stop` terminates it; `delete`
     * stops it by force and deletes it (see {@link endJob}).
     */
    async delete(id: string, olds?: DrsJobStartOutputs, operation: OperationOptions = {}): Promise<void> {
        const policy = olds?.deletePolicy ?? "leave";
        if (policy === "leave") return;
        const checked = { ...this.#checked({ ...olds, jobId: id } as DrsJobStartInputs, olds), jobId: id };
        await endJob(this.#jobsFor(checked), checked, policy, this.#clock, this.#reporting("delete", operation));
    }

    /** `pausedAt` and `held` for a refresh: kept from state while the job stays paused (or held), with the long-pause warning. */
    #lifecycleState(status: string, checked: CheckedInputs, props?: DrsJobStartOutputs): Pick<JobState, "pausedAt" | "held"> {
        if ((PAUSED_STATUSES as readonly string[]).includes(status)) {
            const pausedAt = props?.pausedAt ?? new Date(this.#clock.now()).toISOString();
            const warning = longPauseWarning(checked.jobId, pausedAt, this.#clock.now());
            if (warning) (this.#progress ?? consoleSink)(warning);
            return { pausedAt };
        }
        return props?.held && decideRun({ status }, declarationOf(checked)).action === "hold" ? { held: true } : {};
    }

    /**
     * The options of one operation's waits: progress reporting (the sink, and
     * `DRS_PROGRESS_SECONDS`, default 30, between lines of one phase), the
     * cancel signal, the start grace, and the engine's deadline for the
     * operation (`customTimeouts`), counted from now.
     */
    #reporting(kind: TimedOperation, operation: OperationOptions = {}): RunOptions {
        const seconds = Number(this.#env().DRS_PROGRESS_SECONDS);
        const deadline = operationDeadline(kind, operation.timeoutSeconds, this.#clock.now());
        return { sink: this.#progress, everyMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined, signal: this.#signal, startGraceMs: this.#graces().startGraceMs, deadline };
    }

    /**
     * `DRS_START_GRACE_SECONDS` (default {@link DEFAULT_START_GRACE_SECONDS}): how long after its startTime a waiting job is a missed start;
     * `DRS_RECOVERY_GRACE_SECONDS` (default {@link DEFAULT_RECOVERY_GRACE_SECONDS}): how long DRS's maintenance of a running job is not drift.
     * Both also as stack config (`drs:startGraceSeconds`, `drs:recoveryGraceSeconds`).
     */
    #graces(): Graces {
        const env = this.#env();
        return { startGraceMs: secondsSetting(env.DRS_START_GRACE_SECONDS, DEFAULT_START_GRACE_SECONDS) * 1000, recoveryGraceMs: secondsSetting(env.DRS_RECOVERY_GRACE_SECONDS, DEFAULT_RECOVERY_GRACE_SECONDS) * 1000 };
    }

    /**
     * Runs a create or update and adds `statusSince` to the state it ends
     * with, or to the state a failure keeps (kept from `previous` while the
     * status is the same).
     */
    async #sinceTracked(previous: JobState | undefined, run: () => Promise<JobState>): Promise<JobState> {
        let state: JobState;
        try {
            state = await run();
        } catch (error) {
            const status = error instanceof DrsJobError ? error.properties?.status : undefined;
            if (error instanceof DrsJobError && typeof status === "string") error.recordAlso({ statusSince: statusSince(status, previous, this.#clock.now()) });
            throw error;
        }
        return { ...state, statusSince: statusSince(state.status, previous, this.#clock.now()) };
    }

    /** The DRS access for `inputs`; the first call for an endpoint, project and identity says which credentials it uses. */
    #jobsFor(inputs: CheckedRequest): JobsApi {
        const env = this.#env();
        const line = `drs: calling ${inputs.endpoint} for project ${inputs.projectId} with ${credentialsInUse(env) ?? "no credentials"}`;
        if (!namedIdentities.has(line)) {
            namedIdentities.add(line);
            (this.#progress ?? consoleSink)(line);
        }
        return this.#jobs(inputs, env);
    }

    /** Inputs as `check` left them; re-checked so old state and imports get the same defaults. */
    #checked(inputs: DrsJobStartInputs, olds?: Partial<DrsJobStartInputs>): CheckedRequest {
        // Existing state: its start time was valid when set, so it is compared against itself; a job given by name carries its id too.
        const outcome = checkInputs((olds ?? inputs) as unknown as RawInputs, inputs as unknown as RawInputs, this.#env(), this.#clock.now(), { stored: true });
        if (!outcome.ok) throw new Error(`Invalid DrsJobStart inputs for job ${String(inputs.jobId ?? inputs.jobName)}: ${outcome.failures.map((f) => f.reason).join(" ")}`);
        return outcome.inputs;
    }
}

/**
 * The "which credentials" lines this process printed (they name sources and
 * the IAM user, never a secret): once per endpoint, project and identity,
 * however many resources or provider instances (one per call on the dynamic
 * door) use them.
 */
const namedIdentities = new Set<string>();

/** A number of seconds from a setting, or `fallback` when it is absent or not a number of seconds. */
function secondsSetting(raw: string | undefined, fallback: number): number {
    const seconds = raw ? Number(raw) : NaN;
    return Number.isFinite(seconds) && seconds >= 0 ? seconds : fallback;
}

/** Checked inputs as the engine stores them: with the declared {@link JOB_STATUS_INPUT}. */
function checkedWithDeclaration(inputs: CheckedRequest): DrsJobStartInputs {
    return { ...inputs, [JOB_STATUS_INPUT]: declaredStatus(inputs.targetStatuses, inputs.runState) };
}

/** The line that says what a destroy or replace will do to the job, for `stop` and `delete` (none for `leave`). */
export function deletePolicyWarning(jobId: string, policy: DeletePolicy | undefined): string | undefined {
    if (policy !== "stop" && policy !== "delete") return undefined;
    const what = policy === "stop" ? "stop the job for good (batch-jobs terminate)" : "stop the job by force and delete it from DRS (batch-jobs force_terminate, then delete)";
    return `drs job ${jobId}: warning: deletePolicy ${policy}: pulumi destroy (or a replace of this resource) will ${what}; a stopped job can never be resumed`;
}

/** The job's state as recorded in outputs (the output-only properties). */
function stateOfOutputs(olds: DrsJobStartOutputs): JobState {
    const entries = Object.entries(JOB_START_PROPERTIES) as [JobStartProperty, PropertyDeclaration][];
    const keys = entries.filter(([, p]) => p.role === "output").map(([name]) => name);
    return Object.fromEntries(keys.map((key) => [key, (olds as unknown as Record<string, unknown>)[key]])) as unknown as JobState;
}

function outputs(inputs: CheckedInputs, state: JobState): DrsJobStartOutputs {
    return strip({ ...inputs, ...state });
}
