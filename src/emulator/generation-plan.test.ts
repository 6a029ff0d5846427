import { describe, expect, it } from 'vitest';
import { builtInCatalog, findModel } from '../catalog/index.js';
import { ManualClock } from '../clock/index.js';
import { EmulatorApiError } from './api-errors.js';
import { FileStore } from './files/file-store.js';
import type { GenerateContentRequest } from './generate-request.js';
import { planGeneration } from './generation-plan.js';

const flash = findModel(builtInCatalog(), 'gemini-2.5-flash-image')!;
const flash31 = findModel(builtInCatalog(), 'gemini-3.1-flash-image-preview')!;
const clock = new ManualClock(0);
const png = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');

function plan(request: Partial<GenerateContentRequest>, model = flash, files = new FileStore(clock)) {
  return planGeneration({
    model,
    platform: 'gemini-api',
    request: { contents: [{ role: 'user', parts: [{ text: 'a cat' }] }], ...request },
    files,
  });
}

function failure(run: () => unknown): EmulatorApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof EmulatorApiError) return error;
    throw error;
  }
  throw new Error('expected an EmulatorApiError');
}

describe('planGeneration', () => {
  it('defaults to the catalog default size, PNG, one candidate, text and image', () => {
    expect(plan({})).toMatchObject({
      imageSize: '1K',
      aspectRatio: undefined,
      outputMimeType: 'image/png',
      candidateCount: 1,
      wantsImage: true,
      wantsText: true,
      prompt: 'a cat',
      referenceMedia: [],
    });
  });

  it('takes the size, ratio, modalities (any case) and Vertex output format from generationConfig', () => {
    const result = plan(
      {
        generationConfig: {
          responseModalities: ['image'],
          imageConfig: {
            aspectRatio: '1:8',
            imageSize: '512',
            imageOutputOptions: { mimeType: 'image/jpeg' },
          },
        },
      },
      flash31,
    );
    expect(result).toMatchObject({
      aspectRatio: '1:8',
      imageSize: '512',
      outputMimeType: 'image/jpeg',
      wantsText: false,
    });
  });

  it.each([
    [
      { imageConfig: { imageSize: '1k' } },
      'Invalid value "1k" for generation_config.image_config.image_size. Use an uppercase K ("1K").',
    ],
    [
      { imageConfig: { imageSize: '2K' } },
      'Image size "2K" is not supported by models/gemini-2.5-flash-image. Supported sizes: 1K.',
    ],
    [
      { imageConfig: { aspectRatio: '4:1' } },
      'Aspect ratio "4:1" is not supported by models/gemini-2.5-flash-image.',
    ],
    [
      { imageConfig: { imageOutputOptions: { mimeType: 'image/webp' } } },
      'Unsupported output MIME type "image/webp"',
    ],
    [{ responseModalities: ['AUDIO'] }, 'Model does not support the requested response modalities: audio'],
    [
      { responseModalities: ['PICTURE'] },
      `Invalid value "PICTURE" at 'generation_config.response_modalities'`,
    ],
    [
      { candidateCount: 9 },
      'candidate_count 9 is more than models/gemini-2.5-flash-image allows (at most 8).',
    ],
  ])('refuses generationConfig %j with a message naming it', (generationConfig, message) => {
    const error = failure(() => plan({ generationConfig }));
    expect(error.httpStatus).toBe(400);
    expect(error.body.error.message).toContain(message);
  });

  it('draws from the most recent turn with media, counting only user images against the limit', () => {
    const result = plan({
      contents: [
        { role: 'user', parts: [{ text: 'a cat' }, { inlineData: { mimeType: 'image/png', data: png } }] },
        {
          role: 'model',
          parts: [
            { inlineData: { mimeType: 'image/png', data: png } },
            { inlineData: { mimeType: 'image/png', data: png } },
          ],
        },
        { role: 'user', parts: [{ text: 'bluer' }] },
      ],
    });
    expect(result.referenceMedia).toHaveLength(2);
    expect(result.inputImageCount).toBe(1);
    expect(result.latestUserText).toBe('bluer');
    expect(result.prompt).toBe('a cat\nbluer');
  });

  it('resolves fileData from the file store and refuses a file still processing', () => {
    const files = new FileStore(clock, { videoProcessingMs: 1_000 });
    const video = files.add({
      mimeType: 'video/mp4',
      bytes: new Uint8Array([1]),
      source: 'UPLOADED',
      resourceBaseUrl: 'http://h/v1beta',
    });
    const request = {
      contents: [
        {
          role: 'user' as const,
          parts: [{ fileData: { fileUri: `http://h/v1beta/files/${video.id}`, mimeType: 'video/mp4' } }],
        },
      ],
    };
    expect(failure(() => plan(request, flash31, files)).body.error.message).toBe(
      `The File ${video.id} is not in an ACTIVE state and usage is not allowed.`,
    );
    clock.advance(1_000);
    expect(plan(request, flash31, files).referenceMedia).toEqual([
      { kind: 'video', mimeType: 'video/mp4', bytes: video.bytes },
    ]);
    expect(failure(() => plan(request, flash, files)).body.error.message).toMatch(
      /^Unsupported MIME type: video\/mp4/,
    );
  });

  it('answers 403 for a file that does not exist', () => {
    const request = {
      contents: [{ role: 'user' as const, parts: [{ fileData: { fileUri: 'files/nothere' } }] }],
    };
    expect(failure(() => plan(request)).httpStatus).toBe(403);
  });
});
