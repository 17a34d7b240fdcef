import type { TransportOptions } from "../../provider/drs/http";

/** Real retry logic with short delays, so fault tests run in milliseconds. */
export const FAST_TRANSPORT: TransportOptions = {
    requestTimeoutMs: 2_000,
    retry: { retries: 3, minDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 1_000 },
};
