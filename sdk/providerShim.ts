/**
 * The dynamic provider Pulumi serializes into state as `__provider`: this
 * module's exports object itself, which `DrsJobStart` hands to
 * `dynamic.Resource`. When pulumi-drs is installed in node_modules (npm,
 * pnpm, yarn), Pulumi's closure serializer recognizes an installed module and
 * stores only a reference to it, `require("pulumi-drs/provider-shim")`:
 * about 250 bytes instead of the 2.3 KB the same provider took serialized by
 * value, in the inputs and in the outputs of every resource. Where
 * pulumi-drs is linked from outside node_modules, the serializer copies the
 * module by value instead (as before). Either way each method `require`s
 * `pulumi-drs/provider` by package name at call time, so state holds no
 * credential and old state runs the installed provider code.
 *
 * State written since 0.1.0 names this module: the `./provider-shim` export
 * of package.json must stay.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";

type Provider = Required<dynamic.ResourceProvider>;

/** Loads the installed provider by package name, at call time. */
function impl(): Provider {
    const { DrsJobStartProvider } = require("pulumi-drs/provider") as typeof import("../provider");
    return new DrsJobStartProvider();
}

/** Receives the stack config (see the provider core). */
export const configure: Provider["configure"] = (req) => impl().configure(req);
/** Validates inputs and applies defaults. */
export const check: Provider["check"] = (olds, news) => impl().check(olds, news);
/** Tells replacements from in-place changes. */
export const diff: Provider["diff"] = (id, olds, news) => impl().diff(id, olds, news);
/** Starts the job (or adopts it) and waits for a target status. */
export const create: Provider["create"] = (inputs) => impl().create(inputs);
/** Refreshes from DRS. */
export const read: Provider["read"] = (id, props) => impl().read(id, props);
/** Applies new inputs (wait options, run state) and acts on drift. */
export const update: Provider["update"] = (id, olds, news) => impl().update(id, olds, news);
/** Ends the job as `deletePolicy` says (default `leave`: the job keeps running). */
const remove: Provider["delete"] = (id, props) => impl().delete(id, props);
export { remove as delete };
