// Timers that die together when the station's connection does.
export class TimerSet {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly onError: (error: Error) => void) {}

  later(ms: number, task: () => Promise<unknown>): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      task().catch((error: unknown) => this.onError(error instanceof Error ? error : new Error(String(error))));
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout | undefined): void {
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
