import { GoogleGenAI } from '@google/genai';
import type { Command } from 'commander';
import { z } from 'zod';
import { batchDeadline, LocalBatchLane, type LocalBatchLaneSettings } from '../batch/index.js';
import { builtInCatalog, type Catalog } from '../catalog/index.js';
import { Imagegate, InvalidInputError } from '../client/index.js';
import { loadConfig, type ImagegateConfig } from '../config/index.js';
import type { CliIo } from './cli-io.js';
import { parseFlags } from './parse-flags.js';

/** `--batch` and `--deadline`, shared by `generate` and `regress`. */
export function addBatchFlags(command: Command): Command {
  return command
    .option('--batch', 'go through the Gemini Batch API at the batch price (half the online price) and wait')
    .option(
      '--deadline <instant>',
      'with --batch: ISO 8601 instant by which the work must be done, online if need be (2 h to 48 h from now; default 24 h)',
    );
}

const batchFlagsSchema = z
  .object({
    batch: z.boolean().optional(),
    deadline: z.iso
      .datetime({ offset: true, error: 'expected an ISO 8601 instant such as 2026-12-01T06:00:00Z' })
      .transform((instant) => Date.parse(instant))
      .optional(),
  })
  .refine((flags) => flags.deadline === undefined || flags.batch === true, {
    path: ['deadline'],
    message: 'only allowed with --batch',
  });

export interface BatchFlags {
  batch: boolean;
  /** Unix ms; absent: the batch lane's default deadline. */
  deadlineMs?: number;
}

/**
 * Takes `batch` and `deadline` out of commander's raw options; errors name the flag. The deadline's bounds
 * are the batch lane's (`batchDeadline`), counted from `nowMs`.
 */
export function takeBatchFlags(
  raw: Record<string, unknown>,
  nowMs: number,
): {
  batch: BatchFlags;
  rest: Record<string, unknown>;
} {
  const { batch, deadline, ...rest } = raw;
  const parsed = parseFlags(batchFlagsSchema, { batch, deadline });
  if (parsed.deadline !== undefined) {
    const window = batchDeadline(nowMs, parsed.deadline);
    if ('error' in window) {
      throw new InvalidInputError(`--deadline ${JSON.stringify(deadline)}: ${window.error}`, 'deadline');
    }
  }
  return {
    batch: {
      batch: parsed.batch === true,
      ...(parsed.deadline !== undefined ? { deadlineMs: parsed.deadline } : {}),
    },
    rest,
  };
}

/**
 * How long a batch job of the CLI's built-in emulator runs, in emulated time. The emulator's own default
 * (60 s) suits tests that move a manual clock; a user trying `--batch` without a key should not wait a
 * minute for synthetic images.
 */
export const builtInEmulatorBatchDurationMs = 5_000;

/** Polling and gathering for a user waiting at a terminal: closer than the server's (30 s, doubling to 10 min). */
export const interactiveBatchSettings: LocalBatchLaneSettings = {
  gatherWindowMs: 1_000,
  tickIntervalMs: 1_000,
  pollBaseMs: 2_000,
  pollMaxMs: 60_000,
};

export interface BatchEndpoint {
  /** The environment every lane must use: the same Gemini endpoint as the batch jobs. */
  env: NodeJS.ProcessEnv;
  /** An `@google/genai` client for that endpoint, where batch jobs are created. */
  client: GoogleGenAI;
  close(): Promise<void>;
}

/**
 * The Gemini API of the environment's key (and `GOOGLE_GEMINI_BASE_URL`), or, with no key, a built-in
 * emulator started here for both lanes (said once on stderr): a batch job must be created, polled and its
 * tasks run online on one and the same endpoint.
 */
export async function openBatchEndpoint(io: CliIo, config: ImagegateConfig): Promise<BatchEndpoint> {
  const apiKeyEnv = config.credentials['gemini-api'].apiKeyEnv;
  let env = io.env;
  let close = async () => {};
  if (!io.env[apiKeyEnv]) {
    // Loaded only here, as the client does: every other command starts without the emulator's code.
    const { startEmulator } = await import('../emulator/index.js');
    const emulator = await startEmulator({
      port: 0,
      clock: io.clock,
      environment: io.env,
      batchDurationMs: builtInEmulatorBatchDurationMs,
    });
    close = () => emulator.close();
    env = { ...io.env, [apiKeyEnv]: 'built-in-emulator', GOOGLE_GEMINI_BASE_URL: emulator.url };
    io.stderr(
      `No ${apiKeyEnv} set: using the built-in Gemini emulator at ${emulator.url} (synthetic images; its batch jobs take ${builtInEmulatorBatchDurationMs / 1000} s).\n`,
    );
  }
  const client = new GoogleGenAI({
    apiKey: env[apiKeyEnv]!,
    httpOptions: {
      apiVersion: 'v1beta',
      ...(env.GOOGLE_GEMINI_BASE_URL ? { baseUrl: env.GOOGLE_GEMINI_BASE_URL } : {}),
    },
  });
  return { env, client, close };
}

/** The config a command's `--config` names, read as `Imagegate.create` reads it. */
export async function loadCommandConfig(
  io: CliIo,
  configPath: string | undefined,
  catalog: Catalog,
): Promise<ImagegateConfig> {
  const loaded = await loadConfig({
    ...(configPath ? { path: configPath } : {}),
    cwd: io.cwd,
    env: io.env,
    clock: io.clock,
    catalog,
  });
  return loaded.config;
}

export interface BatchSession {
  env: NodeJS.ProcessEnv;
  lane: LocalBatchLane;
  imagegate: Imagegate;
  close(): Promise<void>;
}

/** A local batch lane on the batch endpoint, with an online lane on the same endpoint. */
export async function openBatchSession(
  io: CliIo,
  options: {
    config?: string | undefined;
    deadlineMs?: number | undefined;
    onProgress: (line: string) => void;
  },
): Promise<BatchSession> {
  const catalog = builtInCatalog();
  const config = await loadCommandConfig(io, options.config, catalog);
  const endpoint = await openBatchEndpoint(io, config);
  const closers: Array<() => Promise<void>> = [() => endpoint.close()];
  try {
    const imagegate = await Imagegate.create({ config, env: endpoint.env, clock: io.clock, catalog });
    closers.push(() => imagegate.close());
    const lane = await LocalBatchLane.open({
      imagegate,
      client: endpoint.client,
      catalog,
      clock: io.clock,
      settings: interactiveBatchSettings,
      onProgress: options.onProgress,
      ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
    });
    closers.push(() => lane.close());
    return {
      env: endpoint.env,
      lane,
      imagegate,
      close: async () => {
        for (const close of closers.reverse()) await close();
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close();
    throw error;
  }
}
