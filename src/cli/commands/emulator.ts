import { existsSync, statSync } from 'node:fs';
import { untilStopSignal } from '../until-stop-signal.js';
import { Command } from 'commander';
import { z } from 'zod';
import { loadScenarioFile, startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { processIo, type CliIo } from '../cli-io.js';
import { describeError } from '../describe-error.js';
import { ExitCode } from '../exit-codes.js';

export const emulatorFlagsSchema = z.object({
  port: z.coerce
    .number({ error: 'port must be a number' })
    .int('port must be a whole number')
    .min(0, 'port must be between 0 and 65535')
    .max(65_535, 'port must be between 0 and 65535'),
  host: z.string().min(1, 'host must not be empty'),
  scenario: z
    .string()
    .refine((path) => existsSync(path) && statSync(path).isFile(), { error: 'scenario file does not exist' })
    .optional(),
  /** `k1,k2`: the only API keys accepted; any other gets the real 400 API_KEY_INVALID. */
  apiKeys: z
    .string()
    .transform((list) => list.split(',').map((key) => key.trim()))
    .refine((keys) => keys.every((key) => key !== ''), {
      error: 'expected a comma-separated list of non-empty keys, e.g. k1,k2',
    })
    .optional(),
});
export type EmulatorFlags = z.infer<typeof emulatorFlagsSchema>;

/** Checks the flags; the error names the flag, its value and what is allowed. */
export function parseEmulatorFlags(raw: Record<string, unknown>): EmulatorFlags {
  const parsed = emulatorFlagsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = String(issue.path[0] ?? 'flags');
  // Commander camel-cases `--api-keys` to `apiKeys`; name the flag as the user typed it.
  const typed = flag.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  throw new Error(`Invalid --${typed} ${JSON.stringify(raw[flag])}: ${issue.message}`);
}

export function listeningLine(url: string): string {
  return `Gemini API emulator listening on ${url} — export GOOGLE_GEMINI_BASE_URL=${url}`;
}

/** Starts the emulator from checked flags. */
export async function runEmulator(flags: EmulatorFlags): Promise<RunningEmulator> {
  const scenario = flags.scenario ? await loadScenarioFile(flags.scenario) : undefined;
  return startEmulator({
    port: flags.port,
    host: flags.host,
    ...(scenario ? { scenario } : {}),
    ...(flags.apiKeys ? { apiKeys: flags.apiKeys } : {}),
  });
}

/**
 * `imagegate emulator [--port 8090] [--host 127.0.0.1] [--scenario file.yaml] [--api-keys k1,k2]`: serves the offline Gemini
 * API until SIGINT or SIGTERM.
 * @param io where output goes (default: the process's stdout and stderr)
 * @param waitForStop resolves when the emulator should shut down (default: SIGINT or SIGTERM)
 * @param setExitCode receives the exit code when the emulator cannot start (a bad flag, a busy port)
 */
export function emulatorCommand(
  io: CliIo = processIo(),
  waitForStop: () => Promise<unknown> = untilStopSignal,
  setExitCode: (code: number) => void = (code) => (process.exitCode = code),
): Command {
  return new Command('emulator')
    .description(
      'Serve an offline Gemini API (models, generateContent, streaming, Files, Batch) for tests and demos',
    )
    .option('--port <n>', 'TCP port to listen on (0 picks a free one)', '8090')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option(
      '--scenario <file>',
      'YAML scenario of faults, latency and the emulated clock (docs/emulator-scenarios.md)',
    )
    .option('--api-keys <keys>', 'comma-separated API keys to accept; others get 400 API_KEY_INVALID')
    .action(async (raw: Record<string, unknown>) => {
      let emulator: RunningEmulator;
      try {
        emulator = await runEmulator(parseEmulatorFlags(raw));
      } catch (error) {
        io.stderr(`${describeError(error)}\n`);
        setExitCode(ExitCode.badInput);
        return;
      }
      io.stdout(`${listeningLine(emulator.url)}\n`);
      await waitForStop();
      await emulator.close();
      io.stderr('Gemini API emulator stopped\n');
    });
}
