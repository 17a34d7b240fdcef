import * as pulumi from "@pulumi/pulumi";

/**
 * Warns when a DrsJobStart is given `customTimeouts`: the dynamic provider
 * host (`@pulumi/pulumi/cmd/dynamic-provider`) calls create, update and
 * delete without the engine's timeout, and `check` never sees resource
 * options, so they cannot bound the wait on this door. `timeoutSeconds`
 * does (and the `drs` resource plugin honours `customTimeouts`).
 */
export function warnIgnoredTimeouts(name: string, opts: pulumi.CustomResourceOptions | undefined, resource?: pulumi.Resource): void {
    const timeouts = opts?.customTimeouts;
    if (!timeouts || (timeouts.create === undefined && timeouts.update === undefined && timeouts.delete === undefined)) return;
    const given = (["create", "update", "delete"] as const)
        .filter((op) => timeouts[op] !== undefined)
        .map((op) => `${op}: ${String(timeouts[op])}`)
        .join(", ");
    pulumi.log.warn(
        `DrsJobStart ${name}: customTimeouts (${given}) do not reach a dynamic provider, so they do not bound the wait; set timeoutSeconds instead (or use the drs resource plugin, which honours customTimeouts). See docs/configuration.md, "Timeouts".`,
        resource,
    );
}
