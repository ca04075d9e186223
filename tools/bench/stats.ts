/** Medians, ranges and ratios for noisy timings. */

export interface Summary {
    median: number;
    min: number;
    max: number;
    runs: number;
}

export function summarize(values: number[]): Summary {
    if (values.length === 0) {
        throw new Error("no measurements to summarize");
    }
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values.length };
}

/** "1234 (1200–1300)" in whole units. */
export function formatSummary(s: Summary, unit = "ms"): string {
    const r = (n: number) => Math.round(n).toString();
    return s.runs === 1 ? `${r(s.median)} ${unit}` : `${r(s.median)} ${unit} (${r(s.min)}–${r(s.max)})`;
}

export function ratio(value: number, floor: number): string {
    return floor > 0 ? `${(value / floor).toFixed(2)}x` : "n/a";
}
