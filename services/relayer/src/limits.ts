/**
 * Requests per key (an IP address, a signer) in fixed one-minute windows, in memory: a restart
 * forgets them, which only ever lets a few more requests through (the budget is what is persisted).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly perMinute: number;
  private readonly now: () => number;

  constructor(perMinute: number, now: () => number = Date.now) {
    this.perMinute = perMinute;
    this.now = now;
  }

  /** Counts one request of `key`; returns the seconds to wait when over the limit, else 0. */
  hit(key: string): number {
    const now = this.now();
    if (this.windows.size > 100_000) this.prune(now);
    const w = this.windows.get(key);
    if (w === undefined || now - w.start >= 60_000) {
      this.windows.set(key, { start: now, count: 1 });
      return 0;
    }
    w.count++;
    return w.count > this.perMinute ? Math.ceil((w.start + 60_000 - now) / 1000) : 0;
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(key);
  }
}
