import { untilStopSignal } from '../until-stop-signal.js';
import { Command } from 'commander';
import { z } from 'zod';
import { createServerLogger, logLevels, startServer, type RunningServer } from '../../server/index.js';
import { processIo, type CliIo } from '../cli-io.js';
import { describeError } from '../describe-error.js';
import { ExitCode } from '../exit-codes.js';

export const serveFlagsSchema = z.strictObject({
  port: z.coerce
    .number({ error: 'port must be a number' })
    .int('port must be a whole number')
    .min(0, 'port must be between 0 and 65535')
    .max(65_535, 'port must be between 0 and 65535')
    .optional(),
  host: z.string().min(1, 'host must not be empty').optional(),
  config: z.string().min(1, 'config must name a file').optional(),
  dataDir: z.string().min(1, 'data-dir must not be empty').optional(),
  logLevel: z.enum(logLevels).optional(),
});
export type ServeFlags = z.infer<typeof serveFlagsSchema>;

const flagNames: Record<string, string> = { dataDir: 'data-dir' };

/** Checks the flags; the error names the flag, its value and what is allowed. */
export function parseServeFlags(raw: Record<string, unknown>): ServeFlags {
  const parsed = serveFlagsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0] ?? 'flags');
  throw new Error(`Invalid --${flagNames[key] ?? key} ${JSON.stringify(raw[key])}: ${issue.message}`);
}

/** The first line `serve` prints. */
export function listeningLine(url: string): string {
  return `imagegate listening on ${url}`;
}

/**
 * A command that works as printed: submits a generation and waits up to 30 s for the finished task.
 * When the server needs keys (any exists, or they are required) it reads the key from IMAGEGATE_API_KEY.
 */
export function curlExample(url: string, authRequired: boolean): string {
  const body = JSON.stringify({ model: 'image_fast', prompt: 'A lighthouse at dawn, watercolour' });
  const auth = authRequired ? ` -H "Authorization: Bearer $IMAGEGATE_API_KEY"` : '';
  return `curl -s -X POST '${url}/v1/images/generations?wait=30' -H 'Content-Type: application/json'${auth} -d '${body}'`;
}

/**
 * `imagegate serve [--port] [--host] [--config] [--data-dir]`: the task API until SIGINT or SIGTERM, then
 * a graceful stop (running tasks get `server.shutdownGraceMs`, the rest return to the queue).
 * @param io where output goes (default: the process's stdout and stderr)
 * @param waitForStop resolves when the server should shut down (default: SIGINT or SIGTERM)
 * @param setExitCode receives the exit code when the server cannot start (a bad flag or config, a busy port)
 */
export function serveCommand(
  io: CliIo = processIo(),
  waitForStop: (server: RunningServer) => Promise<unknown> = untilStopSignal,
  setExitCode: (code: number) => void = (code) => (process.exitCode = code),
): Command {
  return new Command('serve')
    .description('Serve the async task API (submit, poll, SSE, webhooks), models and lifecycle, OpenAPI docs')
    .option('--port <n>', 'TCP port (default: server.port in the config, 8080; 0 picks a free one)')
    .option('--host <host>', 'interface to listen on (default: server.host, 127.0.0.1)')
    .option('--config <file>', 'imagegate.config.yaml to use (default: the usual lookup)')
    .option('--data-dir <dir>', 'task database and images (default: server.dataDirectory, ./.imagegate)')
    .option('--log-level <level>', `structured log level on stderr: ${logLevels.join(', ')} (default: info)`)
    .action(async (raw: Record<string, unknown>) => {
      let server: RunningServer;
      try {
        const flags = parseServeFlags(raw);
        const logger = createServerLogger({ level: flags.logLevel ?? 'info', write: io.stderr });
        server = await startServer({
          ...(flags.config ? { config: flags.config } : {}),
          ...(flags.port !== undefined ? { port: flags.port } : {}),
          ...(flags.host ? { host: flags.host } : {}),
          ...(flags.dataDir ? { dataDirectory: flags.dataDir } : {}),
          env: io.env,
          cwd: io.cwd,
          onNotice: (line) => io.stderr(`${line}\n`),
          onError: (error) => logger.error({ err: error }, 'unexpected error'),
        });
      } catch (error) {
        io.stderr(`${describeError(error)}\n`);
        setExitCode(ExitCode.badInput);
        return;
      }
      io.stdout(`${listeningLine(server.url)}\n`);
      io.stdout(
        `Web console: ${server.url}/ — API docs: ${server.url}/docs — data in ${server.dataDirectory}\n`,
      );
      io.stdout(`Try it:\n  ${curlExample(server.url, server.authRequired)}\n`);
      await waitForStop(server);
      io.stderr('imagegate stopping: finishing running tasks…\n');
      await server.close();
      io.stderr('imagegate stopped\n');
    });
}
