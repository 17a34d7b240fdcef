/**
 * `pulumi-drs/provider`: the DrsJobStart dynamic provider and the DRS client
 * it is built on. Required by name from the serialized provider shim, so the
 * per-process token cache is shared by every resource of a deployment.
 * Loading it inside an engine-started provider host arms the engine
 * watchdog: the host exits when the engine is gone.
 */
import { armEngineWatchdog } from "./engineWatchdog";

armEngineWatchdog();

export { DrsJobStartProvider, ProviderDeps } from "./provider";
export { CheckedInputs, DrsJobStartInputs, DrsJobStartOutputs, JobState } from "./inputs";
export { DrsClient, DrsClientOptions, StartRequest } from "./drs/client";
export { DrsApiError, DrsOperation } from "./drs/errors";
export { DbUseType, DB_USE_TYPES } from "./drs/wire";
export { DrsJobError } from "./jobError";
export { JobStatusFamily, jobStatusFamily, KNOWN_STATUSES, TARGETABLE_STATUSES, DEFAULT_TARGET_STATUSES } from "./wait/jobStatusFamily";
export { waitForTarget, WaitOptions, WaitOutcome, JobObservation, StatusSource } from "./wait/waitForTarget";
export { Clock, systemClock } from "./wait/clock";
