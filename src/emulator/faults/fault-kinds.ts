import type { ErrorHttpStatus, GoogleErrorBody } from '../google-error.js';

/** What the emulator does instead of answering normally. */
export type InjectedFault =
  | { kind: 'error'; httpStatus: ErrorHttpStatus; body: GoogleErrorBody; headers: Record<string, string> }
  /** The app destroys the socket without a response. */
  | { kind: 'connection-reset' }
  /** The app sends a 200 whose JSON body is cut off mid-way. */
  | { kind: 'truncated-body' };

export const blockReasons = ['SAFETY', 'OTHER', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'IMAGE_SAFETY'] as const;
export type BlockReason = (typeof blockReasons)[number];

export const blockedFinishReasons = [
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'NO_IMAGE',
  'SAFETY',
  'PROHIBITED_CONTENT',
  'RECITATION',
  'IMAGE_RECITATION',
  'IMAGE_OTHER',
  'OTHER',
] as const;
export type BlockedFinishReason = (typeof blockedFinishReasons)[number];

/** How a generation call is answered when safety (or a refusal to draw) stops it. */
export type SafetyVerdict =
  /** No candidates, only `promptFeedback.blockReason`. */
  | { kind: 'block-prompt'; blockReason: BlockReason }
  /** A candidate without an image part, with this `finishReason`. */
  | { kind: 'finish'; finishReason: BlockedFinishReason };
