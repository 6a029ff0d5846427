import { describe, expect, it } from 'vitest';
import {
  connectPorts,
  freeName,
  paletteItemOf,
  placeItem,
  removeInput,
  removeNode,
  renameInput,
  sourcePorts,
} from '../../console/src/api/flow-ports.js';
import { triggerId, type FlowDocumentJson } from '../../console/src/api/flows.js';
import { describeAttempts, summarizeAttempts } from '../../console/src/pages/flows/node-attempts.js';

/* The console's port bookkeeping (pure functions; the browser tests drive them through the canvas). */
const document: FlowDocumentJson = {
  name: 'ports',
  inputs: { brief: { type: 'string' }, logo: { type: 'image' } },
  nodes: {
    copy: { type: 'text', model: 'text_fast', prompt: 'Write about {{inputs.brief}}' },
    hero: { type: 'image', model: 'image_fast', prompt: '', references: [] },
    out: { type: 'output', results: {} },
  },
};

describe('flow ports', () => {
  it('offers each input on the trigger, text on text nodes, images on image nodes, nothing on outputs', () => {
    expect(sourcePorts(document, triggerId)).toEqual(['brief', 'logo']);
    expect(sourcePorts(document, 'copy')).toEqual(['text']);
    expect(sourcePorts(document, 'hero')).toEqual(['images']);
    expect(sourcePorts(document, 'out')).toEqual([]);
  });

  it('writes a connection into the target field and names the field as the server does', () => {
    const prompt = connectPorts(document, {
      source: 'copy',
      sourcePort: 'text',
      target: 'hero',
      targetPort: 'prompt',
    });
    expect(prompt.field).toBe('nodes.hero.prompt');
    expect(prompt.document.nodes.hero!.prompt).toBe('{{nodes.copy.text}}');
    const appended = connectPorts(prompt.document, {
      source: triggerId,
      sourcePort: 'brief',
      target: 'hero',
      targetPort: 'prompt',
    });
    expect(appended.document.nodes.hero!.prompt).toBe('{{nodes.copy.text}} {{inputs.brief}}');
    const reference = connectPorts(document, {
      source: triggerId,
      sourcePort: 'logo',
      target: 'hero',
      targetPort: 'references',
    });
    expect(reference).toMatchObject({ field: 'nodes.hero.references.0', reference: '{{inputs.logo}}' });
    expect(reference.document.nodes.hero!.references).toEqual(['{{inputs.logo}}']);
    const first = connectPorts(document, {
      source: 'hero',
      sourcePort: 'images',
      target: 'out',
      targetPort: 'results',
    });
    const second = connectPorts(first.document, {
      source: 'hero',
      sourcePort: 'images',
      target: 'out',
      targetPort: 'results',
    });
    expect(second.field).toBe('nodes.out.results.hero_2');
    expect(second.document.nodes.out!.results).toEqual({
      hero: '{{nodes.hero.images}}',
      hero_2: '{{nodes.hero.images}}',
    });
    // The document it was given is left as it was (undo keeps the previous one).
    expect(document.nodes.hero!.prompt).toBe('');
  });

  it('places a node with its type’s fields at a position, and an input on the trigger', () => {
    const placed = placeItem(document, 'image', { x: 10.4, y: 20.6 });
    expect(placed.selected).toBe('image');
    expect(placed.document.nodes.image).toEqual({
      type: 'image',
      model: 'image_fast',
      prompt: '',
      variants: 1,
    });
    expect(placed.document.layout).toEqual({ image: { x: 10, y: 21 } });
    const input = placeItem(document, 'input-image', { x: 0, y: 0 });
    expect(input.selected).toBe(triggerId);
    expect(input.document.inputs!.image).toEqual({ type: 'image' });
    expect(freeName('copy', (name) => name in document.nodes)).toBe('copy_2');
  });

  it('removes a node with its position, and an input, leaving references for the validator to name', () => {
    const placed = placeItem(document, 'template', { x: 1, y: 2 }).document;
    const removed = removeNode(placed, 'template');
    expect(Object.keys(removed.nodes)).toEqual(['copy', 'hero', 'out']);
    expect(removed.layout).toEqual({});
    const withoutBrief = removeInput(document, 'brief');
    expect(Object.keys(withoutBrief.inputs!)).toEqual(['logo']);
    expect(withoutBrief.nodes.copy!.prompt).toBe('Write about {{inputs.brief}}');
  });

  it('renames an input and every reference to it', () => {
    const renamed = renameInput(document, 'brief', 'topic');
    expect(Object.keys(renamed.inputs!)).toEqual(['topic', 'logo']);
    expect(renamed.nodes.copy!.prompt).toBe('Write about {{inputs.topic}}');
  });
});

describe('node attempts', () => {
  const attempt = (model: string) => ({
    model,
    platform: 'gemini-api',
    outcome: 'success',
    http_status: 200,
    message: null,
    started_at_ms: 0,
    latency_ms: 1,
    waited_before_ms: 0,
  });
  it('counts a repeat of the same model as a retry and a change of model as a fallback', () => {
    const summary = summarizeAttempts([
      { attempts: [attempt('a'), attempt('a'), attempt('b')] },
      { attempts: [attempt('a')] },
    ]);
    expect(summary).toEqual({ attempts: 4, retries: 1, fallbacks: ['a → b'] });
    expect(describeAttempts(summary)).toBe('4 attempts · 1 retry · fallback a → b');
    expect(describeAttempts(summarizeAttempts([{ attempts: [attempt('a')] }]))).toBe(
      '1 attempt · 0 retries · no fallback',
    );
  });
});

describe('paletteItemOf', () => {
  it('takes only what the palette offers from a drop', () => {
    expect(paletteItemOf('image')).toBe('image');
    expect(paletteItemOf('input-image')).toBe('input-image');
    expect(paletteItemOf('')).toBeUndefined();
    expect(paletteItemOf('<script>')).toBeUndefined();
  });
});
