import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';

const clock = new ManualClock(Date.UTC(2026, 5, 1));
const routeTo = (routeName: string) =>
  `routes:\n  ${routeName}:\n    candidates:\n      - model: gemini-3-pro-image\n`;

describe('loadConfig', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'imagegate-config-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('uses the built-in defaults when no file is named or present', async () => {
    const loaded = await loadConfig({ cwd: directory, env: {}, clock });
    expect(loaded.source).toBe('built-in defaults');
    expect(Object.keys(loaded.config.routes)).toEqual(['image_fast', 'image_quality', 'text_fast']);
  });

  it('reads imagegate.config.yaml from the working directory', async () => {
    await writeFile(join(directory, 'imagegate.config.yaml'), routeTo('from_cwd'));
    const loaded = await loadConfig({ cwd: directory, env: {}, clock });
    expect(loaded.source).toBe(join(directory, 'imagegate.config.yaml'));
    expect(loaded.config.routes.from_cwd).toBeDefined();
  });

  it('prefers IMAGEGATE_CONFIG over the working-directory file', async () => {
    await writeFile(join(directory, 'imagegate.config.yaml'), routeTo('from_cwd'));
    await writeFile(join(directory, 'env.yaml'), routeTo('from_env'));
    const loaded = await loadConfig({ cwd: directory, env: { IMAGEGATE_CONFIG: 'env.yaml' }, clock });
    expect(loaded.config.routes.from_env).toBeDefined();
    expect(loaded.config.routes.from_cwd).toBeUndefined();
  });

  it('prefers an explicit path over IMAGEGATE_CONFIG', async () => {
    await writeFile(join(directory, 'env.yaml'), routeTo('from_env'));
    await writeFile(join(directory, 'explicit.yaml'), routeTo('from_flag'));
    const loaded = await loadConfig({
      path: join(directory, 'explicit.yaml'),
      cwd: directory,
      env: { IMAGEGATE_CONFIG: 'env.yaml' },
      clock,
    });
    expect(loaded.config.routes.from_flag).toBeDefined();
    expect(loaded.config.routes.from_env).toBeUndefined();
  });

  it('fails when a named file is missing, saying where the name came from', async () => {
    await expect(loadConfig({ path: 'missing.yaml', cwd: directory, env: {}, clock })).rejects.toThrow(
      /missing\.yaml: config file not found \(given with --config\)/,
    );
    await expect(
      loadConfig({ cwd: directory, env: { IMAGEGATE_CONFIG: 'gone.yaml' }, clock }),
    ).rejects.toThrow(/gone\.yaml: config file not found \(named by IMAGEGATE_CONFIG\)/);
  });

  it('names the file and line of an error', async () => {
    const file = join(directory, 'imagegate.config.yaml');
    await writeFile(file, 'routes:\n  r:\n    candidates:\n      - model: gemini-3.1-pro-image\n');
    const error = await loadConfig({ cwd: directory, env: {}, clock }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).file).toBe(file);
    expect((error as ConfigError).line).toBe(4);
    expect((error as ConfigError).message).toContain(`${file}:4: routes.r.candidates[0].model`);
  });
});
