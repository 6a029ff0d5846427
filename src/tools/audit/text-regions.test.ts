import { describe, expect, it } from 'vitest';
import { jsonStringValues, markdownCodeBlockRegions, notebookSourceRegions } from './text-regions.js';

const slices = (text: string, regions: { start: number; end: number }[]) =>
  regions.map((region) => text.slice(region.start, region.end));

describe('markdownCodeBlockRegions', () => {
  it('keeps only the inside of fenced blocks, backticks and tildes', () => {
    const text = 'prose\n```ts\ncode one\n```\nmore prose\n~~~\ncode two\n~~~\n';
    expect(slices(text, markdownCodeBlockRegions(text))).toEqual(['code one\n', 'code two\n']);
  });

  it('does not close a fence with a shorter or different marker, and runs an unclosed one to the end', () => {
    const text = '````\na\n```\nb\n~~~~\n````\nprose\n```\nlast';
    expect(slices(text, markdownCodeBlockRegions(text))).toEqual(['a\n```\nb\n~~~~\n', 'last']);
  });
});

describe('notebookSourceRegions', () => {
  it('returns cell sources only, not outputs or metadata', () => {
    const notebook = JSON.stringify({
      cells: [
        { cell_type: 'code', source: ['line "one"\n', 'two'], outputs: [{ text: ['out'] }] },
        { cell_type: 'markdown', source: 'single' },
      ],
      metadata: { source: 'not a cell' },
    });
    expect(slices(notebook, notebookSourceRegions(notebook))).toEqual(['line \\"one\\"\\n', 'two', 'single']);
  });

  it('throws on a notebook that is not JSON', () => {
    expect(() => notebookSourceRegions('{"cells": [')).toThrow();
  });
});

describe('jsonStringValues', () => {
  it('gives paths with array indexes and object keys', () => {
    const text = '{"a": [{"b": "x"}, "y"], "c": "z"}';
    expect([...jsonStringValues(text)].map(({ path }) => path)).toEqual([['a', 0, 'b'], ['a', 1], ['c']]);
  });
});
