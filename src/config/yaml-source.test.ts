import { describe, expect, it } from 'vitest';
import { parseYamlSource } from './yaml-source.js';

const text = `version: 1
routes:
  fast:
    candidates:
      - model: a
      - { model: b, platform: vertex-ai }
`;

describe('parseYamlSource', () => {
  const source = parseYamlSource(text);

  it('maps a path to the line of its key or item', () => {
    expect(source.lineOf(['version'])).toBe(1);
    expect(source.lineOf(['routes', 'fast'])).toBe(3);
    expect(source.lineOf(['routes', 'fast', 'candidates', 0, 'model'])).toBe(5);
    expect(source.lineOf(['routes', 'fast', 'candidates', 1, 'platform'])).toBe(6);
  });

  it('maps a path missing from the file to its nearest written ancestor', () => {
    expect(source.lineOf(['routes', 'fast', 'candidates', 0, 'platform'])).toBe(5);
    expect(source.lineOf(['routes', 'fast', 'retry'])).toBe(3);
  });

  it('returns plain data, or syntax errors with lines', () => {
    expect(source.data).toMatchObject({ version: 1 });
    const broken = parseYamlSource('a: 1\nb: [\n');
    expect(broken.data).toBeUndefined();
    expect(broken.syntaxErrors[0]?.line).toBeGreaterThanOrEqual(2);
  });
});
