import { describe, expect, it } from 'vitest';
import { EmulatorApiError } from './api-errors.js';
import { generateContentRequestSchema, parseRequest, protoFieldPath } from './generate-request.js';

describe('protoFieldPath', () => {
  it('spells paths the way Google names fields', () => {
    expect(protoFieldPath(['generationConfig', 'candidateCount'])).toBe('generation_config.candidate_count');
    expect(protoFieldPath(['contents', 0, 'parts', 2, 'inlineData'])).toBe(
      'contents[0].parts[2].inline_data',
    );
  });
});

describe('parseRequest', () => {
  it('passes unknown top-level fields through', () => {
    const parsed = parseRequest(generateContentRequestSchema, {
      contents: [{ parts: [{ text: 'x' }] }],
      tools: [{ googleSearch: {} }],
    });
    expect(parsed).toMatchObject({ tools: [{ googleSearch: {} }] });
  });

  it('answers a bad field with a 400 naming field and value, plus a BadRequest detail', () => {
    try {
      parseRequest(generateContentRequestSchema, {
        contents: [{ parts: [] }],
        generationConfig: { candidateCount: 'two' },
      });
      expect.unreachable();
    } catch (error) {
      const body = (error as EmulatorApiError).body.error;
      expect(body.code).toBe(400);
      expect(body.message).toMatch(
        /^Invalid value at 'generation_config\.candidate_count': .*\(got "two"\)$/,
      );
      expect(body.details?.[0]).toMatchObject({
        fieldViolations: [{ field: 'generation_config.candidate_count' }],
      });
    }
  });

  it('refuses a request without contents', () => {
    expect(() => parseRequest(generateContentRequestSchema, {})).toThrow(EmulatorApiError);
  });
});
