import type sharp from 'sharp';

/**
 * sharp, imported on first use. Loading it (libvips and its bindings) costs about 230 ms and several MB
 * in a cold process, which commands that never touch pixels (`models`, `guard`, `keys`, `--version`)
 * should not pay; the import is cached by the module system, so later calls cost a resolved promise.
 */
export async function loadSharp(): Promise<typeof sharp> {
  const { default: loaded } = await import('sharp');
  return loaded;
}
