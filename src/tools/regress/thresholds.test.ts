import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultThresholds,
  parseInlineThresholds,
  parseThresholdsDocument,
  resolveThresholds,
  ThresholdsError,
} from './thresholds.js';

describe('thresholds', () => {
  it('has documented defaults', () => {
    expect(defaultThresholds).toEqual({
      minSsim: 0.9,
      maxPerceptualHashDistance: 10,
      maxMeanDeltaE: 8,
      failOnDimensionMismatch: true,
    });
  });

  it('reads inline short and long names; unset keys keep their defaults', () => {
    expect(parseInlineThresholds('ssim=0.95, phash=6,deltaE=4.5,dimensions=false')).toEqual({
      minSsim: 0.95,
      maxPerceptualHashDistance: 6,
      maxMeanDeltaE: 4.5,
      failOnDimensionMismatch: false,
    });
    expect(parseInlineThresholds('maxMeanDeltaE=3')).toEqual({ ...defaultThresholds, maxMeanDeltaE: 3 });
  });

  it('names the field, the value and what is allowed', () => {
    expect(() => parseInlineThresholds('ssim=1.5')).toThrow(/--thresholds: minSsim: .*\(got 1\.5\)/);
    expect(() => parseInlineThresholds('phash=2.5')).toThrow(/maxPerceptualHashDistance/);
    expect(() => parseInlineThresholds('blur=1')).toThrow(
      /unknown key "blur"; allowed: ssim, phash, deltaE, dimensions/,
    );
    expect(() => parseThresholdsDocument('minSsim: 0.9\nextra: 1\n', 't.yaml')).toThrow(ThresholdsError);
    expect(() => parseThresholdsDocument('minSsim: 0.9\nextra: 1\n', 't.yaml')).toThrow(/t\.yaml: .*extra/);
  });

  it('resolves a flag to defaults, an inline list or a YAML file relative to the working directory', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'thresholds-'));
    await writeFile(join(directory, 't.yaml'), 'minSsim: 0.8\nmaxMeanDeltaE: 12\n');
    await expect(resolveThresholds(undefined, directory)).resolves.toEqual(defaultThresholds);
    await expect(resolveThresholds('t.yaml', directory)).resolves.toEqual({
      ...defaultThresholds,
      minSsim: 0.8,
      maxMeanDeltaE: 12,
    });
    await expect(resolveThresholds('nope.yaml', directory)).rejects.toThrow(/cannot read .*nope\.yaml/);
  });
});
