import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type DrsJobStartProps, jobLabel, validateDrsJobStart } from "./drsResource";

/** The status in which a DR job replicates changes continuously. */
const INCREMENTAL = "INCRE_TRANSFER_STARTED";

/** The status a scheduled start (`waitFor: "scheduled"`) returns at. */
const SCHEDULED = "WAITING_FOR_START";

/**
 * What is wrong with a cloudDataGuard job's targets (empty when compliant or
 * not a DR job). A scheduled start (`waitFor: "scheduled"`, target
 * `WAITING_FOR_START`) passes: it does not declare a stop after the full
 * copy, it only returns before the start; DRS goes on to replication.
 */
export function fullSyncTargetViolations(props: DrsJobStartProps): string[] {
    if (props.dbUseType !== "cloudDataGuard") return [];
    const targets = props.targetStatuses ?? [INCREMENTAL];
    if (targets.includes(INCREMENTAL) || (props.waitFor === "scheduled" && targets.every((t) => t === SCHEDULED))) return [];
    return [`${jobLabel(props)} is a cloudDataGuard (disaster recovery) job but targetStatuses is [${targets.join(", ")}]: ` + `a DR job that only completes a full copy does not protect anything; add ${INCREMENTAL} to targetStatuses.`];
}

/** `full-sync-target`: disaster-recovery jobs must wait for incremental replication. */
export const fullSyncTarget: ResourceValidationPolicy = {
    name: "full-sync-target",
    description: "cloudDataGuard DrsJobStart targets must include INCRE_TRANSFER_STARTED (or be a scheduled start, waitFor: scheduled).",
    enforcementLevel: "mandatory",
    validateResource: validateDrsJobStart(fullSyncTargetViolations),
};
