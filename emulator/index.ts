/**
 * `pulumi-drs/emulator`: an HTTP server on 127.0.0.1 that serves IAM
 * `POST /v3/auth/tokens` and the DRS v3 calls (start, status, progress, job
 * list; pause, resume/retry, stop/delete) with their documented shapes and
 * quirks, plus a control API under `/__emulator/` for tests.
 */
export { startEmulator, Emulator, EmulatorOptions, CallRecord, DEFAULT_PROJECT_ID, DEFAULT_USER, TEST_TIMINGS, ListNameAnswer, LIST_NAME_ANSWERS, StatusAllAnswer, STATUS_ALL_ANSWERS } from "./server";
export { JobSpec, FailurePlan, LifecycleTimings, TaskMode, EmulatedJob, OtherActor, ConsoleAction, DEMO_TIMINGS } from "./jobs";
export { JobCall, JobCallResult, PausedStatusAnswer, PAUSED_STATUS_ANSWERS, DeletedListingAnswer, DELETED_LISTING_ANSWERS } from "./lifecycleRules";
export { FaultSpec, FaultAction, EmulatedOperation } from "./faults";
export { DeletedJobAnswer, DELETED_JOB_ANSWERS } from "./deletedJobs";
export { IamUser } from "./iam";
export { clientEnv } from "./clientEnv";
export { AccessKey, DEFAULT_ACCESS_KEY } from "./accessKeys";
export { DEMO_JOBS } from "./demoJobs";
