import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { commandAvailable } from '../support/command-available.js';
import { freePort } from '../support/free-port.js';

const run = promisify(execFile);
/** initdb refuses to run as root: there the cluster belongs to this operating-system user. */
const SERVER_USER = 'postgres';
/** How long pg_ctl waits for the server to start or stop. */
const PG_CTL_TIMEOUT_SECONDS = 60;

/**
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl) on a free port, trust authentication: a test
 * may stop it hard and start it again (a real restart), which the shared server must never suffer while
 * other test files use it.
 */
export interface PrivatePostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  url: string;
  /** `pg_ctl stop -m immediate`: every connection drops, as in a crash; recovery runs at the next start. */
  kill(): Promise<void>;
  /** Starts it again on the same port; resolves once it accepts connections. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Whether initdb and pg_ctl run here (and runuser, as root); a skip line or, under CI=true, a failure. */
export function privatePostgresAvailable(): boolean {
  const what = 'the PostgreSQL restart drill';
  return (
    commandAvailable('initdb', what) &&
    commandAvailable('pg_ctl', what) &&
    (!runsAsRoot() || commandAvailable('runuser', what))
  );
}

export async function startPrivatePostgresServer(): Promise<PrivatePostgresServer> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-pg-'));
  // The server user must be able to create the cluster inside it (mkdtemp makes it 0700, the root's).
  await chmod(directory, 0o777);
  const dataDirectory = join(directory, 'data');
  const port = await freePort();
  await asServerUser('initdb', ['-D', dataDirectory, '-U', 'postgres', '-A', 'trust', '--no-sync']);
  const pgCtl = (...args: string[]) =>
    asServerUser('pg_ctl', ['-D', dataDirectory, '-t', String(PG_CTL_TIMEOUT_SECONDS), ...args]);
  const start = async () => {
    await pgCtl(
      '-l',
      join(directory, 'server.log'),
      // Its socket in the test's folder; durability is not under test (a restart is a process crash,
      // which the write-ahead log survives with fsync off).
      '-o',
      `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off`,
      '-w',
      'start',
    );
  };
  const kill = async () => {
    await pgCtl('-m', 'immediate', '-w', 'stop');
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    kill,
    start,
    close: async () => {
      await kill().catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

async function asServerUser(command: string, args: string[]): Promise<void> {
  if (runsAsRoot()) await run('runuser', ['-u', SERVER_USER, '--', command, ...args]);
  else await run(command, args);
}
