import { declaredStatus, DEFAULT_START_GRACE_SECONDS, hasDrifted, JOB_STATUS_INPUT, observedJobStatus, startOverdue } from "./drift";
import { ensureRunning, searchScope, describe, RunOptions } from "./ensureRunning";
import { consoleSink, ProgressSink } from "./progressReport";
import { CheckedInputs, DrsJobStartInputs, DrsJobStartOutputs, JobState } from "./inputs";
import { IN_PLACE_KEYS, REPLACE_KEYS } from "./jobStartProperties";
import { JobsApi } from "./jobs/jobsApi";
import { credentialsInUse, jobsApiFor } from "./settings";
import { applyStackConfig, ConfigureRequest, effectiveEnvironment, Environment } from "./stackConfig";
import { checkInputs, hasUnknowns, InputFailure, RawInputs, strip } from "./validate";
import { Clock, systemClock } from "./wait/clock";
import { jobStatusFamily } from "./wait/jobStatusFamily";

/** What the provider depends on; defaults are the real ones. Tests inject their own. */
export interface ProviderDeps {
    /** Settings read at call time (default: `drs:*` stack config over `process.env`). */
    readonly env?: () => Environment;
    /** Clock of the wait loop and of start-time validation. */
    readonly clock?: Clock;
    /** The DRS access for checked inputs (default: the process-wide coalescing one for their endpoint, project and identity). */
    readonly jobs?: (inputs: CheckedInputs, env: Environment) => JobsApi;
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
    readonly #jobs: (inputs: CheckedInputs, env: Environment) => JobsApi;
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
        return { inputs: checkedWithDeclaration(outcome.inputs) };
    }

    /**
     * Another job (id, project, region, endpoint) replaces; wait options change
     * in place; a recorded status outside the targets (drift, seen by a
     * refresh or left by a failed update) is an update. No API call.
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
        const replaces = REPLACE_KEYS.filter(differs);
        for (const key of replaces) detailedDiff[key] = change(key, true);
        for (const key of IN_PLACE_KEYS.filter(differs)) detailedDiff[key] = change(key, false);
        const targets = Array.isArray(n.targetStatuses) ? (n.targetStatuses as string[]) : [];
        if (targets.length > 0 && (hasDrifted(o.status, targets) || startOverdue(o.status, o.startTime, this.#clock.now(), this.#startGraceMs()))) {
            detailedDiff[JOB_STATUS_INPUT] = "update";
        }
        return { changes: Object.keys(detailedDiff).length > 0, replaces, detailedDiff };
    }

    /** Starts the job (or adopts it when it already runs) and waits for a target status. */
    async create(inputs: DrsJobStartInputs): Promise<CreateResult> {
        const checked = this.#checked(inputs);
        const state = await ensureRunning(this.#jobsFor(checked), checked, this.#clock, inputs as unknown as EngineProps, undefined, this.#reporting());
        return { id: checked.jobId, outs: outputs(checked, state) };
    }

    /**
     * Refreshes from the tenant job list; a job DRS no longer lists (or lists
     * as DELETED) is reported gone. The inputs returned carry the status seen
     * when it lies outside the targets, so the next preview shows the drift.
     */
    async read(id: string, props?: DrsJobStartOutputs): Promise<ReadResult> {
        const checked = this.#checked({ ...(props ?? {}), jobId: id } as DrsJobStartInputs, props);
        const api = this.#jobsFor(checked);
        const job = await api.findJob(id, searchScope(checked));
        if (!job || jobStatusFamily(job.status, checked.targetStatuses) === "gone") return {};
        const state = await describe(api, job, props?.startedAt);
        const overdue = startOverdue(state.status, checked.startTime, this.#clock.now(), this.#startGraceMs());
        const inputs = { ...checked, [JOB_STATUS_INPUT]: observedJobStatus(state.status, checked.targetStatuses, overdue ? checked.startTime : undefined) };
        return { id, props: outputs(checked, state), inputs };
    }

    /**
     * Applies new wait options and acts on drift as create would: fails for a
     * failed, paused or stopped job (state keeps the status seen), starts a
     * job back in CONFIGURATION once, waits for one in flight.
     */
    async update(_id: string, olds: DrsJobStartOutputs, news: DrsJobStartInputs): Promise<UpdateResult> {
        const checked = this.#checked(news, olds);
        const previous: JobState = { status: olds.status, startedAt: olds.startedAt };
        const state = await ensureRunning(this.#jobsFor(checked), checked, this.#clock, { ...olds, ...news }, previous, this.#reporting());
        return { outs: outputs(checked, state) };
    }

    /** DRS jobs are not owned by this resource: deleting it leaves the job running. */
    async delete(): Promise<void> {
        return;
    }

    /** Progress reporting (the sink, and `DRS_PROGRESS_SECONDS`, default 30, between lines of one phase), the cancel signal and the start grace. */
    #reporting(): RunOptions {
        const seconds = Number(this.#env().DRS_PROGRESS_SECONDS);
        return { sink: this.#progress, everyMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined, signal: this.#signal, startGraceMs: this.#startGraceMs() };
    }

    /** `DRS_START_GRACE_SECONDS` (default {@link DEFAULT_START_GRACE_SECONDS}): how long after its startTime a waiting job is a missed start. */
    #startGraceMs(): number {
        const raw = this.#env().DRS_START_GRACE_SECONDS;
        const seconds = raw ? Number(raw) : NaN;
        return (Number.isFinite(seconds) && seconds >= 0 ? seconds : DEFAULT_START_GRACE_SECONDS) * 1000;
    }

    /** The DRS access for `inputs`; the first call for an endpoint, project and identity says which credentials it uses. */
    #jobsFor(inputs: CheckedInputs): JobsApi {
        const env = this.#env();
        const line = `drs: calling ${inputs.endpoint} for project ${inputs.projectId} with ${credentialsInUse(env) ?? "no credentials"}`;
        if (!namedIdentities.has(line)) {
            namedIdentities.add(line);
            (this.#progress ?? consoleSink)(line);
        }
        return this.#jobs(inputs, env);
    }

    /** Inputs as `check` left them; re-checked so old state and imports get the same defaults. */
    #checked(inputs: DrsJobStartInputs, olds?: Partial<DrsJobStartInputs>): CheckedInputs {
        // Existing state: its start time was valid when set, so it is compared against itself.
        const outcome = checkInputs((olds ?? inputs) as unknown as RawInputs, inputs as unknown as RawInputs, this.#env(), this.#clock.now());
        if (!outcome.ok) throw new Error(`Invalid DrsJobStart inputs for job ${String(inputs.jobId)}: ${outcome.failures.map((f) => f.reason).join(" ")}`);
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

/** Checked inputs as the engine stores them: with the declared {@link JOB_STATUS_INPUT}. */
function checkedWithDeclaration(inputs: CheckedInputs): DrsJobStartInputs {
    return { ...inputs, [JOB_STATUS_INPUT]: declaredStatus(inputs.targetStatuses) };
}

function outputs(inputs: CheckedInputs, state: JobState): DrsJobStartOutputs {
    return strip({ ...inputs, ...state });
}
