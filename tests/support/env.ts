/** A job id in DRS shape, unique per number. */
export function jobId(n: number): string {
    const hex = n.toString(16).padStart(8, "0");
    return `${hex}-88ad-43c8-811c-${n.toString(16).padStart(7, "0")}jb101`;
}
