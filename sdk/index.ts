/**
 * pulumi-drs: declaratively start Open Telekom Cloud DRS jobs and wait until
 * they replicate.
 */
export { DrsJobStart, DrsJobStartArgs } from "./drsJobStart";
export type { DrsJobStartOutputs, DrsJobStartInputs } from "../provider/inputs";
export type { DbUseType } from "../provider/drs/wire";
