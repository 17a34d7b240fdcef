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
import { EngineLog } from "./engineLog";
import { pluginService } from "./server";

/** Starts the plugin's gRPC server on a free loopback port and prints the port. */
export async function servePlugin(): Promise<grpc.Server> {
    armEngineWatchdog("plugin");
    // Next to this file: dist/plugin/schema.json in the repository, beside plugin.js in the tarball.
    // Its version is package.json's (scripts/writeSchema.ts), so it is the plugin's version too.
    const schemaFile = path.join(__dirname, "schema.json");
    if (!fs.existsSync(schemaFile)) throw new Error(`pulumi-resource-drs: ${schemaFile} is missing: run npm run build`);
    const schema = fs.readFileSync(schemaFile, "utf8");
    const { version } = JSON.parse(schema) as { version: string };
    const cancelled = new AbortController();
    // One listener per waiting resource: hundreds in a large deployment.
    setMaxListeners(0, cancelled.signal);
    // The engine hides a plugin's stdout: progress lines go to its Log service, on their resource.
    const log = new EngineLog(process.argv[2]);
    const core = new DrsJobStartProvider({ signal: cancelled.signal, progress: log.sink });
    const server = new grpc.Server();
    const cancel = () => cancelled.abort(new Error("cancelled by the engine"));
    server.addService(ResourceProviderService, pluginService({ core, schema, version, cancel, track: (jobId, urn) => log.track(jobId, urn) }));
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
