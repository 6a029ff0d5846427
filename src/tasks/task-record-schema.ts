import { z } from 'zod';
import { platformSchema } from '../catalog/index.js';
import { outcomeKindSchema } from '../outcome/index.js';
import { storedTaskRequestSchema, taskRequestSchema } from './task-request.js';
import type { TaskEvent } from './task-store.js';
import type { TaskRecord } from './task-record.js';

/*
 * Rows read back from a database file are outside input: they pass these schemas, so a hand-edited or
 * corrupted row fails loudly with the field that is wrong instead of travelling on as a bad record.
 */

const usageSchema = z.object({
  promptTokens: z.number(),
  outputTextTokens: z.number(),
  outputImageTokens: z.number(),
  thoughtsTokens: z.number(),
  totalTokens: z.number(),
});

const attemptSchema = z.object({
  modelId: z.string(),
  platform: platformSchema,
  outcome: outcomeKindSchema,
  httpStatus: z.number().optional(),
  message: z.string().optional(),
  startedAtMs: z.number(),
  latencyMs: z.number(),
  waitedBeforeMs: z.number(),
  usage: usageSchema.optional(),
});

export { taskRequestSchema };

export const taskStatusSchema = z.enum(['queued', 'processing', 'success', 'failed', 'cancelled']);

export const taskRecordSchema = z.object({
  id: z.string(),
  status: taskStatusSchema,
  progress: z.number(),
  request: storedTaskRequestSchema,
  metadata: z.record(z.string(), z.string()),
  webhookUrl: z.string().optional(),
  apiKeyId: z.string().optional(),
  createdAtMs: z.number(),
  updatedAtMs: z.number(),
  startedAtMs: z.number().optional(),
  finishedAtMs: z.number().optional(),
  runAfterMs: z.number(),
  claimCount: z.number(),
  fencingToken: z.number(),
  leaseOwner: z.string().optional(),
  leaseExpiresAtMs: z.number().optional(),
  cancelRequested: z.boolean(),
  estimatedCostUsd: z.number().optional(),
  result: z
    .object({
      images: z.array(
        z.object({ sha256: z.string(), mimeType: z.string(), width: z.number(), height: z.number() }),
      ),
      text: z.string().optional(),
      nextTurnContents: z.array(z.unknown()),
    })
    .optional(),
  error: z.object({ type: z.string(), code: z.string(), message: z.string() }).optional(),
  attempts: z.array(attemptSchema),
  warnings: z.array(z.string()),
  usage: usageSchema.optional(),
  actualCostUsd: z.number().optional(),
  servedBy: z.object({ modelId: z.string(), platform: platformSchema }).optional(),
  lane: z.literal('batch').optional(),
  deadlineMs: z.number().optional(),
  batchJobId: z.string().optional(),
}) satisfies z.ZodType<TaskRecord>;

export const taskEventDataSchema = z.record(z.string(), z.unknown()) satisfies z.ZodType<TaskEvent['data']>;
