/** How a CLI run ended: its exit code (0 = success) and everything it printed. */
export interface Run {
    readonly code: number;
    readonly output: string;
}

/** Runs an Automation API command and reports its exit code instead of throwing. */
export async function run(command: Promise<{ stdout: string; stderr: string }>): Promise<Run> {
    try {
        const result = await command;
        return { code: 0, output: result.stdout + result.stderr };
    } catch (error) {
        // The Automation API wraps the CLI's failed exit in a CommandError whose `err` is execa's error.
        const result = (error as { commandResult?: { code?: number; err?: { exitCode?: number } } }).commandResult;
        const code = result?.err?.exitCode ?? result?.code;
        return { code: typeof code === "number" ? code : -1, output: String((error as Error).message) };
    }
}
