import type * as dynamic from "@pulumi/pulumi/dynamic";

/** Loads the installed provider by package name, at call time. */
function impl(): dynamic.ResourceProvider {
    const { DrsJobStartProvider } = require("pulumi-drs/provider") as typeof import("../provider");
    return new DrsJobStartProvider();
}

/**
 * The object Pulumi serializes into state as `__provider`. It captures only
 * {@link impl}: each method `require`s `pulumi-drs/provider` by package name
 * at call time, so state stays small, holds no credential, and old state
 * runs the installed provider code.
 */
export const providerShim: dynamic.ResourceProvider = {
    configure: (req) => impl().configure!(req),
    check: (olds, news) => impl().check!(olds, news),
    diff: (id, olds, news) => impl().diff!(id, olds, news),
    create: (inputs) => impl().create(inputs),
    read: (id, props) => impl().read!(id, props),
    update: (id, olds, news) => impl().update!(id, olds, news),
    delete: (id, props) => impl().delete!(id, props),
};
