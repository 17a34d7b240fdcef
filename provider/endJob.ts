import { DrsApiError } from "./drs/errors";
import type { CheckedInputs } from "./inputs";
import { DrsJobError } from "./jobError";
import { deleteFamily, stopFamily, waitOnJob, type WaitReporting } from "./jobWait";
import type { DeleteType } from "./jobs/lifecycleCalls";
import type { JobsApi } from "./jobs/jobsApi";
import { waitBound } from "./operationDeadline";
import { consoleSink } from "./progressReport";
import { isJobGone, type RefusedCall, refusalError, type Sent, sendRefusable } from "./refusals";
import { decideEnd, type DeletePolicy, STOPPED_COMPLETE_STATUSES } from "./runDecision";
import { searchScope } from "./ensureRunning";
import type { Clock } from "./wait/clock";

/** How each `delete_type` is named in its refusals. */
const END_CALLS: Readonly<Record<DeleteType, RefusedCall>> = {
    terminate: {
        noun: "the stop",
        verb: "stop",
        nothingDone: "The job was not stopped.",
        wrongStatusFix: "Check the job's status and available actions in DRS, then run pulumi destroy again; or set deletePolicy: leave to drop the resource without stopping the job.",
        otherFix: "Fix the cause DRS names, then run pulumi destroy again; or set deletePolicy: leave to drop the resource without stopping the job.",
    },
    force_terminate: {
        noun: "the forced stop",
        verb: "stop by force",
        nothingDone: "The job was not stopped.",
        wrongStatusFix: "Check the job's status and available actions in DRS, then run pulumi destroy again; or set deletePolicy: leave to drop the resource without ending the job.",
        otherFix: "Fix the cause DRS names, then run pulumi destroy again; or set deletePolicy: leave to drop the resource without ending the job.",
    },
    delete: {
        noun: "the delete",
        verb: "delete",
        nothingDone: "The job was not deleted.",
        wrongStatusFix: "DRS deletes only stopped jobs (RELEASE_RESOURCE_COMPLETE): check the job in DRS, then run pulumi destroy again.",
        otherFix: "Fix the cause DRS names, then run pulumi destroy again; or set deletePolicy: stop to leave the stopped job listed.",
    },
};

/**
 * Ends a job as `policy` says when its resource is destroyed (or replaced):
 * `leave` calls nothing; `stop` terminates it and waits for
 * `RELEASE_RESOURCE_COMPLETE`; `delete` force-terminates, waits, deletes
 * and waits until DRS no longer lists it. A job already stopped (for stop),
 * deleted or not found is done, as is a call DRS refuses because the job
 * no longer exists. `RELEASE_RESOURCE_FAILED`, any other refusal, a timeout
 * and a cancel (`reporting.signal`) fail naming the job, its status and
 * DRS's code.
 */
export async function endJob(api: JobsApi, inputs: CheckedInputs, policy: DeletePolicy, clock: Clock, reporting: WaitReporting): Promise<void> {
    if (policy === "leave") return;
    const say = reporting.sink ?? consoleSink;
    const { jobId } = inputs;
    const job = await api.findJob(jobId, searchScope(inputs));
    const decision = decideEnd(job?.status, policy);
    if (decision.action === "refuse") {
        const seen = await api.status(jobId).catch(() => undefined);
        throw new DrsJobError({ jobId, summary: decision.refusal?.summary ?? decision.plan, status: job?.status, errorCode: seen?.errorCode, errorMessage: job?.errorMessage ?? seen?.errorMessage, action: decision.refusal?.fix ?? "" });
    }
    say(`drs job ${jobId}: deletePolicy ${policy}: ${decision.plan}`);
    let status = job?.status;
    for (const step of decision.steps) {
        if (step.kind === "call") {
            const call = END_CALLS[step.deleteType];
            let sent: Sent;
            try {
                sent = await sendRefusable(() => api.end(jobId, step.deleteType), clock, reporting.signal);
            } catch (error) {
                if (reporting.signal?.aborted) throw new DrsJobError({ jobId, summary: `${call.noun} cancelled (the deployment was interrupted) while DRS refused it as busy`, status, action: `${call.nothingDone} Run pulumi destroy again.` });
                if (!(error instanceof DrsApiError)) throw error;
                throw new DrsJobError({
                    jobId,
                    summary: `${call.noun} (batch-jobs ${step.deleteType}) did not get an answer DRS stood by: ${error.message}`,
                    status,
                    errorCode: error.code,
                    errorMessage: error.vendorMessage,
                    action: "Run pulumi destroy again: it looks at the job first and sends only what is still needed.",
                });
            }
            if (!sent.accepted) {
                if (isJobGone(sent.refusal)) return say(`drs job ${jobId}: DRS no longer knows the job (${sent.refusal.errorCode}): nothing left to end`);
                throw refusalError(jobId, call, sent.refusal, status, sent.refusals);
            }
            continue;
        }
        const stop = step.until === "stopped";
        const wanted = stop ? STOPPED_COMPLETE_STATUSES.join(" or ") : "the job to disappear from DRS";
        const bound = waitBound(inputs.timeoutSeconds, 0, reporting.deadline, clock.now());
        const { outcome, reporter } = await waitOnJob(api, inputs, clock, { wanted, targets: stop ? STOPPED_COMPLETE_STATUSES : [], familyOf: stop ? stopFamily : deleteFamily, timeoutMs: bound.timeoutMs }, reporting);
        const last = outcome.kind === "reached" || outcome.kind === "failed" ? outcome.observation : outcome.last;
        status = last?.status ?? status;
        if (outcome.kind === "reached") {
            reporter.reached(outcome.observation.status, {});
            continue;
        }
        // Gone is what a delete waits for; for a stop it is done too.
        if (outcome.kind === "gone") return say(`drs job ${jobId}: gone from DRS`);
        const common = { jobId, status: last?.status, errorCode: last?.errorCode, errorMessage: last?.errorMessage };
        if (outcome.kind === "failed") throw new DrsJobError({ ...common, summary: "its stop failed in DRS", action: END_CALLS.terminate.otherFix });
        if (outcome.kind === "cancelled")
            throw new DrsJobError({ ...common, summary: `wait for ${wanted} cancelled (the deployment was interrupted)`, action: "DRS goes on ending the job: run pulumi destroy again to finish (it sends only what is still needed)." });
        throw new DrsJobError({ ...common, summary: `did not reach ${wanted} ${bound.within}`, action: `DRS goes on ending the job: run pulumi destroy again to keep waiting, or raise ${bound.raise}.` });
    }
}
