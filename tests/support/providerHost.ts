import { type ChildProcess, spawn } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { Environment } from "../../provider/stackConfig";

/** The real `@pulumi/pulumi/cmd/dynamic-provider` host, driven over gRPC as the engine drives it. */
export interface ProviderHost {
    readonly client: ResourceProviderClient;
    /** Everything the host printed on stdout/stderr after its port. */
    readonly output: () => string;
    /** The host's exit code (null after a signal), once it has exited and its output is read. */
    readonly exited: Promise<number | null>;
    /** Closes the host's stdin pipe as the engine's death does (only with `engineLink`). */
    closeEngineLink(): void;
    stop(): Promise<void>;
}

/** How the host is started. */
export interface HostOptions {
    /** Give the host a stdin pipe held by this process, as the engine does; default: /dev/null. */
    readonly engineLink?: boolean;
}

/** Spawns the dynamic provider host in `cwd` (a program directory) with `env`, and connects to it. */
export async function startProviderHost(cwd: string, env: Environment, options: HostOptions = {}): Promise<ProviderHost> {
    const script = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    const child: ChildProcess = spawn(process.execPath, [script, "127.0.0.1:1"], {
        cwd,
        env: { PATH: process.env.PATH, PULUMI_NODEJS_PROJECT: "drs-test", PULUMI_NODEJS_STACK: "test", ...env },
        stdio: [options.engineLink ? "pipe" : "ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    let output = "";
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
        let buffered = "";
        const onData = (d: Buffer) => {
            buffered += d.toString();
            const line = /^(\d+)\s*$/m.exec(buffered);
            if (line) {
                child.stdout!.off("data", onData);
                child.stdout!.on("data", (more: Buffer) => (output += more.toString()));
                resolve(Number(line[1]));
            }
        };
        child.stdout!.on("data", onData);
        child.once("exit", (code) => reject(new Error(`provider host exited with ${code}: ${output}`)));
    });
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return {
        client,
        output: () => output,
        exited,
        closeEngineLink: () => child.stdin!.end(),
        stop: async () => {
            client.close();
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGTERM");
                await exited;
            }
        },
    };
}

/** {@link startProviderHost}, then the engine's first call: Configure with an empty config. */
export async function configuredProviderHost(cwd: string, env: Environment): Promise<ProviderHost> {
    const host = await startProviderHost(cwd, env);
    const configure = new provproto.ConfigureRequest();
    configure.setArgs(struct({}));
    await rpc<provproto.ConfigureResponse>((cb) => host.client.configure(configure, cb));
    return host;
}

/** Turns a unary RPC call taking a callback into a promise. */
export function rpc<Res>(call: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => call((err, res) => (err ? reject(err) : resolve(res))));
}

/** Builds a protobuf Struct from a plain object. */
export function struct(value: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
}

export { provproto };
