import type { LifecycleResult } from "../../provider/jobs/lifecycleCalls";

/** A base for test fakes of JobsApi that make no lifecycle call: each one fails the test. */
export class NoLifecycleCalls {
    pause(jobId: string): Promise<LifecycleResult> {
        return Promise.reject(new Error(`unexpected pause of ${jobId}`));
    }

    retry(jobId: string): Promise<LifecycleResult> {
        return Promise.reject(new Error(`unexpected retry of ${jobId}`));
    }

    end(jobId: string): Promise<LifecycleResult> {
        return Promise.reject(new Error(`unexpected end of ${jobId}`));
    }
}
