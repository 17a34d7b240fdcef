/**
 * `pulumi-resource-drs`: the DrsJobStart provider core served as a Pulumi
 * resource plugin (package `drs`, resource `drs:index:JobStart`), for
 * `pulumi import`, YAML, Go, Python and .NET programs, and a Ctrl-C that stops
 * the wait. The engine starts it with its own address as the argument; it
 * prints the port it serves on, as every plugin does.
 */
import { setMaxListeners } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { armEngineWatchdog } from "../provider/engineWatchdog";
import { DrsJobStartProvider } from "../provider/provider";
import { ResourceProviderService } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { pluginService } from "./server";

/** The package root of a running plugin: the folder that holds its package.json (tarball root or repository). */
function packageRoot(): string {
    for (let dir = __dirname; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json"))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`pulumi-resource-drs: no package.json above ${__dirname}`);
    }
}

/** Starts the plugin's gRPC server on a free loopback port and prints the port. */
export async function servePlugin(): Promise<grpc.Server> {
    armEngineWatchdog("plugin");
    const root = packageRoot();
    const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    // Built next to this file (dist/plugin/schema.json), or at the tarball root.
    const schemaFile = [path.join(__dirname, "schema.json"), path.join(root, "schema.json")].find((f) => fs.existsSync(f));
    if (!schemaFile) throw new Error("pulumi-resource-drs: schema.json is missing: run npm run build");
    const cancelled = new AbortController();
    // One listener per waiting resource: hundreds in a large deployment.
    setMaxListeners(0, cancelled.signal);
    const core = new DrsJobStartProvider({ signal: cancelled.signal });
    const server = new grpc.Server();
    server.addService(ResourceProviderService, pluginService({ core, schema: fs.readFileSync(schemaFile, "utf8"), version, cancel: () => cancelled.abort(new Error("cancelled by the engine")) }));
    const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))));
    process.stdout.write(`${port}\n`);
    return server;
}

if (require.main === module) {
    servePlugin().catch((error: unknown) => {
        process.stderr.write(`pulumi-resource-drs: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
    });
}
