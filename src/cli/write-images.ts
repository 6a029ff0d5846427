import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { VerifiedImage } from '../outcome/index.js';

export interface WrittenImage {
  path: string;
  mimeType: string;
  width: number;
  height: number;
  sha256: string;
  bytes: number;
}

/**
 * Writes images only after the whole request succeeded, each through a temporary file and a rename, so
 * a failure or an interrupt never leaves a half-written image behind.
 *
 * `output` may be a file (several images become name-1.png, name-2.png…), an existing directory or a path
 * ending in `/`; default: the working directory with names made from the time.
 */
export async function writeImages(
  images: VerifiedImage[],
  options: { output: string | undefined; cwd: string; nowMs: number },
): Promise<WrittenImage[]> {
  const paths = await plannedPaths(images, options);
  const written: WrittenImage[] = [];
  for (const [index, image] of images.entries()) {
    const path = paths[index]!;
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.partial`;
    await writeFile(temporary, image.bytes);
    await rename(temporary, path);
    written.push({
      path,
      mimeType: image.mimeType,
      width: image.width,
      height: image.height,
      sha256: image.sha256,
      bytes: image.bytes.byteLength,
    });
  }
  return written;
}

async function plannedPaths(
  images: VerifiedImage[],
  options: { output: string | undefined; cwd: string; nowMs: number },
): Promise<string[]> {
  const extensionOf = (image: VerifiedImage) => (image.mimeType === 'image/jpeg' ? '.jpg' : '.png');
  const output = options.output ? resolve(options.cwd, options.output) : undefined;
  const isDirectory =
    !output || options.output!.endsWith('/') || (await stat(output).catch(() => undefined))?.isDirectory();
  if (isDirectory) {
    const directory = output ?? options.cwd;
    const stamp = new Date(options.nowMs).toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    return images.map((image, index) =>
      join(directory, `imagegate-${stamp}${images.length > 1 ? `-${index + 1}` : ''}${extensionOf(image)}`),
    );
  }
  if (images.length === 1) return [output];
  const extension = extname(output);
  const stem = basename(output, extension);
  return images.map((image, index) =>
    join(dirname(output), `${stem}-${index + 1}${extension || extensionOf(image)}`),
  );
}
