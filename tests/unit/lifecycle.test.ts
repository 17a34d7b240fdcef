import { strict as assert } from "node:assert";
import { DrsJobError, type DrsJobStartInputs, type DrsJobStartOutputs, DrsJobStartProvider } from "../../provider";
import type { StartRequest } from "../../provider/drs/client";
import { DrsApiError } from "../../provider/drs/errors";
import type { JobInfo, JobProgress, JobStatusResult, StartJobResult } from "../../provider/drs/wire";
import { LONG_PAUSE_MS } from "../../provider/ensureRunning";
import { LIFECYCLE_SETTLE_MS } from "../../provider/jobWait";
import type { DeleteType, LifecycleResult, PauseMode } from "../../provider/jobs/lifecycleCalls";
import type { JobsApi } from "../../provider/jobs/jobsApi";
import { REFUSED_ATTEMPTS, REFUSED_BACKOFF_MS } from "../../provider/refusals";
import { jobId } from "../support/env";
import { FakeClock } from "../support/fakeClock";

const J = jobId(24);
const PAUSE_OPERATION = "batch-pause-task";
const PROJECT = "054ba152d480d55b2f5dc0069e7ddef0";

/** What one lifecycle call answers: a result, or a thrown error. */
type Answer = LifecycleResult | Error;
const ok: Answer = { id: J, status: "success" };
const refused = (errorCode: string, errorMessage = "refused by the fake"): Answer => ({ id: J, status: "failed", errorCode, errorMessage });

/**
 * One job whose status moves as a script says: each lifecycle call takes
 * the next scripted answer and, when it succeeds, lines up the statuses
 * later polls show (the last one stays). Every call is recorded by kind.
 */
class ScriptedJob implements JobsApi {
    findJobsNamed(name: string): Promise<JobInfo[]> {
        return Promise.reject(new Error(`unexpected lookup of the name ${name}`));
    }

    readonly calls: string[] = [];
    readonly requestTimeoutMs = 1000;
    #queue: (string | undefined)[] = [];
    #answers: Answer[];
    #after: Readonly<Partial<Record<string, (string | undefined)[]>>>;

    /** `current` undefined: DRS does not list the job. `after`: statuses shown after a successful call, by kind (pause, retry, terminate, ...). */
    constructor(
        public current: string | undefined,
        answers: Answer[] = [],
        after: Partial<Record<string, (string | undefined)[]>> = {},
        private readonly errorCode = "DRS.M09999",
    ) {
        this.#answers = answers;
        this.#after = after;
    }

    count(kind: string): number {
        return this.calls.filter((c) => c === kind).length;
    }

    async findJob(): Promise<JobInfo | undefined> {
        this.calls.push("list");
        return this.current === undefined ? undefined : { id: J, name: "orders", status: this.current, errorMessage: this.current.endsWith("_FAILED") ? `failure seen in ${this.current}` : undefined };
    }
    async start(job: StartRequest): Promise<StartJobResult> {
        this.calls.push("start");
        return { id: job.jobId, status: "success" };
    }
    #seen(): JobStatusResult | undefined {
        return this.current === undefined ? undefined : { id: J, status: this.current, errorCode: this.current.endsWith("_FAILED") ? this.errorCode : undefined };
    }
    async status(): Promise<JobStatusResult | undefined> {
        this.calls.push("status");
        return this.#seen();
    }
    poller(_jobId: string, _intervalMs: number, signal?: AbortSignal): () => Promise<JobStatusResult | undefined> {
        return async () => {
            signal?.throwIfAborted();
            this.calls.push("poll");
            if (this.#queue.length > 0) this.current = this.#queue.shift();
            return this.#seen();
        };
    }
    async progress(): Promise<JobProgress | undefined> {
        return undefined;
    }
    #answer(kind: string): Promise<LifecycleResult> {
        this.calls.push(kind);
        const answer = this.#answers.shift() ?? ok;
        if (answer instanceof Error) return Promise.reject(answer);
        if (answer.status === "success") this.#queue = [...(this.#after[kind] ?? [])];
        return Promise.resolve(answer);
    }
    pause(_jobId: string, mode: PauseMode): Promise<LifecycleResult> {
        return this.#answer(`pause:${mode}`);
    }
    retry(): Promise<LifecycleResult> {
        return this.#answer("retry");
    }
    end(_jobId: string, deleteType: DeleteType): Promise<LifecycleResult> {
        return this.#answer(deleteType);
    }
}

/** A clock whose sleeps never end: only a cancel ends a backoff. */
class StuckClock extends FakeClock {
    override sleep(): Promise<void> {
        return new Promise<void>(() => undefined);
    }
}

/** A provider over `api` with a fake clock, and the lines it printed. */
function setup(api: JobsApi, clock = new FakeClock(), signal?: AbortSignal) {
    const lines: string[] = [];
    const provider = new DrsJobStartProvider({ env: () => ({}), clock, jobs: () => api, progress: (l) => lines.push(l), signal });
    const inputs = async (declared: Partial<DrsJobStartInputs> = {}) => {
        const result = await provider.check({} as DrsJobStartInputs, { jobId: J, projectId: PROJECT, endpoint: "http://127.0.0.1:9", pollIntervalSeconds: 1, ...declared } as DrsJobStartInputs);
        assert.deepEqual(result.failures ?? [], []);
        return result.inputs;
    };
    return { provider, lines, inputs, clock };
}

async function failure(work: Promise<unknown>): Promise<DrsJobError> {
    const outcome = await work.then(
        () => undefined,
        (e: unknown) => e,
    );
    assert.ok(outcome instanceof DrsJobError, `expected a DrsJobError, got ${String(outcome)}`);
    return outcome;
}

const lifecycleCalls = (api: ScriptedJob) => api.calls.filter((c) => !["list", "status", "poll"].includes(c));

describe("the declared lifecycle, through the provider with fake DRS and clock", () => {
    describe("runState", () => {
        it("running -> paused: one batch-pause-task with the pause mode, a wait for PAUSING, pausedAt in the outputs", async () => {
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED", [ok], { "pause:all": ["INCRE_TRANSFER_STARTED", "PAUSING"] });
            const { provider, inputs } = setup(api);
            const news = await inputs({ runState: "paused", pauseMode: "all" });
            const olds = { ...(await inputs()), status: "INCRE_TRANSFER_STARTED" } as DrsJobStartOutputs;
            const diff = await provider.diff(J, olds, news);
            assert.deepEqual([diff.changes, diff.replaces], [true, []], "a change of runState is an in-place update");
            const { outs } = await provider.update(J, olds, news);
            assert.deepEqual(lifecycleCalls(api), ["pause:all"]);
            assert.equal(api.count("poll"), 2);
            assert.equal(outs.status, "PAUSING");
            assert.equal(typeof outs.pausedAt, "string");
            assert.equal((news as unknown as Record<string, unknown>).jobStatus, "PAUSING or not started");
        });

        it("accepts PAUSEING (the OTC pages' spelling) as paused after a pause", async () => {
            const api = new ScriptedJob("FULL_TRANSFER_STARTED", [ok], { "pause:target": ["PAUSEING"] });
            const { provider, inputs } = setup(api);
            const { outs } = await provider.create(await inputs({ runState: "paused" }));
            assert.equal(outs.status, "PAUSEING");
        });

        it("paused -> running: one batch-retry-task (never batch-starting) and a wait for the declared milestone; a status still PAUSING at first is waited through", async () => {
            const api = new ScriptedJob("PAUSING", [ok], { retry: ["PAUSING", "FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE"] });
            const { provider, inputs, lines } = setup(api);
            const news = await inputs({ waitFor: "fullTransferComplete" });
            const olds = { ...(await inputs({ waitFor: "fullTransferComplete", runState: "paused" })), status: "PAUSING", pausedAt: "2026-12-06T00:00:00.000Z" } as DrsJobStartOutputs;
            await provider.diff(J, olds, news);
            assert.ok(
                lines.some((l) => l.includes(`drs job ${J}: PAUSING: pulumi up resumes it (batch-retry-task), then waits for FULL_TRANSFER_COMPLETE`)),
                lines.join("\n"),
            );
            const { outs } = await provider.update(J, olds, news);
            assert.deepEqual(lifecycleCalls(api), ["retry"]);
            assert.equal(outs.status, "FULL_TRANSFER_COMPLETE");
            assert.equal(outs.pausedAt, undefined, "pausedAt goes once the job runs");
        });

        it("a resume after which DRS keeps showing PAUSING fails once the settle window passed, without a second resume", async () => {
            const api = new ScriptedJob("PAUSING", [ok], { retry: ["PAUSING"] });
            const clock = new FakeClock();
            const { provider, inputs } = setup(api, clock);
            const poll = api.poller.bind(api);
            // Each look takes 30 s of the fake clock.
            api.poller = (...args) => {
                const next = poll(...args);
                return async () => {
                    await clock.sleep(30_000);
                    return next();
                };
            };
            const error = await failure(provider.create(await inputs()));
            assert.match(error.message, /is paused in DRS/);
            assert.deepEqual(lifecycleCalls(api), ["retry"]);
            assert.ok(clock.sleeps.reduce((a, b) => a + b, 0) >= LIFECYCLE_SETTLE_MS);
        });

        it("paused on a job never started holds it: nothing is called, held: true; runState running then starts it", async () => {
            const api = new ScriptedJob("CONFIGURATION");
            const { provider, inputs } = setup(api);
            const held = await provider.create(await inputs({ runState: "paused" }));
            assert.equal(held.outs.held, true);
            assert.deepEqual(lifecycleCalls(api), []);
            const read = await provider.read(J, held.outs);
            assert.equal(read.props?.held, true, "a refresh keeps the held flag");
            assert.equal((read.inputs as unknown as Record<string, unknown>).jobStatus, "PAUSING or not started", "a held job is no drift");
            api.current = "CONFIGURATION";
            const poll = api.poller.bind(api);
            api.poller = (...args) => {
                api.current = "INCRE_TRANSFER_STARTED";
                return poll(...args);
            };
            const { outs } = await provider.update(J, held.outs, await inputs());
            assert.deepEqual(lifecycleCalls(api), ["start"]);
            assert.equal(outs.held, undefined);
            assert.equal(typeof outs.startedAt, "string");
        });

        it("drift both ways: a paused declaration with a replicating job, and a running one with a paused job", async () => {
            for (const [runState, status, declared] of [
                ["paused", "INCRE_TRANSFER_STARTED", "PAUSING or not started"],
                ["running", "PAUSING", "INCRE_TRANSFER_STARTED"],
            ] as const) {
                const api = new ScriptedJob(status);
                const { provider, inputs } = setup(api);
                const news = await inputs({ runState });
                const read = await provider.read(J, { ...news, status: declared } as unknown as DrsJobStartOutputs);
                const recorded = (read.inputs as unknown as Record<string, unknown>).jobStatus;
                assert.equal(recorded, status, `${runState}: the refresh records the status seen`);
                assert.notEqual(recorded, (news as unknown as Record<string, unknown>).jobStatus);
                assert.equal((await provider.diff(J, read.props!, news)).changes, true);
            }
        });

        it("a pause DRS refuses (DRS.M00304) fails naming job, code and what to do; busy is re-sent with the start's backoff", async () => {
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED", [refused("DRS.M01504"), refused("DRS.M00304", "This operation cannot be performed in the current task status")]);
            const { provider, inputs, clock } = setup(api);
            const error = await failure(provider.create(await inputs({ runState: "paused" })));
            assert.deepEqual(lifecycleCalls(api), ["pause:target", "pause:target"]);
            assert.deepEqual(clock.sleeps, [REFUSED_BACKOFF_MS]);
            for (const part of [J, "DRS refused to pause the job in its current status", "DRS.M00304", "cannot be performed", "runState: running"]) assert.ok(error.message.includes(part), `${error.message} lacks ${part}`);
            assert.equal(error.properties?.status, "INCRE_TRANSFER_STARTED", "the job is kept in state with the status seen");
        });

        it("too frequent (DRS.M01503) as a 400 is re-sent with twice the backoff, at most REFUSED_ATTEMPTS times", async () => {
            const tooFrequent = new DrsApiError({ operation: PAUSE_OPERATION, httpStatus: 400, code: "DRS.M01503", vendorMessage: "Operation too frequent", jobIds: [J] });
            const api = new ScriptedJob(
                "INCRE_TRANSFER_STARTED",
                Array.from({ length: REFUSED_ATTEMPTS }, () => tooFrequent),
            );
            const { provider, inputs, clock } = setup(api);
            const error = await failure(provider.create(await inputs({ runState: "paused" })));
            assert.equal(api.count("pause:target"), REFUSED_ATTEMPTS);
            assert.equal(clock.sleeps[0], 2 * REFUSED_BACKOFF_MS);
            assert.match(error.message, new RegExp(`DRS refused the pause ${REFUSED_ATTEMPTS} times as too frequent`));
        });

        it("a pause whose answer is lost is not sent again: up fails and says to refresh", async () => {
            const lost = new DrsApiError({ operation: PAUSE_OPERATION, httpStatus: 0, vendorMessage: "socket hang up", jobIds: [J] });
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED", [lost]);
            const { provider, inputs } = setup(api);
            const error = await failure(provider.create(await inputs({ runState: "paused" })));
            assert.deepEqual(lifecycleCalls(api), ["pause:target"]);
            assert.match(error.message, /pulumi up --refresh/);
        });

        it("a pause older than 24 h warns on refresh and on up", async () => {
            const clock = new FakeClock();
            const api = new ScriptedJob("PAUSING");
            const { provider, inputs, lines } = setup(api, clock);
            const pausedAt = new Date(clock.now() - LONG_PAUSE_MS - 3600_000).toISOString();
            const olds = { ...(await inputs({ runState: "paused" })), status: "PAUSING", pausedAt } as DrsJobStartOutputs;
            const read = await provider.read(J, olds);
            assert.equal(read.props?.pausedAt, pausedAt);
            await provider.update(J, olds, { ...(await inputs({ runState: "paused" })), timeoutSeconds: 60 } as DrsJobStartInputs);
            const warnings = lines.filter((l) => l.includes(`paused since ${pausedAt} (25 h)`));
            assert.equal(warnings.length, 2, lines.join("\n"));
            assert.deepEqual(lifecycleCalls(api), []);
        });

        it("the engine's cancel ends the backoff of a pause DRS refuses as busy: nothing is sent again", async () => {
            const controller = new AbortController();
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED", [refused("DRS.M01504"), ok]);
            const { provider, inputs } = setup(api, new StuckClock(), controller.signal);
            const creating = provider.create(await inputs({ runState: "paused" }));
            await new Promise((resolve) => setImmediate(resolve));
            controller.abort(new Error("cancelled by the engine"));
            const error = await failure(creating);
            assert.match(error.message, /the pause cancelled \(the deployment was interrupted\) while DRS refused it as busy/);
            assert.deepEqual(lifecycleCalls(api), ["pause:target"]);
        });

        it("the engine's cancel ends a pause wait at once, keeping the job in state", async () => {
            const controller = new AbortController();
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED", [ok], { "pause:target": ["INCRE_TRANSFER_STARTED"] });
            const { provider, inputs } = setup(api, new FakeClock(), controller.signal);
            api.poller = (_id, _ms, signal) => async () => {
                controller.abort(new Error("cancelled by the engine"));
                signal?.throwIfAborted();
                return undefined;
            };
            const error = await failure(provider.create(await inputs({ runState: "paused" })));
            assert.match(error.message, /wait for PAUSING or PAUSEING cancelled/);
            assert.equal(error.properties?.status, "INCRE_TRANSFER_STARTED");
        });
    });

    describe("retryFailed", () => {
        it("retries a failed job once and waits; one that fails again fails naming both failures, with no second retry", async () => {
            const api = new ScriptedJob("INCRE_TRANSFER_FAILED", [ok], { retry: ["STARTJOBING", "FULL_TRANSFER_FAILED"] }, "DRS.M07001");
            const { provider, inputs } = setup(api);
            const error = await failure(provider.create(await inputs({ retryFailed: true })));
            assert.deepEqual(lifecycleCalls(api), ["retry"]);
            for (const part of [J, "failed again after pulumi up retried it once", "first INCRE_TRANSFER_FAILED (DRS error DRS.M07001: failure seen in INCRE_TRANSFER_FAILED)", "then FULL_TRANSFER_FAILED", "does not retry again"]) {
                assert.ok(error.message.includes(part), `${error.message} lacks ${part}`);
            }
        });

        it("without retryFailed a failed job fails as before, with no call", async () => {
            const api = new ScriptedJob("INCRE_TRANSFER_FAILED");
            const { provider, inputs } = setup(api);
            const error = await failure(provider.create(await inputs()));
            assert.deepEqual(lifecycleCalls(api), []);
            assert.match(error.message, /has failed in DRS.*DRS error DRS\.M09999/);
        });
    });

    describe("deletePolicy", () => {
        const outputsFor = async (deletePolicy: "leave" | "stop" | "delete", status: string) => {
            const { inputs } = setup(new ScriptedJob(status));
            return { ...(await inputs({ deletePolicy })), status } as DrsJobStartOutputs;
        };

        it("leave calls nothing, not even a lookup", async () => {
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED");
            await setup(api).provider.delete(J, await outputsFor("leave", "INCRE_TRANSFER_STARTED"));
            assert.deepEqual(api.calls, []);
        });

        it("stop terminates and waits for RELEASE_RESOURCE_COMPLETE", async () => {
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED", [ok], { terminate: ["RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_COMPLETE"] });
            await setup(api).provider.delete(J, await outputsFor("stop", "INCRE_TRANSFER_STARTED"));
            assert.deepEqual(lifecycleCalls(api), ["terminate"]);
            assert.equal(api.current, "RELEASE_RESOURCE_COMPLETE");
        });

        it("delete force-terminates, waits, deletes and waits until the job is gone", async () => {
            const api = new ScriptedJob("PAUSING", [ok, ok], { force_terminate: ["RELEASE_RESOURCE_COMPLETE"], delete: ["RELEASE_RESOURCE_COMPLETE", undefined] });
            await setup(api).provider.delete(J, await outputsFor("delete", "PAUSING"));
            assert.deepEqual(lifecycleCalls(api), ["force_terminate", "delete"]);
            assert.equal(api.current, undefined);
        });

        it("a job already stopped, deleted or not found is done", async () => {
            for (const [policy, status] of [
                ["stop", "RELEASE_RESOURCE_COMPLETE"],
                ["delete", undefined],
                ["stop", "DELETED"],
            ] as const) {
                const api = new ScriptedJob(status);
                await setup(api).provider.delete(J, await outputsFor(policy, status ?? "INCRE_TRANSFER_STARTED"));
                assert.deepEqual(lifecycleCalls(api), [], `${policy} ${status}`);
            }
            const vanished = new ScriptedJob("INCRE_TRANSFER_STARTED", [refused("DRS.M05004", "The task has been deleted")]);
            await setup(vanished).provider.delete(J, await outputsFor("stop", "INCRE_TRANSFER_STARTED"));
            assert.deepEqual(lifecycleCalls(vanished), ["terminate"]);
        });

        it("RELEASE_RESOURCE_FAILED fails naming job and code, before or after the stop call", async () => {
            const before = new ScriptedJob("RELEASE_RESOURCE_FAILED", [], {}, "DRS.M07002");
            const error = await failure(setup(before).provider.delete(J, await outputsFor("delete", "INCRE_TRANSFER_STARTED")));
            for (const part of [J, "RELEASE_RESOURCE_FAILED", "DRS.M07002"]) assert.ok(error.message.includes(part), `${error.message} lacks ${part}`);
            assert.deepEqual(lifecycleCalls(before), []);
            const after = new ScriptedJob("INCRE_TRANSFER_STARTED", [ok], { terminate: ["RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_FAILED"] }, "DRS.M07003");
            const later = await failure(setup(after).provider.delete(J, await outputsFor("stop", "INCRE_TRANSFER_STARTED")));
            assert.match(later.message, /its stop failed in DRS \(status RELEASE_RESOURCE_FAILED\)\. DRS error DRS\.M07003/);
        });

        it("a stop DRS did not answer fails naming the call and job, and is not sent again", async () => {
            const lost = new DrsApiError({ operation: "batch-jobs", httpStatus: 503, vendorMessage: "service unavailable", jobIds: [J] });
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED", [lost]);
            const error = await failure(setup(api).provider.delete(J, await outputsFor("stop", "INCRE_TRANSFER_STARTED")));
            assert.match(error.message, /batch-jobs terminate\) did not get an answer DRS stood by/);
            assert.match(error.message, /Run pulumi destroy again/);
            assert.ok(error.message.includes(J), error.message);
            assert.deepEqual(lifecycleCalls(api), ["terminate"]);
        });

        it("a stop DRS refuses for the job's status fails naming DRS's code; nothing else is sent", async () => {
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED", [refused("DRS.M00304", "This API cannot be called in the current task status")]);
            const error = await failure(setup(api).provider.delete(J, await outputsFor("delete", "INCRE_TRANSFER_STARTED")));
            for (const part of [J, "DRS.M00304", "cannot be called in the current task status"]) assert.ok(error.message.includes(part), `${error.message} lacks ${part}`);
            assert.deepEqual(lifecycleCalls(api), ["force_terminate"]);
        });

        it("the engine's cancel ends the backoff of a stop DRS refuses as busy", async () => {
            const controller = new AbortController();
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED", [refused("DRS.M01504"), ok]);
            const { provider } = setup(api, new StuckClock(), controller.signal);
            const deleting = provider.delete(J, await outputsFor("stop", "INCRE_TRANSFER_STARTED"));
            await new Promise((resolve) => setImmediate(resolve));
            controller.abort(new Error("cancelled by the engine"));
            const error = await failure(deleting);
            assert.match(error.message, /cancelled \(the deployment was interrupted\) while DRS refused it as busy/);
            assert.deepEqual(lifecycleCalls(api), ["terminate"]);
        });

        it("a stop that never completes ends at timeoutSeconds, or sooner at customTimeouts.delete, naming the bound", async () => {
            const outs = { ...(await outputsFor("stop", "INCRE_TRANSFER_STARTED")), timeoutSeconds: 60 } as DrsJobStartOutputs;
            /** A stop DRS accepts and then shows RELEASE_RESOURCE_STARTED forever, each poll a second later. */
            const stuckStop = (clock: FakeClock) => {
                const api = new ScriptedJob("INCRE_TRANSFER_STARTED", [ok]);
                api.poller = () => async () => {
                    await clock.sleep(1000);
                    return { id: J, status: "RELEASE_RESOURCE_STARTED" };
                };
                return api;
            };
            const ownClock = new FakeClock();
            const own = await failure(setup(stuckStop(ownClock), ownClock).provider.delete(J, outs));
            assert.match(own.message, /did not reach RELEASE_RESOURCE_COMPLETE.* within 60 s/);
            assert.match(own.message, /raise timeoutSeconds/);
            const engineClock = new FakeClock();
            const engine = await failure(setup(stuckStop(engineClock), engineClock).provider.delete(J, outs, { timeoutSeconds: 2 }));
            assert.match(engine.message, /within 2 s \(customTimeouts\.delete ran out\)/);
            assert.match(engine.message, /raise customTimeouts\.delete/);
        });

        it("the engine's cancel ends the wait of a stop", async () => {
            const controller = new AbortController();
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED", [ok], { terminate: ["RELEASE_RESOURCE_STARTED"] });
            const { provider } = setup(api, new FakeClock(), controller.signal);
            api.poller = (_id, _ms, signal) => async () => {
                controller.abort(new Error("cancelled by the engine"));
                signal?.throwIfAborted();
                return undefined;
            };
            const error = await failure(provider.delete(J, await outputsFor("stop", "INCRE_TRANSFER_STARTED")));
            assert.match(error.message, /wait for RELEASE_RESOURCE_COMPLETE.*cancelled \(the deployment was interrupted\)/);
            assert.match(error.message, /run pulumi destroy again to finish/);
        });

        it("changing deletePolicy alone is an update that calls nothing in DRS; the diff warns what a destroy will do", async () => {
            const api = new ScriptedJob("INCRE_TRANSFER_STARTED");
            const { provider, inputs, lines } = setup(api);
            const olds = { ...(await inputs()), status: "INCRE_TRANSFER_STARTED", name: "orders" } as DrsJobStartOutputs;
            const news = await inputs({ deletePolicy: "delete" });
            const diff = await provider.diff(J, olds, news);
            assert.deepEqual([diff.changes, diff.replaces, diff.detailedDiff], [true, [], { deletePolicy: "add" }]);
            assert.ok(
                lines.some((l) => l.includes("warning: deletePolicy delete: pulumi destroy (or a replace of this resource) will stop the job by force and delete it from DRS")),
                lines.join("\n"),
            );
            const { outs } = await provider.update(J, olds, news);
            assert.deepEqual(api.calls, []);
            assert.deepEqual([outs.deletePolicy, outs.status, outs.name], ["delete", "INCRE_TRANSFER_STARTED", "orders"]);
        });

        it("a replace names the job it will stop", async () => {
            const { provider, inputs, lines } = setup(new ScriptedJob("INCRE_TRANSFER_STARTED"));
            const olds = { ...(await inputs({ deletePolicy: "stop" })), status: "INCRE_TRANSFER_STARTED" } as DrsJobStartOutputs;
            const diff = await provider.diff(J, olds, { ...olds, jobId: jobId(25) } as DrsJobStartInputs);
            assert.deepEqual(diff.replaces, ["jobId"]);
            assert.ok(
                lines.some((l) => l.startsWith(`drs job ${J}: warning: replacing this resource (jobId changed) ends this job`) && l.includes("batch-jobs terminate")),
                lines.join("\n"),
            );
        });

        it("check refuses a replace that keeps the same job under stop or delete (the old resource's delete would end the job the new one adopted)", async () => {
            const { provider, inputs } = setup(new ScriptedJob("INCRE_TRANSFER_STARTED"));
            for (const policy of ["stop", "delete"] as const) {
                const olds = await inputs({ deletePolicy: policy });
                const moved = await provider.check(olds, { ...olds, endpoint: "http://127.0.0.1:8" } as DrsJobStartInputs);
                assert.equal(moved.failures?.length, 1, policy);
                const [failure] = moved.failures ?? [];
                assert.equal(failure.property, "endpoint");
                for (const part of [J, `deletePolicy ${policy}`, "Set deletePolicy: leave and run pulumi up first"]) assert.ok(failure.reason.includes(part), `${failure.reason} lacks ${part}`);
            }
            const left = await inputs({ deletePolicy: "leave" });
            assert.deepEqual((await provider.check(left, { ...left, endpoint: "http://127.0.0.1:8" } as DrsJobStartInputs)).failures ?? [], [], "leave: the replace is harmless");
            const stop = await inputs({ deletePolicy: "stop" });
            assert.deepEqual((await provider.check(stop, { ...stop, jobId: jobId(25) } as DrsJobStartInputs)).failures ?? [], [], "another job: the old one may be stopped");
        });
    });
});
