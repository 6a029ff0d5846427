import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPartFromUri, FileState, JobState } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffmpegAvailableForTests, makeTestVideo } from '../../src/emulator/art/test-support/test-video.js';
import {
  apiError,
  beforeShutdowns,
  decodedImage,
  imagePart,
  startTestEmulator,
  type TestEmulator,
} from './sdk-harness.js';

let harness: TestEmulator;
let workDirectory: string;
let videoPath: string;
// ffmpeg looked up on PATH (or IMAGEGATE_FFMPEG); missing, the video test is skipped, except under CI=true.
const hasFfmpeg = await ffmpegAvailableForTests();

beforeAll(async () => {
  harness = await startTestEmulator({ videoProcessingMs: 5_000, batchDurationMs: 60_000 });
  workDirectory = mkdtempSync(join(tmpdir(), 'imagegate-emulator-'));
  videoPath = join(workDirectory, 'clip.mp4');
  // One second of a test pattern: a real, decodable video for the Files API and frame extraction.
  if (hasFfmpeg)
    writeFileSync(
      videoPath,
      await makeTestVideo(workDirectory, 'mp4', 'testsrc=size=320x180:rate=5:duration=1'),
    );
});

afterAll(async () => {
  await harness.emulator.close();
  rmSync(workDirectory, { recursive: true, force: true });
});

describe('Files API through @google/genai', () => {
  it.runIf(hasFfmpeg)(
    'uploads a video, keeps it PROCESSING for the emulated time, then uses it for a thumbnail',
    async () => {
      const ai = harness.client({ prefix: '/files-prefix' });
      const uploaded = await ai.files.upload({
        file: videoPath,
        config: { mimeType: 'video/mp4', displayName: 'clip' },
      });
      expect(uploaded).toMatchObject({
        mimeType: 'video/mp4',
        displayName: 'clip',
        sizeBytes: String(readFileSync(videoPath).byteLength),
        state: FileState.PROCESSING,
        source: 'UPLOADED',
      });
      expect(uploaded.uri).toContain(`/files-prefix/v1beta/files/${uploaded.name?.replace('files/', '')}`);

      const model = 'gemini-3.1-flash-image-preview';
      const early = await apiError(
        ai.models.generateContent({
          model,
          contents: [
            { role: 'user', parts: [createPartFromUri(uploaded.uri!, 'video/mp4'), { text: 'thumbnail' }] },
          ],
        }),
      );
      expect(early.status).toBe(400);
      expect(early.body.error.message).toContain('is not in an ACTIVE state');

      harness.emulator.clock.setNow(beforeShutdowns + 5_000, { frozen: true });
      expect((await ai.files.get({ name: uploaded.name! })).state).toBe(FileState.ACTIVE);
      const response = await ai.models.generateContent({
        model,
        contents: [
          {
            role: 'user',
            parts: [createPartFromUri(uploaded.uri!, 'video/mp4'), { text: 'a thumbnail for this clip' }],
          },
        ],
        config: { imageConfig: { imageSize: '512' } },
      });
      // No ratio asked: the thumbnail follows the 16:9 video.
      expect(await decodedImage(imagePart(response)?.data)).toEqual({
        format: 'png',
        width: 688,
        height: 384,
      });
      expect(response.usageMetadata?.promptTokensDetails?.map((detail) => detail.modality)).toContain(
        'VIDEO',
      );
    },
  );

  it('lists, refuses to download uploaded bytes, and deletes', async () => {
    const ai = harness.client();
    const uploaded = await ai.files.upload({
      file: new Blob([Buffer.from('not really a png')], { type: 'image/png' }),
      config: { name: 'files/my-upload' },
    });
    expect(uploaded.name).toBe('files/my-upload');
    // A second file, so that a page size of 1 has to page.
    await ai.files.upload({
      file: new Blob([Buffer.from('another')], { type: 'image/png' }),
      config: { name: 'files/second-upload' },
    });
    const names: string[] = [];
    for await (const file of await ai.files.list({ config: { pageSize: 1 } })) names.push(file.name ?? '');
    expect(names).toContain('files/my-upload');
    expect(names.length).toBeGreaterThanOrEqual(2);

    const download = await fetch(`${harness.emulator.url}/v1beta/files/my-upload:download?alt=media`, {
      headers: { 'x-goog-api-key': 'test-key' },
    });
    expect(download.status).toBe(400);

    await ai.files.delete({ name: 'files/my-upload' });
    const gone = await apiError(ai.files.get({ name: 'files/my-upload' }));
    expect(gone.status).toBe(403);
    expect(gone.body.error.message).toBe(
      'You do not have permission to access the File my-upload or it may not exist.',
    );
  });
});

describe('Batch API through @google/genai', () => {
  it('runs an inline batch PENDING → RUNNING → SUCCEEDED by emulated time, in request order', async () => {
    const start = beforeShutdowns + 60_000;
    harness.emulator.clock.setNow(start, { frozen: true });
    const ai = harness.client();
    const job = await ai.batches.create({
      model: 'gemini-2.5-flash-image',
      src: [
        {
          contents: [{ role: 'user', parts: [{ text: 'a green apple' }] }],
          config: { responseModalities: ['IMAGE'] },
        },
        {
          contents: [{ role: 'user', parts: [{ text: 'a bad size' }] }],
          config: { imageConfig: { imageSize: '4K' } },
        },
      ],
      config: { displayName: 'nightly' },
    });
    expect(job).toMatchObject({
      displayName: 'nightly',
      state: JobState.JOB_STATE_PENDING,
      model: 'models/gemini-2.5-flash-image',
    });

    harness.emulator.clock.setNow(start + 30_000, { frozen: true });
    expect((await ai.batches.get({ name: job.name! })).state).toBe(JobState.JOB_STATE_RUNNING);

    harness.emulator.clock.setNow(start + 60_000, { frozen: true });
    const done = await ai.batches.get({ name: job.name! });
    expect(done.state).toBe(JobState.JOB_STATE_SUCCEEDED);
    const [first, second] = done.dest?.inlinedResponses ?? [];
    expect(await decodedImage(imagePart(first!.response!)?.data)).toEqual({
      format: 'png',
      width: 1024,
      height: 1024,
    });
    expect(second?.error?.message).toContain('4K');

    const listed: string[] = [];
    for await (const listedJob of await ai.batches.list()) listed.push(listedJob.name ?? '');
    expect(listed).toContain(job.name);
  });

  it('runs a JSONL file batch into a downloadable results file', async () => {
    const start = beforeShutdowns + 3_600_000;
    harness.emulator.clock.setNow(start, { frozen: true });
    const ai = harness.client();
    const lines = [
      {
        key: 'first',
        request: {
          contents: [{ parts: [{ text: 'a plum' }] }],
          generation_config: { response_modalities: ['IMAGE'] },
        },
      },
      { key: 'second', request: { contents: [{ parts: [{ text: 'a fig' }] }] } },
    ];
    const input = await ai.files.upload({
      file: new Blob([lines.map((line) => JSON.stringify(line)).join('\n')], { type: 'application/jsonl' }),
      config: { mimeType: 'application/jsonl' },
    });
    const job = await ai.batches.create({ model: 'gemini-2.5-flash-image', src: input.name! });
    harness.emulator.clock.setNow(start + 60_000, { frozen: true });
    const done = await ai.batches.get({ name: job.name! });
    expect(done.state).toBe(JobState.JOB_STATE_SUCCEEDED);
    const resultsFile = done.dest?.fileName;
    expect(resultsFile).toBe(`files/batch-${job.name!.replace('batches/', '')}`);
    const downloadPath = join(workDirectory, 'results.jsonl');
    await ai.files.download({ file: resultsFile!, downloadPath });
    const results = readFileSync(downloadPath, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { key: string; response?: { candidates: unknown[] } });
    expect(results.map((result) => result.key)).toEqual(['first', 'second']);
    expect(results.every((result) => result.response?.candidates.length === 1)).toBe(true);
  });

  it('cancels and deletes', async () => {
    const ai = harness.client();
    const job = await ai.batches.create({
      model: 'gemini-2.5-flash-image',
      src: [{ contents: [{ role: 'user', parts: [{ text: 'a pear' }] }] }],
    });
    await ai.batches.cancel({ name: job.name! });
    expect((await ai.batches.get({ name: job.name! })).state).toBe(JobState.JOB_STATE_CANCELLED);
    await ai.batches.delete({ name: job.name! });
    expect((await apiError(ai.batches.get({ name: job.name! }))).status).toBe(404);
  });
});
