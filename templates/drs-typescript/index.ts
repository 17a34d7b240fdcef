// Before the first `pulumi up`: pulumi-drs is not on the npm registry, so `pulumi new` could not
// install it. Add it from the tarball `npm pack` made in its clone (see README.md):
//   npm install ~/pulumi-drs/pulumi-drs-0.2.0.tgz
// Without it `pulumi up` stops with "TS2307: Cannot find module 'pulumi-drs'".
import * as pulumi from "@pulumi/pulumi";
import { DrsJobStart } from "pulumi-drs";

const config = new pulumi.Config();

// Region, project and credentials come from the `drs:*` stack config (see README.md).
// The job must exist in DRS and be fully configured (status CONFIGURATION).
const start = new DrsJobStart("drs-job", {
    jobId: config.require("jobId"),
});

export const jobId = start.jobId;
export const status = start.status; // "INCRE_TRANSFER_STARTED" once it replicates
export const name = start.name;
export const progress = start.progress;
