import type {
  MediaSource,
  EditImageOptions,
  GenerateImageOptions,
  ThumbnailOptions,
} from './generate-options.js';
import { Imagegate, type CallHooks, type GenerationResult, type ImagegateOptions } from './imagegate.js';

/**
 * One-call conveniences: each creates a client from the usual config lookup, runs one request and closes
 * the client (and the in-process emulator, if one was started). Keep an `Imagegate` for many calls.
 */
export async function generateImage(
  options: GenerateImageOptions,
  clientOptions: ImagegateOptions & CallHooks = {},
): Promise<GenerationResult> {
  return withClient(clientOptions, (client) => client.generateImage(options, clientOptions));
}

export async function editImage(
  options: EditImageOptions,
  clientOptions: ImagegateOptions & CallHooks = {},
): Promise<GenerationResult> {
  return withClient(clientOptions, (client) => client.editImage(options, clientOptions));
}

export async function thumbnailFromVideo(
  video: MediaSource,
  options: ThumbnailOptions = {},
  clientOptions: ImagegateOptions & CallHooks = {},
): Promise<GenerationResult> {
  return withClient(clientOptions, (client) => client.thumbnailFromVideo(video, options, clientOptions));
}

async function withClient<Result>(
  options: ImagegateOptions,
  work: (client: Imagegate) => Promise<Result>,
): Promise<Result> {
  const client = await Imagegate.create(options);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}
