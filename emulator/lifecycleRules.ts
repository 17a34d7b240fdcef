/**
 * Which status allows which lifecycle call in the emulator, and where each
 * call takes a job: the reading of `shared/drs-api/lifecycle.md` (OTC API
 * pages where they speak, the OTC manual where they are silent). The codes
 * of refusals the vendor pages leave unconfirmed are marked where used.
 */

/** A job call the emulator can be told to refuse (see `JobStore.actAsOther`). */
export type JobCall = "start" | "pause" | "retry" | "end";

/** `pause_mode` of batch-pause-task. */
export type EmulatedPauseMode = "target" | "all";

/** `delete_type` of `DELETE batch-jobs` the emulator serves. */
export type EmulatedDeleteType = "terminate" | "force_terminate" | "delete";

/** Every `pause_mode`. */
export const PAUSE_MODES: readonly EmulatedPauseMode[] = ["target", "all"];

/** Every `delete_type` the emulator serves (the vendor SDK's `roll_back_upgrade_active_standby` is refused as invalid). */
export const DELETE_TYPES: readonly EmulatedDeleteType[] = ["terminate", "force_terminate", "delete"];

/**
 * How the emulator spells a paused job's status: `PAUSING` as the vendor's
 * SDK and Huawei's Terraform provider do (the default), or `PAUSEING` as the
 * OTC batch-status page does.
 */
export type PausedStatusAnswer = "PAUSING" | "PAUSEING";

/** Every {@link PausedStatusAnswer}. */
export const PAUSED_STATUS_ANSWERS: readonly PausedStatusAnswer[] = ["PAUSING", "PAUSEING"];

/**
 * What a deleted job looks like afterwards: `vanishes` as OTC does (the
 * default: no longer listed, calls naming it answered `DRS.M05004`), or
 * `DELETED` as Huawei's SDK reads it (still listed, status `DELETED`).
 */
export type DeletedListingAnswer = "vanishes" | "DELETED";

/** Every {@link DeletedListingAnswer}. */
export const DELETED_LISTING_ANSWERS: readonly DeletedListingAnswer[] = ["vanishes", "DELETED"];

/** The status of a job deleted under the `DELETED` listing. */
export const DELETED_STATUS = "DELETED";

/** True for a paused job, in either spelling. */
export function isPaused(status: string): boolean {
    return status === "PAUSING" || status === "PAUSEING";
}

/** Statuses batch-pause-task accepts (OTC API page). */
export const PAUSABLE_FROM: ReadonlySet<string> = new Set(["FULL_TRANSFER_STARTED", "FULL_TRANSFER_FAILED", "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED"]);

/** A failed status batch-retry-task accepts, and the transfer it goes back to. */
export const RETRY_TO: Readonly<Record<string, string>> = { FULL_TRANSFER_FAILED: "FULL_TRANSFER_STARTED", INCRE_TRANSFER_FAILED: "INCRE_TRANSFER_STARTED" };

/** Statuses a stop (`terminate`) refuses: the job is being stopped, stopped, or deleted. */
export const UNSTOPPABLE: ReadonlySet<string> = new Set(["RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_COMPLETE", "RELEASE_RESOURCE_FAILED", "RELEASE_CHILD_TRANSFER_STARTED", "RELEASE_CHILD_TRANSFER_COMPLETE", DELETED_STATUS]);

/** Statuses `delete` accepts: a job never created or already stopped (OTC API page). */
export const DELETABLE_FROM: ReadonlySet<string> = new Set(["CREATE_FAILED", "RELEASE_RESOURCE_COMPLETE", "RELEASE_CHILD_TRANSFER_COMPLETE"]);

/** The status a job in `status` shows when another actor makes it fail (console, source database gone). */
export const FAILED_FROM: Readonly<Record<string, string>> = {
    STARTJOBING: "START_JOB_FAILED",
    FULL_TRANSFER_STARTED: "FULL_TRANSFER_FAILED",
    FULL_TRANSFER_COMPLETE: "FULL_TRANSFER_FAILED",
    INCRE_TRANSFER_STARTED: "INCRE_TRANSFER_FAILED",
    RELEASE_RESOURCE_STARTED: "RELEASE_RESOURCE_FAILED",
};

/** One job's answer to a call, as DRS puts it in `results`. */
export interface JobCallResult {
    readonly status: "success" | "failed";
    readonly errorCode?: string;
    readonly errorMessage?: string;
}

/** A job's `success`. */
export const SUCCESS: JobCallResult = { status: "success" };

/** The per-job refusal of a call in the job's current status (`DRS.M00304`, the vendor's code for it; per call unconfirmed). */
export function wrongStatus(status: string): JobCallResult {
    return { status: "failed", errorCode: "DRS.M00304", errorMessage: `This API cannot be called in the current task status (${status}).` };
}

/**
 * The per-job refusal of a pause for an engine pair DRS cannot pause (the
 * OTC manual lists the pairs; no page gives the code: the emulator answers
 * the wrong-status code with a message naming the engine).
 */
export function notPausable(engineType: string): JobCallResult {
    return { status: "failed", errorCode: "DRS.M00304", errorMessage: `This API cannot be called for this task: pausing is not supported for its engine (${engineType}).` };
}

/** The per-job answers DRS gives a call on a job busy with another operation, or a call too frequent. */
export const REFUSED = {
    busy: { status: "failed", errorCode: "DRS.M01504", errorMessage: "Another operation is being performed on the task, or the task is abnormal." },
    throttles: { status: "failed", errorCode: "DRS.M01503", errorMessage: "The operation is too frequent. Try again later." },
} as const satisfies Record<string, JobCallResult>;
