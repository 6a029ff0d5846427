import { pino, type Logger } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * The server's structured log: one JSON object per line, so a log shipper can read errors with their
 * stack, task id and request path. `write` is where lines go (the CLI passes its stderr).
 */
export function createServerLogger(options: { level?: LogLevel; write: (line: string) => void }): Logger {
  return pino(
    { name: 'imagegate', level: options.level ?? 'info', base: { pid: process.pid } },
    { write: (line: string) => options.write(line) },
  );
}
