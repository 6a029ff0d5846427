import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { commandAvailable } from '../support/command-available.js';
import { freePort } from '../support/free-port.js';
import { waitUntil } from '../support/wait-until.js';

/** How long a starting redis-server gets to answer PING. */
const START_TIMEOUT_MS = 20_000;

/**
 * A redis-server of the test's own, on a free port, without persistence: a test may kill it and start it
 * again on the same port (a real restart that loses every key), which the shared Redis must never suffer.
 */
export interface PrivateRedisServer {
  url: string;
  /** SIGKILL: every connection drops at once, nothing is saved. */
  kill(): Promise<void>;
  /** Starts it again on the same port; resolves once it answers PING. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Whether redis-server runs here; a skip line or, under CI=true, a failure. */
export function privateRedisAvailable(): boolean {
  return commandAvailable('redis-server', 'the Redis restart drill');
}

export async function startPrivateRedisServer(): Promise<PrivateRedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  const start = async () => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    child = started;
    exited = new Promise((resolve) => started.once('exit', resolve));
    await waitUntil(() => answersPing(url), {
      what: `redis-server on port ${port} to answer PING`,
      timeoutMs: START_TIMEOUT_MS,
      intervalMs: 50,
    });
  };
  const kill = async () => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url, kill, start, close: kill };
}

async function answersPing(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
