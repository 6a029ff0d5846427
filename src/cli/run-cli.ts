import { IMAGEGATE_VERSION } from '../version.js';
import { Command, CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { ExitCode, exitCodesHelp } from './exit-code-table.js';

type CommandFactory = (io: CliIo, setExitCode: (code: number) => void) => Command;

/**
 * Every command, loaded when it runs: a command's module pulls in what it needs (the SDK, sharp, the
 * server), and loading all of them costs far more than most commands' work. In help order.
 */
const commandLoaders: Record<string, () => Promise<CommandFactory>> = {
  generate: async () => (await import('./commands/generate.js')).generateCommand,
  edit: async () => (await import('./commands/edit.js')).editCommand,
  thumbnail: async () => (await import('./commands/thumbnail.js')).thumbnailCommand,
  models: async () => (await import('./commands/models.js')).modelsCommand,
  regress: async () => (await import('./commands/regress.js')).regressCommand,
  guard: async () => (await import('./commands/guard.js')).guardCommand,
  audit: async () => (await import('./commands/audit.js')).auditCommand,
  cost: async () => (await import('./commands/cost.js')).costCommand,
  keys: async () => (await import('./commands/keys.js')).keysCommand,
  flow: async () => (await import('./commands/flow.js')).flowCommand,
  migrate: async () => (await import('./commands/migrate.js')).migrateCommand,
  emulator: async () => {
    const [{ emulatorCommand }, { untilStopSignal }] = await Promise.all([
      import('./commands/emulator.js'),
      import('./until-stop-signal.js'),
    ]);
    return (io, setExitCode) => emulatorCommand(io, untilStopSignal, setExitCode);
  },
  serve: async () => {
    const [{ serveCommand }, { untilStopSignal }] = await Promise.all([
      import('./commands/serve.js'),
      import('./until-stop-signal.js'),
    ]);
    return (io, setExitCode) => serveCommand(io, untilStopSignal, setExitCode);
  },
};

/**
 * The commands to load for these arguments: the one named first (options before it are the program's
 * own); none for a bare `--version`; all of them otherwise, so help lists them and a typo gets a
 * suggestion.
 */
function commandsToLoad(argv: string[]): string[] {
  const named = argv.find((argument) => !argument.startsWith('-'));
  if (named !== undefined && named in commandLoaders) return [named];
  if (
    named === undefined &&
    argv.length > 0 &&
    argv.every((argument) => argument === '--version' || argument === '-V')
  ) {
    return [];
  }
  return Object.keys(commandLoaders);
}

/** Runs the CLI in-process and returns the exit code; `main.ts` is the only caller that exits. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const setExitCode = (code: number) => (exitCode = code);
  const program = new Command('imagegate')
    .description(
      "Keep image pipelines on Google's Gemini image models working through retirements and outages",
    )
    .version(IMAGEGATE_VERSION)
    // --version after a command is that command's (flow pull/run --version N), not the CLI's own.
    .enablePositionalOptions()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', exitCodesHelp);
  const factories = await Promise.all(commandsToLoad(argv).map((name) => commandLoaders[name]!()));
  for (const factory of factories) program.addCommand(factory(io, setExitCode));
  for (const command of program.commands)
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; a bad flag or a missing argument is bad input.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    }
    throw error;
  }
  return exitCode;
}
