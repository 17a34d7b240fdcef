import { strict as assert } from "node:assert";
import { instantOfWallTime, isTimeZone, wallTimeAt } from "../../../policy/policies/zonedTime";

/** A wall time written as an ISO string without offset. */
const wall = (reading: string) => Date.parse(`${reading}Z`);

describe("policy: zoned time (Intl, no tz library)", () => {
    it("knows IANA zones and their aliases, and rejects unknown names", () => {
        assert.ok(isTimeZone("UTC"));
        assert.ok(isTimeZone("Europe/Berlin"));
        assert.ok(isTimeZone("Asia/Calcutta"), "an alias Intl resolves");
        assert.ok(!isTimeZone("Europe/Berln"));
        assert.ok(!isTimeZone("CEST+2"));
    });

    it("reads the clocks of a zone in winter, in summer, at a half-hour offset and south of the equator", () => {
        assert.equal(wallTimeAt(Date.parse("2026-11-28T01:00:00Z"), "Europe/Berlin"), wall("2026-11-28T02:00:00"));
        assert.equal(wallTimeAt(Date.parse("2026-07-04T00:00:00Z"), "Europe/Berlin"), wall("2026-07-04T02:00:00"));
        assert.equal(wallTimeAt(Date.parse("2026-11-27T20:30:00Z"), "Asia/Kolkata"), wall("2026-11-28T02:00:00"));
        assert.equal(wallTimeAt(Date.parse("2026-11-28T15:00:00Z"), "Australia/Sydney"), wall("2026-11-29T02:00:00"), "AEDT, +11 in November");
        assert.equal(wallTimeAt(Date.parse("2026-11-28T02:00:00.999Z"), "UTC"), wall("2026-11-28T02:00:00"), "whole seconds");
    });

    it("turns a wall time that happens once into its instant", () => {
        assert.equal(instantOfWallTime(wall("2026-11-28T02:00:00"), "Europe/Berlin"), Date.parse("2026-11-28T01:00:00Z"));
        assert.equal(instantOfWallTime(wall("2026-07-04T02:00:00"), "Europe/Berlin"), Date.parse("2026-07-04T00:00:00Z"));
        assert.equal(instantOfWallTime(wall("2026-11-28T02:00:00"), "Asia/Kolkata"), Date.parse("2026-11-27T20:30:00Z"));
        assert.equal(instantOfWallTime(wall("2026-07-05T02:00:00"), "Australia/Sydney"), Date.parse("2026-07-04T16:00:00Z"), "AEST, +10 in July");
        assert.equal(instantOfWallTime(wall("2026-11-28T02:00:00"), "UTC"), Date.parse("2026-11-28T02:00:00Z"));
    });

    it("takes the earlier occurrence of a wall time the clocks repeat when they go back", () => {
        // Europe/Berlin 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:00-02:59 happen twice.
        assert.equal(instantOfWallTime(wall("2026-10-25T02:00:00"), "Europe/Berlin"), Date.parse("2026-10-25T00:00:00Z"));
        assert.equal(instantOfWallTime(wall("2026-10-25T02:30:00"), "Europe/Berlin"), Date.parse("2026-10-25T00:30:00Z"));
        assert.equal(instantOfWallTime(wall("2026-10-25T03:00:00"), "Europe/Berlin"), Date.parse("2026-10-25T02:00:00Z"));
        // Australia/Sydney 2026-04-05: 03:00 AEDT becomes 02:00 AEST.
        assert.equal(instantOfWallTime(wall("2026-04-05T02:00:00"), "Australia/Sydney"), Date.parse("2026-04-04T15:00:00Z"));
    });

    it("maps a wall time the clocks skip when they go forward to the instant they jump", () => {
        // Europe/Berlin 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00 UTC.
        assert.equal(instantOfWallTime(wall("2026-03-29T02:00:00"), "Europe/Berlin"), Date.parse("2026-03-29T01:00:00Z"));
        assert.equal(instantOfWallTime(wall("2026-03-29T02:59:59"), "Europe/Berlin"), Date.parse("2026-03-29T01:00:00Z"));
        assert.equal(instantOfWallTime(wall("2026-03-29T03:00:00"), "Europe/Berlin"), Date.parse("2026-03-29T01:00:00Z"));
        assert.equal(instantOfWallTime(wall("2026-03-29T01:59:59"), "Europe/Berlin"), Date.parse("2026-03-29T00:59:59Z"));
        // Australia/Sydney 2026-10-04: 02:00 AEST becomes 03:00 AEDT at 16:00 UTC the day before.
        assert.equal(instantOfWallTime(wall("2026-10-04T02:30:00"), "Australia/Sydney"), Date.parse("2026-10-03T16:00:00Z"));
    });
});
