import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Any } from "google-protobuf/google/protobuf/any_pb";
import * as plugproto from "@pulumi/pulumi/proto/plugin_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import type { IResourceProviderServer } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import type { DrsJobStartProvider, PropertyChange } from "../provider/provider";
import type { DrsJobStartInputs, DrsJobStartOutputs } from "../provider/inputs";
import { strip } from "../provider/validate";
import { JOB_START_TOKEN } from "./schema";

/**
 * The `drs` resource plugin's gRPC service: the engine's calls mapped onto
 * the provider core, one resource type (`drs:index:JobStart`).
 *
 * `@pulumi/pulumi/provider`'s `main` serves the same protocol but drops what
 * this door exists for: the Configure call's `drs:*` config, and the
 * detailed diff. So the service is implemented here on the same generated
 * protocol classes, with the same error conventions (a failure that leaves a
 * job running is reported as ErrorResourceInitFailed, so the engine keeps
 * the resource in state).
 */
export interface PluginOptions {
    /** The provider core every call goes to. */
    readonly core: DrsJobStartProvider;
    /** The package schema, JSON. */
    readonly schema: string;
    /** The plugin version (package.json's). */
    readonly version: string;
    /** Called on the engine's Cancel (Ctrl-C): ends every wait. */
    readonly cancel: () => void;
    /** Called before an operation on a job: its progress lines belong to the resource `urn`. */
    readonly track?: (jobId: unknown, urn: string) => void;
}

const KINDS: Readonly<Record<PropertyChange, provproto.PropertyDiff.Kind>> = {
    add: provproto.PropertyDiff.Kind.ADD,
    addReplace: provproto.PropertyDiff.Kind.ADD_REPLACE,
    delete: provproto.PropertyDiff.Kind.DELETE,
    deleteReplace: provproto.PropertyDiff.Kind.DELETE_REPLACE,
    update: provproto.PropertyDiff.Kind.UPDATE,
    updateReplace: provproto.PropertyDiff.Kind.UPDATE_REPLACE,
};

type Handler<Req, Res> = grpc.handleUnaryCall<Req, Res>;

/** Answers one unary call with `work`'s result, or its error in the engine's terms. */
function unary<Req, Res>(work: (request: Req) => Promise<Res>): Handler<Req, Res> {
    return (call, callback) => {
        work(call.request).then(
            (response) => callback(null, response),
            (error: unknown) => {
                const status = errorStatus(error);
                // The details travel in the trailers, as @pulumi/pulumi's own provider server sends them.
                callback(status, null, status.metadata);
            },
        );
    };
}

/** Refuses any type but `drs:index:JobStart` (a URN's third `::` part, after any parent types joined by `$`). */
function assertJobStart(urn: string): void {
    const type = urn.split("::")[2]?.split("$").pop();
    if (type !== JOB_START_TOKEN) throw new Error(`The drs plugin serves only ${JOB_START_TOKEN}, not ${type ?? urn}.`);
}

const plain = (struct: Struct | undefined): Record<string, unknown> => (struct ? (struct.toJavaScript() as Record<string, unknown>) : {});
const structOf = (value: object | undefined): Struct => Struct.fromJavaScript(strip({ ...(value ?? {}) }) as Record<string, never>);

/** The `drs:*` values of a Configure call: `variables` (`drs:config:region`) or the newer `args` struct (`region`). */
export function configValues(request: provproto.ConfigureRequest): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [key, value] of request.getVariablesMap().entries()) {
        const match = /^drs:(?:config:)?(.+)$/.exec(key);
        if (match) values[`drs:${match[1]}`] = value;
    }
    for (const [key, value] of Object.entries(plain(request.getArgs()))) {
        if (typeof value === "string" && values[`drs:${key}`] === undefined) values[`drs:${key}`] = value;
    }
    return values;
}

/** The service implementation handed to a gRPC server. */
export function pluginService(options: PluginOptions): grpc.UntypedServiceImplementation {
    const { core } = options;
    const service = {
        getPluginInfo: unary(async () => new plugproto.PluginInfo().setVersion(options.version)),
        getSchema: unary(async (req: provproto.GetSchemaRequest) => {
            if (req.getVersion() !== 0) throw new Error(`unsupported schema version ${req.getVersion()}`);
            return new provproto.GetSchemaResponse().setSchema(options.schema);
        }),
        checkConfig: unary(async (req: provproto.CheckRequest) => new provproto.CheckResponse().setInputs(req.getNews())),
        configure: unary(async (req: provproto.ConfigureRequest) => {
            const values = configValues(req);
            await core.configure({ config: { get: (key) => values[key] } });
            // Secrets arrive decrypted as plain values; the resource has no secret inputs.
            return new provproto.ConfigureResponse().setAcceptsecrets(false).setAcceptresources(false);
        }),
        attach: unary(async () => new Empty()),
        cancel: unary(async () => {
            options.cancel();
            return new Empty();
        }),
        check: unary(async (req: provproto.CheckRequest) => {
            assertJobStart(req.getUrn());
            const result = await core.check(plain(req.getOlds()) as unknown as DrsJobStartInputs, plain(req.getNews()) as unknown as DrsJobStartInputs);
            const failures = (result.failures ?? []).map((f) => new provproto.CheckFailure().setProperty(f.property).setReason(f.reason));
            return new provproto.CheckResponse().setInputs(structOf(result.inputs)).setFailuresList(failures);
        }),
        diff: unary(async (req: provproto.DiffRequest) => {
            assertJobStart(req.getUrn());
            options.track?.(req.getId(), req.getUrn());
            const result = await core.diff(req.getId(), plain(req.getOlds()) as unknown as DrsJobStartOutputs, plain(req.getNews()) as unknown as DrsJobStartInputs);
            const response = new provproto.DiffResponse()
                .setChanges(result.changes ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE)
                .setReplacesList(result.replaces)
                .setDiffsList(Object.keys(result.detailedDiff))
                .setHasdetaileddiff(true);
            const detailed = response.getDetaileddiffMap();
            for (const [key, change] of Object.entries(result.detailedDiff)) detailed.set(key, new provproto.PropertyDiff().setKind(KINDS[change]).setInputdiff(true));
            return response;
        }),
        create: unary(async (req: provproto.CreateRequest) => {
            assertJobStart(req.getUrn());
            const inputs = plain(req.getProperties());
            options.track?.(inputs.jobId, req.getUrn());
            // The engine's timeout is the resource's customTimeouts.create in seconds (0: none).
            const result = await core.create(inputs as unknown as DrsJobStartInputs, { timeoutSeconds: req.getTimeout() });
            return new provproto.CreateResponse().setId(result.id).setProperties(structOf(result.outs));
        }),
        read: unary(async (req: provproto.ReadRequest) => {
            assertJobStart(req.getUrn());
            // An import reads with neither state nor inputs: the id is the job id.
            const props = { ...plain(req.getInputs()), ...plain(req.getProperties()) } as unknown as DrsJobStartOutputs;
            options.track?.(req.getId(), req.getUrn());
            const result = await core.read(req.getId(), Object.keys(props).length > 0 ? props : undefined);
            const response = new provproto.ReadResponse().setId(result.id ?? "");
            if (result.props) response.setProperties(structOf(result.props));
            if (result.inputs) response.setInputs(structOf(result.inputs));
            return response;
        }),
        update: unary(async (req: provproto.UpdateRequest) => {
            assertJobStart(req.getUrn());
            const news = plain(req.getNews());
            options.track?.(news.jobId, req.getUrn());
            const result = await core.update(req.getId(), plain(req.getOlds()) as unknown as DrsJobStartOutputs, news as unknown as DrsJobStartInputs, { timeoutSeconds: req.getTimeout() });
            return new provproto.UpdateResponse().setProperties(structOf(result.outs));
        }),
        delete: unary(async (req: provproto.DeleteRequest) => {
            assertJobStart(req.getUrn());
            options.track?.(req.getId(), req.getUrn());
            await core.delete(req.getId(), plain(req.getProperties()) as unknown as DrsJobStartOutputs, { timeoutSeconds: req.getTimeout() });
            return new Empty();
        }),
    } satisfies Partial<IResourceProviderServer>;
    return service;
}

/**
 * An error as the engine reads it: a {@link DrsJobError} that carries the
 * job's id and state becomes ErrorResourceInitFailed (the engine records the
 * resource with that state, so the next `up` adopts instead of starting).
 */
function errorStatus(error: unknown): grpc.ServiceError {
    const message = error instanceof Error ? error.message : String(error);
    const metadata = new grpc.Metadata();
    const init = error as { id?: unknown; properties?: object; reasons?: string[] };
    if (typeof init.id === "string" && init.properties) {
        const detail = new provproto.ErrorResourceInitFailed()
            .setId(init.id)
            .setProperties(structOf(init.properties))
            .setReasonsList(init.reasons ?? [message]);
        const any = new Any();
        any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
        const status = new statusproto.Status().setCode(grpc.status.UNKNOWN).setMessage(message);
        // addDetails returns the detail it added, not the status: no chaining.
        status.addDetails(any);
        metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
    }
    return Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata });
}
