import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { InvalidInputError } from '../errors/index.js';
import type { OutputFormat } from '../request/index.js';

/** The `-o` extensions that name each output format. */
const formatByExtension: Record<string, OutputFormat> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg' };

/** Whether `-o` names a folder: a trailing slash, or no `-o` at all (the working directory). */
function namesFolder(output: string | undefined): boolean {
  return output === undefined || /[\\/]$/.test(output);
}

/**
 * The format to write. A `-o` file extension decides it; `--format` is for folders and extension-less
 * names. When both are given they must agree, so a `.png` never holds JPEG bytes.
 */
export function outputFormatFor(output: string | undefined, format: OutputFormat | undefined): OutputFormat {
  if (namesFolder(output)) return format ?? 'png';
  const extension = extname(output!).toLowerCase();
  if (extension === '') return format ?? 'png';
  const fromExtension = formatByExtension[extension];
  if (!fromExtension) {
    throw new InvalidInputError(
      `-o ${quoted(output!)}: the extension ${extension} is not an image format imagegate writes; use .png, .jpg or .jpeg, or a folder ending in /`,
      'output',
    );
  }
  if (format && format !== fromExtension) {
    throw new InvalidInputError(
      `--format ${format} disagrees with -o ${quoted(output!)} (${extension} is ${fromExtension}); drop --format (the extension decides) or change the extension`,
      'format',
    );
  }
  return fromExtension;
}

/**
 * Checks before any call that the images can be written where `-o` says: the folder that will hold them
 * exists or can be created (no file in the way) and is writable. Paid calls are never wasted on a typo.
 */
export async function checkOutputPath(output: string | undefined, cwd: string): Promise<void> {
  const target = resolve(cwd, output ?? '.');
  const existing = await stat(target).catch(() => undefined);
  const folder = namesFolder(output) || existing?.isDirectory() ? target : dirname(target);
  // Walk up to the nearest thing that exists: it must be a folder we may write into.
  let nearest = folder;
  let found = await stat(nearest).catch(() => undefined);
  while (!found && dirname(nearest) !== nearest) {
    nearest = dirname(nearest);
    found = await stat(nearest).catch(() => undefined);
  }
  const shown = output === undefined ? 'the current folder' : `-o ${quoted(output)}`;
  if (found && !found.isDirectory()) {
    throw new InvalidInputError(`${shown}: ${quoted(nearest)} is a file, not a folder`, 'output');
  }
  const writable = await access(nearest, constants.W_OK).then(
    () => true,
    () => false,
  );
  if (!writable) {
    throw new InvalidInputError(`${shown}: the folder ${quoted(nearest)} is not writable`, 'output');
  }
}

/** A value as the user typed it, shortened so a pasted paragraph does not flood the message. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}
