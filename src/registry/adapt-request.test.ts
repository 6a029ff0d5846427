import { describe, expect, it } from 'vitest';
import { builtInCatalog, findModel, type CatalogModel } from '../catalog/index.js';
import { imageRequestSchema, type ImageRequestInput } from '../request/image-request.js';
import { adaptRequest, nearestAspectRatio, nearestImageSize } from './adapt-request.js';

function model(id: string): CatalogModel {
  const found = findModel(builtInCatalog(), id);
  if (!found) throw new Error(`test model ${id} missing from the catalog`);
  return found;
}
const flash25 = model('gemini-2.5-flash-image'); // 1K only, 10 ratios, 3 input images, no video
const flash31 = model('gemini-3.1-flash-image'); // 512–4K, 14 ratios, 14 input images, video
const pro3 = model('gemini-3-pro-image'); // 1K–4K, 10 ratios, 14 input images, no video

const image = (label: string, mimeType = 'image/png') => ({ bytes: new Uint8Array([1]), mimeType, label });
const request = (input: Partial<ImageRequestInput>) =>
  imageRequestSchema.parse({ prompt: 'a lighthouse', ...input });

describe('adaptRequest', () => {
  it('passes a request the model supports unchanged, without warnings', () => {
    const asked = request({ imageSize: '4K', aspectRatio: '1:8', referenceImages: [image('a')] });
    expect(adaptRequest(asked, flash31, 'refuse')).toEqual({ ok: true, request: asked, warnings: [] });
  });

  it('translates 4K on a 1K-only model to 1K, with a warning', () => {
    const result = adaptRequest(request({ imageSize: '4K' }), flash25, 'translate');
    expect(result).toEqual({
      ok: true,
      request: expect.objectContaining({ imageSize: '1K' }),
      warnings: [
        'imageSize "4K" is not supported by gemini-2.5-flash-image (it allows 1K); using "1K" instead',
      ],
    });
  });

  it('translates 512 up to 1K on a model without the 512 tier', () => {
    const result = adaptRequest(request({ imageSize: '512' }), pro3, 'translate');
    expect(result.ok && result.request.imageSize).toBe('1K');
  });

  it('drops an unsupported size under drop-with-warning, naming the model default', () => {
    const result = adaptRequest(request({ imageSize: '4K' }), flash25, 'drop-with-warning');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.imageSize).toBeUndefined();
    expect(result.warnings).toEqual([
      'imageSize "4K" is not supported by gemini-2.5-flash-image (it allows 1K); left out, so the model default "1K" is used',
    ]);
  });

  it('refuses an unsupported size under refuse, naming parameter, value and what is allowed', () => {
    expect(adaptRequest(request({ imageSize: '4K' }), flash25, 'refuse')).toEqual({
      ok: false,
      reason: 'imageSize "4K" is not supported by gemini-2.5-flash-image (it allows 1K)',
    });
  });

  it('translates 1:8 on a 10-ratio model to the nearest shape', () => {
    const result = adaptRequest(request({ aspectRatio: '1:8' }), pro3, 'translate');
    expect(result.ok && result.request.aspectRatio).toBe('9:16');
    expect(result.ok && result.warnings[0]).toContain(
      'aspectRatio "1:8" is not supported by gemini-3-pro-image',
    );
  });

  it('drops or refuses an unsupported ratio by policy', () => {
    const dropped = adaptRequest(request({ aspectRatio: '8:1' }), pro3, 'drop-with-warning');
    expect(dropped.ok && dropped.request.aspectRatio).toBeUndefined();
    expect(adaptRequest(request({ aspectRatio: '8:1' }), pro3, 'refuse').ok).toBe(false);
  });

  it('refuses too many references under translate and refuse: references are never silently lost', () => {
    const fourteen = Array.from({ length: 14 }, (_, index) => image(`ref-${index + 1}.png`));
    for (const policy of ['translate', 'refuse'] as const) {
      expect(adaptRequest(request({ referenceImages: fourteen }), flash25, policy)).toEqual({
        ok: false,
        reason:
          'referenceImages: 14 images given but gemini-2.5-flash-image accepts at most 3 (references are dropped only under the "drop-with-warning" policy)',
      });
    }
  });

  it('keeps the first references and names the dropped ones under drop-with-warning', () => {
    const five = Array.from({ length: 5 }, (_, index) => image(`ref-${index + 1}.png`));
    const result = adaptRequest(request({ referenceImages: five }), flash25, 'drop-with-warning');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.request.referenceImages.map((reference) => reference.label)).toEqual([
      'ref-1.png',
      'ref-2.png',
      'ref-3.png',
    ]);
    expect(result.warnings).toEqual([
      'referenceImages: gemini-2.5-flash-image accepts at most 3; dropped 2 of 5 (reference 4 (ref-4.png), reference 5 (ref-5.png))',
    ]);
  });

  it('refuses a video on a model without video input, whatever the policy', () => {
    const withVideo = request({ video: { bytes: new Uint8Array([0]), mimeType: 'video/mp4' } });
    for (const policy of ['translate', 'drop-with-warning', 'refuse'] as const) {
      expect(adaptRequest(withVideo, pro3, policy)).toEqual({
        ok: false,
        reason: 'video: gemini-3-pro-image does not accept video input',
      });
    }
    expect(adaptRequest(withVideo, flash31, 'refuse').ok).toBe(true);
  });

  it('refuses a reference type the model does not accept, and drops it under drop-with-warning', () => {
    const gif = request({ referenceImages: [image('ok.png'), image('anim.gif', 'image/gif')] });
    const refused = adaptRequest(gif, flash25, 'translate');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toContain(
      'reference 2 (anim.gif) is image/gif; gemini-2.5-flash-image accepts image/png',
    );
    const dropped = adaptRequest(gif, flash25, 'drop-with-warning');
    expect(dropped.ok && dropped.request.referenceImages.map((reference) => reference.label)).toEqual([
      'ok.png',
    ]);
  });

  it('collects every refusal in one reason', () => {
    const result = adaptRequest(request({ imageSize: '4K', aspectRatio: '1:8' }), flash25, 'refuse');
    expect(!result.ok && result.reason.split('; ')).toHaveLength(2);
  });

  it('passes a parameter through with a warning when the catalog does not know the capability', () => {
    const unknownSizes: CatalogModel = {
      ...pro3,
      capabilities: {
        ...pro3.capabilities,
        imageSizes: { ...pro3.capabilities.imageSizes, value: 'unknown' },
      },
    };
    const result = adaptRequest(request({ imageSize: '512' }), unknownSizes, 'refuse');
    expect(result).toEqual({
      ok: true,
      request: expect.objectContaining({ imageSize: '512' }),
      warnings: [
        'the catalog does not know the supported imageSize values for gemini-3-pro-image; sent unchanged',
      ],
    });
  });

  it('does not change the request it was given', () => {
    const asked = request({ imageSize: '4K' });
    adaptRequest(asked, flash25, 'translate');
    expect(asked.imageSize).toBe('4K');
  });
});

describe('nearest values', () => {
  it('steps sizes down first, then up', () => {
    expect(nearestImageSize('4K', ['1K', '2K'])).toBe('2K');
    expect(nearestImageSize('2K', ['1K'])).toBe('1K');
    expect(nearestImageSize('512', ['1K', '2K'])).toBe('1K');
  });

  it('picks the ratio closest in shape', () => {
    expect(nearestAspectRatio('8:1', ['1:1', '16:9', '21:9'])).toBe('21:9');
    expect(nearestAspectRatio('4:1', ['1:1', '3:2', '16:9'])).toBe('16:9');
  });
});
