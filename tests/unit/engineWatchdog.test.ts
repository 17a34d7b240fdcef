import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { isEngineStartedHost, watchEngineLink } from "../../provider/engineWatchdog";

const HOST = path.join("/prog", "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");

describe("engine watchdog of the provider host", () => {
    let dir: string;
    before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-drs-watchdog-"))));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("arms only in the dynamic provider host whose stdin is a pipe", async () => {
        const fifo = path.join(dir, "engine-link");
        execFileSync("mkfifo", [fifo]);
        const pipe = fs.statSync(fifo);
        const server = net.createServer();
        const socketPath = path.join(dir, "engine-link.sock");
        await new Promise<void>((resolve) => server.listen(socketPath, resolve));
        const socket = fs.statSync(socketPath);
        server.close();
        const devNull = fs.statSync("/dev/null");
        assert.equal(isEngineStartedHost(HOST, pipe), true, "the engine's stdin pipe");
        assert.equal(isEngineStartedHost(HOST, socket), true, "a stdin pipe from Node's spawn (a socket pair)");
        assert.equal(isEngineStartedHost("C:\\prog\\node_modules\\@pulumi\\pulumi\\cmd\\dynamic-provider\\index.js", pipe), true);
        assert.equal(isEngineStartedHost(HOST, devNull), false, "a host started with another stdin (tests) has no engine link");
        assert.equal(isEngineStartedHost(HOST, undefined), false);
        assert.equal(isEngineStartedHost(require.main?.filename, pipe), false, "the test runner is not a provider host");
        assert.equal(isEngineStartedHost(undefined, pipe), false);
        assert.equal(isEngineStartedHost(path.join("/prog", "cmd", "dynamic-provider", "index.js"), pipe), false);
    });

    it("reports once when the engine's pipe ends, ignoring what it carried", async () => {
        const link = new PassThrough();
        const reasons: string[] = [];
        watchEngineLink(link, (reason) => reasons.push(reason));
        link.write("noise");
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(reasons, []);
        link.end();
        await new Promise((resolve) => link.once("end", resolve));
        link.destroy(new Error("EPIPE"));
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(reasons.length, 1);
        assert.match(reasons[0], /Pulumi engine closed its pipe/);
    });

    it("reports a failing pipe", async () => {
        const link = new PassThrough();
        const reasons: string[] = [];
        watchEngineLink(link, (reason) => reasons.push(reason));
        link.destroy(new Error("read ECONNRESET"));
        await new Promise((resolve) => setImmediate(resolve));
        assert.deepEqual(reasons, ["the pipe from the Pulumi engine failed (read ECONNRESET)"]);
    });
});
