import pg from 'pg';
import { systemClock, type Clock } from '../clock/index.js';
import { postgresChannels } from './postgres-channels.js';

export interface PostgresTaskListenerOptions {
  /** Connection settings (the pool's: same URL and schema). */
  connection: pg.ClientConfig;
  /** A task became claimable somewhere: wake the local worker. */
  onClaimable(): void;
  /** A task has new events: tell the local SSE streams. */
  onEvents(taskId: string): void;
  /** Called once per outage and once per recovery (`connected` true). */
  onConnectionChange?(connected: boolean, error?: unknown): void;
  clock?: Clock;
  /** Wait before reconnecting, doubled up to `maxReconnectDelayMs`. Default 250 ms. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
}

/**
 * One dedicated connection that `LISTEN`s for the store's notifications, so workers and SSE streams of
 * every instance react to other instances' commits at once instead of polling. It reconnects by itself
 * when PostgreSQL restarts, and then calls `onClaimable` once: notifications sent while it was away are
 * lost, and the store, not the notification, is the truth.
 */
export class PostgresTaskListener {
  private client: pg.Client | undefined;
  private stopped = false;
  private connected = false;
  private readonly clock: Clock;
  private readonly stopController = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: PostgresTaskListenerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Resolves once the first connection is listening (or failed once; it keeps trying). */
  start(): Promise<void> {
    let firstAttempt!: () => void;
    const ready = new Promise<void>((resolve) => (firstAttempt = resolve));
    this.loop = this.run(firstAttempt);
    return ready;
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopController.abort();
    await this.client?.end().catch(() => undefined);
    await this.loop;
  }

  private async run(firstAttempt: () => void): Promise<void> {
    let delayMs = this.options.reconnectDelayMs ?? 250;
    const maxDelayMs = this.options.maxReconnectDelayMs ?? 5000;
    while (!this.stopped) {
      const client = new pg.Client(this.options.connection);
      this.client = client;
      const ended = new Promise<unknown>((resolve) => {
        client.on('error', resolve);
        client.on('end', () => resolve(new Error('connection ended')));
      });
      try {
        await client.connect();
        client.on('notification', (message) => {
          if (message.channel === postgresChannels.claimable) this.options.onClaimable();
          else if (message.channel === postgresChannels.events && message.payload) {
            this.options.onEvents(message.payload);
          }
        });
        await client.query(`LISTEN ${postgresChannels.claimable}`);
        await client.query(`LISTEN ${postgresChannels.events}`);
        this.setConnected(true);
        delayMs = this.options.reconnectDelayMs ?? 250;
        firstAttempt();
        // Whatever was queued while nobody listened.
        this.options.onClaimable();
        const reason = await ended;
        if (!this.stopped) this.setConnected(false, reason);
      } catch (error) {
        this.setConnected(false, error);
        firstAttempt();
      }
      await client.end().catch(() => undefined);
      if (this.stopped) break;
      await this.clock.sleep(delayMs, this.stopController.signal).catch(() => undefined);
      delayMs = Math.min(maxDelayMs, delayMs * 2);
    }
  }

  private setConnected(connected: boolean, error?: unknown): void {
    if (this.connected === connected && connected) return;
    const changed = this.connected !== connected;
    this.connected = connected;
    if (changed) this.options.onConnectionChange?.(connected, error);
  }
}
