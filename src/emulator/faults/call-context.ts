import { z } from 'zod';
import type { Platform } from '../../catalog/index.js';

export const emulatedMethodSchema = z.enum([
  'generateContent',
  'streamGenerateContent',
  'countTokens',
  'batchGenerateContent',
  'models.list',
  'models.get',
  'files.upload',
  'files.get',
  'files.list',
  'files.delete',
  'files.download',
  'batches.get',
  'batches.list',
  'batches.cancel',
  'batches.delete',
]);
export type EmulatedMethod = z.infer<typeof emulatedMethodSchema>;

/** The methods a rule applies to when it names none: the calls that generate something. */
export const generationMethods: readonly EmulatedMethod[] = ['generateContent', 'streamGenerateContent'];

/** What the emulator knows about a call when it asks the fault state what to do with it. */
export interface CallContext {
  platform: Platform;
  /** The model ID as the caller wrote it; a `models/` prefix is ignored. */
  modelId?: string;
  method: EmulatedMethod;
  /** The request's text, joined; what scenario patterns are matched against. */
  prompt?: string;
  apiKey?: string;
}
