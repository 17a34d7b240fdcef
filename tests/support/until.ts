/** Resolves once `condition()` holds, looking every 20 ms (the test's own timeout bounds the wait). */
export async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}
