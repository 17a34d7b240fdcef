import type { DrsClient } from "../drs/client";
import type { DbUseType, JobInfo } from "../drs/wire";
import type { Clock } from "../wait/clock";
import { BatchWindow, type WindowTiming } from "./batchWindow";
import { isJobRefusal } from "./isolateBatch";
import { type JobAnswers, JobFailure } from "./jobAnswers";

/** One name lookup: the exact name and the scenarios it is searched in. */
interface NameLookup {
    readonly name: string;
    readonly scopes: readonly DbUseType[];
}

/**
 * Resolves `jobName`s through the tenant job list, gathered in a window
 * like the id lookups. The list's `name` filter takes one substring (a
 * comma-separated `name` is read as a list of job ids, never of names), so
 * one name is asked with the filter, and several names waiting together
 * share one unfiltered listing per scenario (⌈jobs in it / 100⌉ pages),
 * matched exactly here. A listing DRS refuses falls back to one filtered
 * call per name; any other failure fails every name of that window.
 */
export class NameLookups {
    readonly #window: BatchWindow<string, JobInfo[]>;
    readonly #lookups = new Map<string, NameLookup>();

    constructor(
        private readonly client: DrsClient,
        clock: Clock,
        timing: WindowTiming,
    ) {
        this.#window = new BatchWindow(
            clock,
            timing,
            (keys) => this.#flush(keys),
            () => [],
        );
    }

    /** Every job named exactly `name` in `scopes`, from the next flush. */
    find(name: string, scopes: readonly DbUseType[]): Promise<JobInfo[]> {
        const key = JSON.stringify([name, scopes]);
        this.#lookups.set(key, { name, scopes });
        return this.#window.load(key);
    }

    async #flush(keys: string[]): Promise<JobAnswers<JobInfo[]>> {
        const lookups = keys.map((key) => [key, this.#lookups.get(key) ?? { name: "", scopes: [] }] as const);
        for (const key of keys) this.#lookups.delete(key);
        if (lookups.length === 1) return this.#each(lookups);
        const answers: JobAnswers<JobInfo[]> = new Map(lookups.map(([key]) => [key, []]));
        const scopes = [...new Set(lookups.flatMap(([, l]) => l.scopes))];
        try {
            for (const scope of scopes) {
                const listed = await this.client.listJobs({ dbUseType: scope });
                for (const [key, lookup] of lookups) {
                    if (!lookup.scopes.includes(scope)) continue;
                    const named = listed.filter((job) => job.name === lookup.name).map((job) => ({ ...job, dbUseType: job.dbUseType ?? scope }));
                    (answers.get(key) as JobInfo[]).push(...named);
                }
            }
        } catch (error) {
            if (!isJobRefusal(error)) return new Map(keys.map((key) => [key, new JobFailure(error)]));
            return this.#each(lookups);
        }
        return answers;
    }

    /** One filtered lookup per name; a failing one fails only its own name. */
    async #each(lookups: readonly (readonly [string, NameLookup])[]): Promise<JobAnswers<JobInfo[]>> {
        const answers: JobAnswers<JobInfo[]> = new Map();
        for (const [key, { name, scopes }] of lookups) {
            try {
                answers.set(key, await this.client.findJobsNamed(name, scopes));
            } catch (error) {
                answers.set(key, new JobFailure(error));
            }
        }
        return answers;
    }
}
