/**
 * pulumi-drs: declaratively start Open Telekom Cloud DRS jobs and wait until
 * they replicate.
 */
export { DrsJobStart, DrsJobStartArgs } from "./drsJobStart";
export type { DrsJobStartOutputs, DrsJobStartInputs } from "../provider/inputs";
export type { DbUseType, PhaseProgress } from "../provider/drs/wire";
export type { WaitFor } from "../provider/wait/jobStatusFamily";
export type { DeletePolicy, RunState } from "../provider/runDecision";
export type { PauseMode } from "../provider/jobs/lifecycleCalls";
