import { Redis } from 'ioredis';
import { redisUrlSchema } from '../config/index.js';

/**
 * One ioredis connection that fails commands at once while Redis is away (no offline queue: a caller never
 * waits behind a Redis that is gone) and reconnects in the background by itself.
 */
export class RedisConnection {
  readonly redis: Redis;
  private connecting: Promise<void> | undefined;

  /** @param connectionName shown by Redis `CLIENT LIST`, so operators (and tests) can tell imagegate's connections apart */
  constructor(url: string, connectionName?: string) {
    this.redis = new Redis(redisUrlSchema.parse(url), {
      ...(connectionName ? { connectionName } : {}),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    this.redis.on('error', () => {
      // Reported through failing commands and `ping`; an unhandled 'error' event would end the process.
    });
  }

  /**
   * The client once connected: waits while the connection is being made (at start, or reconnecting); fails
   * at once with the connection's error when it cannot be made.
   */
  async ready(): Promise<Redis> {
    if (this.redis.status !== 'ready') {
      // One wait shared by every caller arriving meanwhile.
      this.connecting ??= new Promise<void>((resolve, reject) => {
        const done = (error?: unknown) => {
          this.redis.off('ready', onReady);
          this.redis.off('error', onError);
          if (error) reject(error instanceof Error ? error : new Error(String(error)));
          else resolve();
        };
        const onReady = () => done();
        const onError = (error: unknown) => done(error);
        this.redis.once('ready', onReady);
        this.redis.once('error', onError);
      }).finally(() => (this.connecting = undefined));
      await this.connecting;
    }
    return this.redis;
  }

  async ping(): Promise<void> {
    await (await this.ready()).ping();
  }

  close(): void {
    this.redis.disconnect();
  }
}

/** The name imagegate's connections carry in `CLIENT LIST`: `imagegate` and the deployment's key prefix. */
export function redisConnectionName(keyPrefix: string): string {
  // CLIENT SETNAME refuses spaces; the key prefix allows none.
  return `imagegate-${keyPrefix}`.replace(/:+$/, '');
}
