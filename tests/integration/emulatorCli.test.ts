import { strict as assert } from "node:assert";
import { execFileSync, spawn } from "node:child_process";
import * as path from "node:path";
import { DEFAULT_USER } from "../../emulator";
import { REPO_ROOT } from "../../scripts/engine";

const CLI = path.join(REPO_ROOT, "dist", "emulator", "cli.js");

describe("npm run emulator (emulator/cli.ts)", function () {
    this.timeout(20_000);

    it("--help names the options", () => {
        const help = execFileSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
        for (const option of ["--port N", "--no-seed", "--help"]) assert.ok(help.includes(option), option);
    });

    it("prints export lines a shell takes as they are, pointing at the running emulator", async () => {
        const child = spawn(process.execPath, [CLI, "--port", "0", "--no-seed"], { stdio: ["ignore", "pipe", "inherit"] });
        try {
            let out = "";
            await new Promise<void>((resolve) =>
                child.stdout.on("data", (d: Buffer) => {
                    out += d.toString();
                    if (out.includes("Seeded jobs")) resolve();
                }),
            );
            const exports = out.split("\n").filter((line) => line.trim().startsWith("export "));
            assert.equal(exports.length, 3);
            const env = execFileSync("bash", ["--norc", "--noprofile", "-c", `${exports.join("\n")}\nenv`], { encoding: "utf8", env: { PATH: process.env.PATH } });
            const vars = Object.fromEntries(env.split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
            assert.equal(vars.OS_PASSWORD, DEFAULT_USER.password);
            assert.equal(vars.OS_USERNAME, DEFAULT_USER.name);
            assert.match(vars.DRS_ENDPOINT, /^http:\/\/127\.0\.0\.1:\d+$/);
            const res = await fetch(`${vars.DRS_ENDPOINT}/__emulator/jobs`);
            assert.equal(res.status, 200);
        } finally {
            child.kill("SIGTERM");
        }
    });
});
