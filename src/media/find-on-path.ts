/** Finding an executable the way a shell would, without running a shell. */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** The first executable file called `name` in the environment's PATH, or `undefined`. */
export async function findOnPath(name: string, environment: NodeJS.ProcessEnv): Promise<string | undefined> {
  const directories = (environment.PATH ?? '').split(delimiter).filter((directory) => directory !== '');
  // Windows finds `ffmpeg.exe` for `ffmpeg`; elsewhere the name is the file name.
  const names =
    process.platform === 'win32'
      ? (environment.PATHEXT ?? '.EXE').split(';').map((extension) => `${name}${extension.toLowerCase()}`)
      : [name];
  for (const directory of directories) {
    for (const candidate of names) {
      const path = join(directory, candidate);
      if (await isExecutableFile(path)) return path;
    }
  }
  return undefined;
}

/** Whether `path` is a regular file this process may execute. */
export async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
