import { strict as assert } from "node:assert";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { configValues } from "../../plugin/server";

describe("plugin door: the engine's Configure call as drs:* stack config", () => {
    it("reads the variables map (drs:config:key) and the args struct, other packages' keys ignored", () => {
        const request = new provproto.ConfigureRequest();
        request.getVariablesMap().set("drs:config:region", "eu-nl").set("drs:config:password", "from-variables").set("aws:config:region", "us-east-1");
        request.setArgs(Struct.fromJavaScript({ region: "ignored: variables win", projectId: "b".repeat(32), retries: 3 }));
        assert.deepEqual(configValues(request), { "drs:region": "eu-nl", "drs:password": "from-variables", "drs:projectId": "b".repeat(32) });
    });
});
