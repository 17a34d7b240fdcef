// End-to-end test program: one DrsJobStart per entry of the `jobs` stack
// config ({ name, importId?, ...DrsJobStartArgs }); outputs per resource.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { DrsJobStart } = require("pulumi-drs");

const config = new pulumi.Config();
const outputs = {};
for (const { name, importId, ...args } of config.requireObject("jobs")) {
    const start = new DrsJobStart(name, args, importId ? { import: importId } : undefined);
    outputs[name] = { jobId: start.jobId, status: start.status, errorMessage: start.errorMessage };
}
module.exports = outputs;
