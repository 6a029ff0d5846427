import { describe, expect, it } from 'vitest';
import { parseProvenance, serializeProvenance } from './blob-provenance.js';

const provenance = {
  logicalModel: 'image_fast',
  servedModel: 'served',
  platform: 'gemini-api',
  promptSha256: 'c'.repeat(64),
  taskId: 'task_img_x',
};

describe('provenance record', () => {
  it('serializes only the known fields and parses them back', () => {
    const text = serializeProvenance({ ...provenance, extra: 'dropped' } as typeof provenance);
    expect(JSON.parse(text)).toEqual(provenance);
    expect(parseProvenance(text)).toEqual(provenance);
  });

  it('treats malformed or incomplete records as absent', () => {
    expect(parseProvenance('{not json')).toBeUndefined();
    expect(parseProvenance(JSON.stringify({ ...provenance, promptSha256: 'short' }))).toBeUndefined();
    expect(parseProvenance(JSON.stringify({ logicalModel: 'x' }))).toBeUndefined();
  });
});
