/** Fields of a {@link DrsJobError}. */
export interface DrsJobErrorInit {
    readonly jobId: string;
    /** What went wrong, one sentence. */
    readonly summary: string;
    /** The job's DRS status when it went wrong. */
    readonly status?: string;
    readonly errorCode?: string;
    readonly errorMessage?: string;
    /** What the user should do. */
    readonly action: string;
    /**
     * Set when the job exists and may be running: the engine then records
     * the resource as created-but-failed (ResourceInitError), so the next
     * `pulumi up` updates it instead of starting it again.
     */
    readonly properties?: Readonly<Record<string, unknown>>;
}

/**
 * A job outcome the user must act on (failed, stopped, timed out, start
 * refused). The message names the job, its status, the DRS code and message,
 * and the action to take.
 */
export class DrsJobError extends Error {
    readonly jobId: string;
    readonly status?: string;
    readonly errorCode?: string;
    readonly errorMessage?: string;
    /** The resource id for the engine's ResourceInitError handling. */
    readonly id?: string;
    /** The state to record with {@link DrsJobError.id} (see {@link DrsJobError.recordAlso}). */
    properties?: Readonly<Record<string, unknown>>;
    /** Reasons shown by the engine for a ResourceInitError. */
    readonly reasons?: string[];

    constructor(init: DrsJobErrorInit) {
        const status = init.status ? ` (status ${init.status})` : "";
        // DRS's own messages often end with a period: one is enough.
        const drs = init.errorCode || init.errorMessage ? ` DRS error ${init.errorCode ?? "(no code)"}: ${(init.errorMessage ?? "(no message)").replace(/[.\s]+$/, "")}.` : "";
        super(`DRS job ${init.jobId}: ${init.summary}${status}.${drs} ${init.action}`);
        this.name = "DrsJobError";
        this.jobId = init.jobId;
        this.status = init.status;
        this.errorCode = init.errorCode;
        this.errorMessage = init.errorMessage;
        if (init.properties) {
            this.id = init.jobId;
            this.properties = init.properties;
            this.reasons = [this.message];
        }
    }

    /** Adds `extra` to the state recorded with the error; an error that records no state stays so. */
    recordAlso(extra: Readonly<Record<string, unknown>>): void {
        if (this.properties) this.properties = { ...this.properties, ...extra };
    }
}
