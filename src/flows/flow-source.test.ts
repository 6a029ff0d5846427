import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flowDocumentSchema } from './flow-document-schema.js';
import { patchFlowSource } from './flow-source.js';

const source = `# A poster, two sizes.
name: poster # the flow's name
inputs:
  subject:
    type: string
    description: "What the poster shows."
nodes:
  hero:
    type: image
    model: image_fast # fast first
    prompt: 'A poster of {{inputs.subject}}'
    aspectRatio: '1:1'
    references: []
  caption:
    type: text
    model: text_fast
    prompt: "A caption for {{inputs.subject}}"
    temperature: 0.4
  out:
    type: output
    results:
      image: '{{nodes.hero.images}}'
layout:
  hero: { x: 0, y: 0 }
  caption: { x: 0, y: 200 }
  out: { x: 320, y: 0 }
`;

interface Draft {
  nodes: Record<string, Record<string, unknown>>;
  layout: Record<string, { x: number; y: number }>;
}

/** What the canvas sends: the stored draft (defaults filled in), edited. */
function edited(text: string, edit: (draft: Draft) => void) {
  const draft = flowDocumentSchema.parse(parse(text)) as unknown as Draft;
  edit(draft);
  return { next: draft, document: flowDocumentSchema.parse(draft) };
}

const changedLines = (before: string, after: string) => {
  const left = before.split('\n');
  const right = after.split('\n');
  return {
    removed: left.filter((line) => !right.includes(line)),
    added: right.filter((line) => !left.includes(line)),
  };
};

describe('patchFlowSource', () => {
  it('changes only the edited field: comments, quoting, key order and defaults left out stay as written', () => {
    const { next, document } = edited(source, (draft) => {
      draft.nodes.hero!.aspectRatio = '16:9';
    });
    const patched = patchFlowSource(source, next, document)!;
    expect(changedLines(source, patched)).toEqual({
      removed: ["    aspectRatio: '1:1'"],
      added: ["    aspectRatio: '16:9'"],
    });
    // The defaults the draft carries (format, variants) are not written out.
    expect(patched).not.toMatch(/format|variants/);
  });

  it("keeps an edited line's comment, and the file's comments above and beside other lines", () => {
    const { next, document } = edited(source, (draft) => {
      draft.nodes.hero!.model = 'image_quality';
    });
    const patched = patchFlowSource(source, next, document)!;
    expect(changedLines(source, patched)).toEqual({
      removed: ['    model: image_fast # fast first'],
      added: ['    model: image_quality # fast first'],
    });
    expect(patched).toMatch(/^# A poster, two sizes\.\nname: poster # the flow's name\n/);
  });

  it('removes a removed field and rewrites nothing else', () => {
    const { next, document } = edited(source, (draft) => {
      delete draft.nodes.caption!.temperature;
    });
    expect(changedLines(source, patchFlowSource(source, next, document)!)).toEqual({
      removed: ['    temperature: 0.4'],
      added: [],
    });
  });

  it('adds an added node, and its layout beside the others in their style', () => {
    const { next, document } = edited(source, (draft) => {
      draft.nodes.tagline = { type: 'template', template: 'Now showing: {{inputs.subject}}' };
      draft.layout.tagline = { x: 640, y: 0 };
    });
    const patched = patchFlowSource(source, next, document)!;
    expect(changedLines(source, patched)).toEqual({
      removed: [],
      added: [
        '  tagline:',
        '    type: template',
        '    template: "Now showing: {{inputs.subject}}"',
        '  tagline: { x: 640, y: 0 }',
      ],
    });
    expect(flowDocumentSchema.parse(parse(patched))).toEqual(document);
  });

  it('moves a node in the layout section only; an unchanged draft is the source byte for byte', () => {
    const moved = edited(source, (draft) => {
      draft.layout.out = { x: 320, y: 140 };
    });
    expect(changedLines(source, patchFlowSource(source, moved.next, moved.document)!)).toEqual({
      removed: ['  out: { x: 320, y: 0 }'],
      added: ['  out: { x: 320, y: 140 }'],
    });
    const same = edited(source, () => undefined);
    expect(patchFlowSource(source, same.next, same.document)).toBe(source);
  });

  it('changes one entry deep inside a map, and keeps a JSON source JSON with its indentation', () => {
    const json = `${JSON.stringify(
      {
        name: 'poster',
        nodes: {
          hero: { type: 'image', model: 'image_fast', prompt: 'a poster' },
          out: {
            type: 'output',
            results: { image: '{{nodes.hero.images}}', again: '{{nodes.hero.images}}' },
          },
        },
      },
      null,
      2,
    )}\n`;
    const { next, document } = edited(json, (draft) => {
      draft.nodes.hero!.model = 'image_quality';
      delete (draft.nodes.out!.results as Record<string, string>).again;
    });
    const patched = patchFlowSource(json, next, document)!;
    const expected = JSON.parse(json) as Draft;
    expected.nodes.hero!.model = 'image_quality';
    delete (expected.nodes.out!.results as Record<string, string>).again;
    expect(patched).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });
});
