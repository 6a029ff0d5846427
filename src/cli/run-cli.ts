import { IMAGEGATE_VERSION } from '../version.js';
import { Command, CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { auditCommand } from './commands/audit.js';
import { costCommand } from './commands/cost.js';
import { editCommand } from './commands/edit.js';
import { emulatorCommand } from './commands/emulator.js';
import { generateCommand } from './commands/generate.js';
import { guardCommand } from './commands/guard.js';
import { keysCommand } from './commands/keys.js';
import { migrateCommand } from './commands/migrate.js';
import { modelsCommand } from './commands/models.js';
import { regressCommand } from './commands/regress.js';
import { serveCommand } from './commands/serve.js';
import { thumbnailCommand } from './commands/thumbnail.js';
import { ExitCode, exitCodesHelp } from './exit-codes.js';
import { untilStopSignal } from './until-stop-signal.js';

/** Runs the CLI in-process and returns the exit code; `main.ts` is the only caller that exits. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const setExitCode = (code: number) => (exitCode = code);
  const program = new Command('imagegate')
    .description(
      "Keep image pipelines on Google's Gemini image models working through retirements and outages",
    )
    .version(IMAGEGATE_VERSION)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', exitCodesHelp);
  program.addCommand(generateCommand(io, setExitCode));
  program.addCommand(editCommand(io, setExitCode));
  program.addCommand(thumbnailCommand(io, setExitCode));
  program.addCommand(modelsCommand(io, setExitCode));
  program.addCommand(regressCommand(io, setExitCode));
  program.addCommand(guardCommand(io, setExitCode));
  program.addCommand(auditCommand(io, setExitCode));
  program.addCommand(costCommand(io, setExitCode));
  program.addCommand(keysCommand(io, setExitCode));
  program.addCommand(migrateCommand(io, setExitCode));
  program.addCommand(emulatorCommand(io, untilStopSignal, setExitCode));
  program.addCommand(serveCommand(io, untilStopSignal, setExitCode));
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
