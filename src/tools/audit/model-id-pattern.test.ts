import { describe, expect, it } from 'vitest';
import { findIdCandidates, geminiShapedIdPattern } from './model-id-pattern.js';

const ids = (text: string) => findIdCandidates(text).map((match) => match.id);

describe('findIdCandidates', () => {
  it('finds IDs in quotes, after models/, at the end of a sentence and as aliases', () => {
    expect(ids(`model = "gemini-3-pro-image-preview"`)).toEqual(['gemini-3-pro-image-preview']);
    expect(ids('name: models/gemini-2.5-flash-image')).toEqual(['gemini-2.5-flash-image']);
    expect(ids('We use gemini-3.1-flash-image.')).toEqual(['gemini-3.1-flash-image']);
    expect(ids("alias 'nano-banana-pro-preview'")).toEqual(['nano-banana-pro-preview']);
  });

  it('ignores IDs glued to other words, file names and underscores', () => {
    expect(ids('mygemini-3-pro-image')).toEqual([]);
    expect(ids('gemini-3-pro-image.png')).toEqual([]);
    expect(ids('gemini-3-pro-image_backup')).toEqual([]);
    expect(ids('GEMINI_API_KEY')).toEqual([]);
    expect(ids('nano-banana is a nickname')).toEqual([]);
  });

  it('reports offsets into the whole text when given a region', () => {
    const text = 'skip gemini-3-pro-image | keep gemini-3.1-flash-image';
    const [match] = findIdCandidates(text, text.indexOf('|'), text.length);
    expect(match).toEqual({ id: 'gemini-3.1-flash-image', start: 31, end: 53 });
  });
});

describe('geminiShapedIdPattern', () => {
  it('needs a version number right after gemini-', () => {
    expect(geminiShapedIdPattern.test('gemini-4-flash-image')).toBe(true);
    expect(geminiShapedIdPattern.test('gemini-2.5-pro')).toBe(true);
    expect(geminiShapedIdPattern.test('gemini-api')).toBe(false);
    expect(geminiShapedIdPattern.test('gemini-cli-2')).toBe(false);
  });
});
