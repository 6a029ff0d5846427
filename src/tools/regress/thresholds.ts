import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ImagegateError, type ImagegateErrorOptions } from '../../errors/index.js';

/**
 * When a pair counts as "different". Defaults sit between identical-seed model twins (SSIM 0.97-0.99,
 * pHash distance 0-5, mean ΔE 1.5-5 on the emulator's 1K art) and pictures from another seed or prompt
 * (SSIM 0.64-0.86, pHash distance 27 or more, mean ΔE 16 or more). Real models vary more: calibrate on
 * a few known pairs (docs/regress.md).
 */
export const regressThresholdsSchema = z.strictObject({
  /** Below this mean SSIM the pair is different. Default 0.9. */
  minSsim: z.number().min(0).max(1).default(0.9),
  /** Above this pHash Hamming distance (of 64 bits) the pair is different. Default 10. */
  maxPerceptualHashDistance: z.number().int().min(0).max(64).default(10),
  /** Above this mean CIEDE2000 ΔE the pair is different. Default 8. */
  maxMeanDeltaE: z.number().min(0).default(8),
  /** Whether images of different pixel sizes make the pair different. Default true. */
  failOnDimensionMismatch: z.boolean().default(true),
});
export type RegressThresholds = z.infer<typeof regressThresholdsSchema>;

export const defaultThresholds: RegressThresholds = regressThresholdsSchema.parse({});

export class ThresholdsError extends ImagegateError {
  constructor(message: string, options: ImagegateErrorOptions = {}) {
    super('invalid_input', message, options);
  }
}

const inlineKeys: Record<string, keyof RegressThresholds> = {
  ssim: 'minSsim',
  minssim: 'minSsim',
  phash: 'maxPerceptualHashDistance',
  maxperceptualhashdistance: 'maxPerceptualHashDistance',
  deltae: 'maxMeanDeltaE',
  maxmeandeltae: 'maxMeanDeltaE',
  dimensions: 'failOnDimensionMismatch',
  failondimensionmismatch: 'failOnDimensionMismatch',
};

/**
 * Reads `--thresholds`: either inline (`ssim=0.92,phash=8,deltaE=6,dimensions=false`) or the path of a
 * YAML/JSON file with the schema's keys. Unset keys keep their defaults.
 */
export async function resolveThresholds(flag: string | undefined, cwd: string): Promise<RegressThresholds> {
  if (flag === undefined) return defaultThresholds;
  if (flag.includes('=')) return parseInlineThresholds(flag);
  const path = flag.startsWith('/') ? flag : `${cwd}/${flag}`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ThresholdsError(`--thresholds: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`);
  }
  return parseThresholdsDocument(text, path);
}

export function parseThresholdsDocument(text: string, source: string): RegressThresholds {
  let document: unknown;
  try {
    document = parseYaml(text) ?? {};
  } catch (error) {
    throw new ThresholdsError(`${source}: not valid YAML or JSON (${(error as Error).message})`);
  }
  return validate(document, source);
}

export function parseInlineThresholds(text: string): RegressThresholds {
  const values: Record<string, unknown> = {};
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [rawKey = '', rawValue = ''] = entry.split('=').map((part) => part.trim());
    const key = inlineKeys[rawKey.toLowerCase()];
    if (!key) {
      throw new ThresholdsError(
        `--thresholds: unknown key "${rawKey}"; allowed: ssim, phash, deltaE, dimensions (or the long names ${Object.keys(defaultThresholds).join(', ')})`,
      );
    }
    values[key] =
      rawValue === 'true'
        ? true
        : rawValue === 'false'
          ? false
          : rawValue === ''
            ? rawValue
            : Number(rawValue);
  }
  return validate(values, '--thresholds');
}

function validate(document: unknown, source: string): RegressThresholds {
  const result = regressThresholdsSchema.safeParse(document);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join('.') || '(root)';
    const value = issue.path.reduce<unknown>(
      (container, key) => (container as Record<PropertyKey, unknown> | undefined)?.[key],
      document,
    );
    return `${field}: ${issue.message} (got ${JSON.stringify(value)})`;
  });
  throw new ThresholdsError(`${source}: ${problems.join('; ')}`);
}
