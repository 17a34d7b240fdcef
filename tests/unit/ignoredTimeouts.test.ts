import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { warnIgnoredTimeouts } from "../../sdk/ignoredTimeouts";

describe("dynamic door: customTimeouts cannot reach the provider, so the resource warns", () => {
    const warned: string[] = [];
    const original = pulumi.log.warn;
    beforeEach(() => {
        warned.length = 0;
        (pulumi.log as { warn: typeof pulumi.log.warn }).warn = (message: string) => {
            warned.push(message);
            return Promise.resolve();
        };
    });
    afterEach(() => ((pulumi.log as { warn: typeof pulumi.log.warn }).warn = original));

    it("names the resource, the timeouts given and timeoutSeconds", () => {
        warnIgnoredTimeouts("orders", { customTimeouts: { create: "2s", update: "5m" } });
        assert.equal(warned.length, 1);
        assert.match(warned[0], /DrsJobStart orders: customTimeouts \(create: 2s, update: 5m\) do not reach a dynamic provider.*set timeoutSeconds instead/);
    });

    it("is quiet without customTimeouts, or with an empty one", () => {
        warnIgnoredTimeouts("orders", undefined);
        warnIgnoredTimeouts("orders", { protect: true });
        warnIgnoredTimeouts("orders", { customTimeouts: {} });
        assert.deepEqual(warned, []);
    });
});
