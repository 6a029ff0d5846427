// A separate OS process for the cross-process tests: claims from a task database and reports on stdout.
// Usage: node --import tsx claimer-process.ts <database> <workerId> <nowMs> drain|claim-one-and-wait
import { openSqliteDatabase, SqliteTaskStore } from '../../src/tasks/index.js';

const [databasePath, workerId, nowText, mode] = process.argv.slice(2);
if (!databasePath || !workerId || !nowText || (mode !== 'drain' && mode !== 'claim-one-and-wait')) {
  throw new Error('usage: claimer-process.ts <database> <workerId> <nowMs> drain|claim-one-and-wait');
}
const nowMs = Number(nowText);
const store = new SqliteTaskStore(openSqliteDatabase(databasePath));

if (mode === 'drain') {
  // Report ready, then wait for the parent's go so every process starts claiming at the same moment.
  process.stdout.write('ready\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  process.stdin.pause();
  const claimed: string[] = [];
  for (;;) {
    const claim = await store.claim(workerId, nowMs, 60_000);
    if (!claim) break;
    claimed.push(claim.task.id);
  }
  process.stdout.write(`${JSON.stringify(claimed)}\n`);
  await store.close();
} else {
  const claim = await store.claim(workerId, nowMs, 30_000);
  process.stdout.write(`${JSON.stringify(claim ? [claim.task.id] : [])}\n`);
  // Holds the task until the parent kills this process.
  setInterval(() => {}, 60_000);
}
