/** A deployment's counters, in memory: rows, requests, errors and the latency of the last 1,000 requests. */
const WINDOW = 1000;

export class DeploymentCounters {
  rows = 0;
  requests = 0;
  errors = 0;
  readonly since = new Date().toISOString();
  private readonly latencies = new Float64Array(WINDOW);
  private recorded = 0;

  /** A request that was answered: its rows, its error lines, how long it took. */
  record(rows: number, errors: number, ms: number): void {
    this.requests++;
    this.rows += rows;
    this.errors += errors;
    this.latencies[this.recorded++ % WINDOW] = ms;
  }

  /** A request that failed as a whole (a 400, a thread that died). */
  failed(ms: number): void {
    this.record(0, 1, ms);
  }

  /** The latencies below which each share p of the last requests fall (nearest rank), null before the first; one sort for all. */
  percentiles(...shares: number[]): (number | null)[] {
    const n = Math.min(this.recorded, WINDOW);
    if (n === 0) return shares.map(() => null);
    const sorted = this.latencies.slice(0, n).sort();
    return shares.map((p) => sorted[Math.min(n - 1, Math.ceil(p * n) - 1)]);
  }

  toJSON(): { rows: number; requests: number; errors: number; p50Ms: number | null; p99Ms: number | null; since: string } {
    const [p50Ms, p99Ms] = this.percentiles(0.5, 0.99);
    return { rows: this.rows, requests: this.requests, errors: this.errors, p50Ms, p99Ms, since: this.since };
  }
}
