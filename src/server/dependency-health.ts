import { systemClock, type Clock } from '../clock/index.js';

/** One outside service the instance needs (PostgreSQL, S3, Redis), and how to ask whether it answers. */
export interface DependencyCheck {
  name: string;
  check(): Promise<void>;
}

export interface DependencyStatus {
  ok: boolean;
  /** Why the last check failed: the error's kind, never its full text (it may hold a host or a query). */
  reason?: string;
  /** When the current state began, by the injected clock. */
  sinceMs: number;
}

export interface DependencyHealthOptions {
  checks: DependencyCheck[];
  clock?: Clock;
  /** Time between background checks. Default 2000 ms. */
  intervalMs?: number;
  /** Called when a dependency goes down or comes back. */
  onChange?(name: string, status: DependencyStatus): void;
}

/** What a client is told to wait before retrying a submit while a dependency is down. */
export const DEPENDENCY_RETRY_AFTER_MS = 5_000;

/**
 * Whether the instance's dependencies answer, checked in the background and on demand. While one is
 * down the worker claims nothing and submits answer 503 with Retry-After; when it answers again both
 * resume by themselves, without a restart.
 */
export class DependencyHealth {
  private readonly clock: Clock;
  private readonly statuses = new Map<string, DependencyStatus>();
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: DependencyHealthOptions) {
    this.clock = options.clock ?? systemClock;
    const nowMs = this.clock.nowMs();
    for (const check of options.checks) this.statuses.set(check.name, { ok: true, sinceMs: nowMs });
  }

  /** Checks every dependency once now. */
  async refresh(): Promise<void> {
    await Promise.all(
      this.options.checks.map(async ({ name, check }) => {
        try {
          await check();
          this.set(name, { ok: true });
        } catch (error) {
          this.set(name, { ok: false, reason: reasonOf(error) });
        }
      }),
    );
  }

  start(): void {
    if (this.loop || this.options.checks.length === 0) return;
    const intervalMs = this.options.intervalMs ?? 2_000;
    this.loop = (async () => {
      while (!this.stopController.signal.aborted) {
        await this.refresh();
        await this.clock.sleep(intervalMs, this.stopController.signal).catch(() => undefined);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
  }

  /** Marks a dependency down at once (a request just failed on it); the background check brings it back. */
  reportFailure(name: string, error: unknown): void {
    if (this.statuses.has(name)) this.set(name, { ok: false, reason: reasonOf(error) });
  }

  report(): Record<string, DependencyStatus> {
    return Object.fromEntries(this.statuses);
  }

  /** The first dependency that is down, or undefined when all answer. */
  firstDown(): string | undefined {
    for (const [name, status] of this.statuses) if (!status.ok) return name;
    return undefined;
  }

  isDown(name: string): boolean {
    return this.statuses.get(name)?.ok === false;
  }

  private set(name: string, next: { ok: boolean; reason?: string }): void {
    const current = this.statuses.get(name);
    if (current && current.ok === next.ok && current.reason === next.reason) return;
    const status: DependencyStatus = {
      ok: next.ok,
      ...(next.reason ? { reason: next.reason } : {}),
      sinceMs: current?.ok === next.ok ? current.sinceMs : this.clock.nowMs(),
    };
    this.statuses.set(name, status);
    if (current?.ok !== next.ok) this.options.onChange?.(name, status);
  }
}

/** A short, safe description of why a check failed: the error's code or name. */
function reasonOf(error: unknown): string {
  const withCode = error as { code?: unknown; name?: unknown };
  if (typeof withCode.code === 'string' && withCode.code) return withCode.code;
  if (typeof withCode.name === 'string' && withCode.name && withCode.name !== 'Error') return withCode.name;
  return 'does not answer';
}
