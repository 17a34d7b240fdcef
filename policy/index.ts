/**
 * drs-rollout-policies: a CrossGuard policy pack for pulumi-drs.
 * Run with `pulumi preview --policy-pack policy`; configure with
 * `--policy-pack-config <file.json>` (see docs/policy.md).
 */
import { PolicyPack } from "@pulumi/policy";
import { allowedTargets } from "./policies/allowedTargets";
import { boundedWait } from "./policies/boundedWait";
import { explicitCompareChoice } from "./policies/explicitCompareChoice";
import { fullSyncTarget } from "./policies/fullSyncTarget";
import { maintenanceWindow } from "./policies/maintenanceWindow";
import { maxParallelStarts } from "./policies/maxParallelStarts";
import { noPlaintextCredentials } from "./policies/noPlaintextCredentials";
import { protectedJobs } from "./policies/protectedJobs";
import { runStateWindow } from "./policies/runStateWindow";

new PolicyPack("drs-rollout", {
    policies: [boundedWait, maintenanceWindow, allowedTargets, noPlaintextCredentials, maxParallelStarts, fullSyncTarget, explicitCompareChoice, protectedJobs, runStateWindow],
});
