import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { stringify as toYaml } from 'yaml';
import { z } from 'zod';
import { InvalidInputError } from '../../client/index.js';
import { systemClock } from '../../clock/index.js';
import {
  FlowInputError,
  formatFlowChanges,
  formatFlowProblem,
  InvalidFlowError,
  localAccess,
  parseFlowInputs,
  promoteRun,
  storeImageInputs,
  validateFlowDocument,
  variantGroups,
  type FlowDocument,
  type FlowRun,
  type NodeRun,
  type FlowRunEvent,
} from '../../flows/index.js';
import { sniffImageMimeType } from '../../media/index.js';
import { ApiError } from '../../server/index.js';
import type { CliIo } from '../cli-io.js';
import { dataDirectoryFlagHelp } from '../data-directory-flag.js';
import { ExitCode } from '../exit-codes.js';
import { guardedAction } from '../guarded-action.js';
import { parseFlags } from '../parse-flags.js';
import { openFlowSession, type FlowSession } from '../flow-session.js';
import {
  RemoteFlows,
  remoteFlagsSchema,
  remoteTarget,
  type RemoteRun,
  type RemoteTarget,
  apiKeyEnvironmentVariable,
} from '../remote-flows.js';

const local = z.object({
  json: z.boolean().optional(),
  dataDir: z.string().min(1).optional(),
  config: z.string().min(1).optional(),
});
/** Every command but `validate` can also work against a server (`--server URL`, `--api-key`). */
const common = local.extend(remoteFlagsSchema.shape);
const positiveInteger = (flag: string) =>
  z.coerce
    .number({ error: `${flag}: expected a whole number` })
    .int(`${flag}: expected a whole number`)
    .min(1, `${flag}: expected 1 or more`);
const pushFlags = common.extend({
  publish: z.boolean().optional(),
  message: z.string().min(1).max(500).optional(),
  allowPreview: z.boolean().optional(),
});
const runFlags = common.extend({
  file: z.string().min(1).optional(),
  input: z.array(z.string()).default([]),
  version: positiveInteger('--version').optional(),
  wait: z.boolean().optional(),
  output: z.string().min(1).optional(),
  cache: z.boolean().default(true),
});
const promoteFlags = common.extend({
  wait: z.boolean().optional(),
  node: z.string().min(1),
  variant: z.coerce.number({ error: '--variant: expected a whole number' }).int().min(0),
  model: z.string().min(1),
  output: z.string().min(1).optional(),
});

/**
 * A flow command's action: errors become a message and the error table's exit code, like every command's;
 * an `ApiError` below 500 (an image input refused while storing it: unreadable, too large, a private
 * address) is the input's fault.
 */
function flowAction<Args extends unknown[]>(
  io: CliIo,
  setExitCode: (code: number) => void,
  action: (...args: Args) => Promise<number>,
): (...args: Args) => Promise<void> {
  return guardedAction(io, setExitCode, async (...args: Args) => {
    try {
      return await action(...args);
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) {
        throw new InvalidInputError(error.message, error.param ?? undefined);
      }
      throw error;
    }
  });
}

async function withSession<T>(
  io: CliIo,
  flags: z.infer<typeof common>,
  work: (session: FlowSession) => Promise<T>,
  onEvent?: (event: FlowRunEvent) => void,
): Promise<T> {
  const session = await openFlowSession(io, flags, onEvent);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}

async function readFlowFile(io: CliIo, file: string, session?: FlowSession): Promise<FlowDocument> {
  return (await readFlowSource(io, file, session)).document;
}

/** The flow file's document and its text, which `push` keeps with the draft so `pull` gives it back. */
async function readFlowSource(
  io: CliIo,
  file: string,
  session?: FlowSession,
): Promise<{ document: FlowDocument; source: string }> {
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch(() => {
    throw new InvalidInputError(`Cannot read the flow file "${file}".`, 'file');
  });
  const validation = validateFlowDocument(text, { file, ...(session ? { models: session.models } : {}) });
  if (!validation.ok) throw new InvalidFlowError(validation.problems);
  for (const warning of validation.warnings) io.stderr(`${formatFlowProblem(warning)}\n`);
  return { document: validation.document, source: text };
}

/** `--input key=value`, repeated; values are strings, checked and converted by the flow's input types. */
function inputsFrom(pairs: string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals < 1)
      throw new InvalidInputError(`Invalid --input "${pair.slice(0, 40)}": expected key=value.`, '--input');
    inputs[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return inputs;
}

/** One stderr line per node change: what a person watching a run wants to see. */
function progressPrinter(io: CliIo): (event: FlowRunEvent) => void {
  const last = new Map<string, string>();
  return (event) => {
    if (event.type !== 'node') return;
    const { node } = event;
    const state = `${node.status}${node.cached ? ' (cached)' : ''}`;
    if (last.get(`${node.runId}:${node.nodeId}`) === state) return;
    last.set(`${node.runId}:${node.nodeId}`, state);
    const detail = node.error
      ? `: ${node.error.message}`
      : node.taskIds.length > 0 && node.status === 'running'
        ? ` (${node.taskIds.filter(Boolean).length} task${node.taskIds.length === 1 ? '' : 's'})`
        : '';
    io.stderr(`  ${node.nodeId.padEnd(16)} ${state}${detail}\n`);
  };
}

/** Writes the run's images (`<node>-<variant>.png`) and texts (`<name>.txt`) into a directory. */
async function writeOutputs(
  io: CliIo,
  session: FlowSession,
  run: FlowRun,
  directory: string,
): Promise<string[]> {
  const folder = resolve(io.cwd, directory);
  await mkdir(folder, { recursive: true });
  const written: string[] = [];
  for (const node of await session.store.nodeRuns(run.id)) {
    for (const image of node.output?.images ?? []) {
      const blob = await session.blobs.get(image.sha256);
      if (!blob) continue;
      const path = join(
        folder,
        `${node.nodeId}-${image.variant}.${image.mimeType === 'image/jpeg' ? 'jpg' : 'png'}`,
      );
      await writeFile(path, blob.bytes);
      written.push(path);
    }
  }
  for (const [name, value] of Object.entries(run.result ?? {})) {
    if (typeof value !== 'string') continue;
    const path = join(folder, `${name}.txt`);
    await writeFile(path, `${value}\n`);
    written.push(path);
  }
  return written;
}

function runSummary(run: FlowRun, nodes: NodeRun[]): string {
  const lines = [
    `run ${run.id}: ${run.status}${run.version !== undefined ? ` (${run.flowName} v${run.version})` : ` (${run.flowName}, from a file)`}`,
    `cost: estimated ${usd(run.estimatedCostUsd)}, actual ${usd(run.actualCostUsd)}`,
  ];
  for (const group of variantGroups(nodes)) {
    lines.push(
      `${group.node} on ${group.requestedModel} (${group.servedModels.join(', ') || 'cached'}): ${group.variants.length} variant${group.variants.length === 1 ? '' : 's'}, ${usd(group.costUsd)}`,
    );
  }
  for (const [name, value] of Object.entries(run.result ?? {})) {
    if (typeof value === 'string') lines.push(`${name}: ${value}`);
  }
  if (run.lineage)
    lines.push(
      `promoted from ${run.lineage.parentRunId} node ${run.lineage.nodeId} variant ${run.lineage.variant}`,
    );
  if (run.error) lines.push(`error: ${run.error.message}`);
  for (const warning of run.warnings) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

/** A list as JSON for scripts, else one line per item. */
function printList<Item>(
  io: CliIo,
  asJson: boolean | undefined,
  items: readonly Item[],
  lineOf: (item: Item) => string,
) {
  if (asJson) io.stdout(`${JSON.stringify(items, null, 2)}\n`);
  else for (const item of items) io.stdout(`${lineOf(item)}\n`);
}

/** One run of `flow runs`, the same whether it came from the local store or a server. */
function runLine(run: {
  id: string;
  status: string;
  version?: number | null | undefined;
  createdAtMs: number;
  actualCostUsd?: number | undefined;
  parentRunId?: string | undefined;
}): string {
  const promoted = run.parentRunId ? `  promoted from ${run.parentRunId}` : '';
  return `${run.id}  ${run.status.padEnd(9)} v${run.version ?? '-'}  ${new Date(run.createdAtMs).toISOString()}  ${usd(run.actualCostUsd)}${promoted}`;
}

/** One version of `flow versions`, the same whether it came from the local store or a server. */
function versionLine(version: {
  version: number;
  sha256: string;
  publishedAtMs: number;
  message: string;
  rollbackOf?: number | undefined;
}): string {
  const rollback = version.rollbackOf ? ` (rollback to v${version.rollbackOf})` : '';
  return `v${version.version}  ${version.sha256.slice(0, 12)}  ${new Date(version.publishedAtMs).toISOString()}  ${version.message}${rollback}`;
}

const usd = (value: number | undefined) => (value === undefined ? 'unknown' : `$${value.toFixed(4)}`);

async function finishRun(
  io: CliIo,
  session: FlowSession,
  started: FlowRun,
  flags: { json?: boolean | undefined; output?: string | undefined },
): Promise<number> {
  io.stderr(`run ${started.id} started (estimated ${usd(started.estimatedCostUsd)})\n`);
  const run = await session.runner.waitForFinal(started.id);
  const written = flags.output ? await writeOutputs(io, session, run, flags.output) : [];
  const nodes = await session.store.nodeRuns(run.id);
  if (flags.json) {
    io.stdout(`${JSON.stringify({ run, nodes, variants: variantGroups(nodes), written }, null, 2)}\n`);
  } else {
    io.stdout(runSummary(run, nodes));
    for (const path of written) io.stdout(`${path}\n`);
  }
  return run.status === 'succeeded' ? ExitCode.ok : ExitCode.permanentFailure;
}

/** `push --server`: the file is checked here (file, line, node, field), models by the server's registry. */
async function pushRemote(
  io: CliIo,
  flows: RemoteFlows,
  file: string,
  flags: z.infer<typeof pushFlags>,
): Promise<number> {
  const { document, source } = await readFlowSource(io, file);
  const flow = await flows.saveDraft(document, source);
  for (const warning of flow.warnings ?? []) io.stderr(`${formatFlowProblem(warning)}\n`);
  if (!flags.publish) {
    io.stdout(
      flags.json
        ? `${JSON.stringify({ name: document.name, draft: true })}\n`
        : `saved the draft of ${document.name}\n`,
    );
    return ExitCode.ok;
  }
  const version = await flows.publish(document.name, flags.message!, flags.allowPreview ?? false);
  for (const warning of version.warnings ?? []) io.stderr(`${formatFlowProblem(warning)}\n`);
  io.stdout(
    flags.json
      ? `${JSON.stringify(version, null, 2)}\n`
      : `published ${version.flow} v${version.version} (sha256 ${version.sha256.slice(0, 12)}): ${version.message}\n`,
  );
  return ExitCode.ok;
}

/**
 * `run NAME --server`: inputs are checked and converted here against the version's own input schema (so
 * `count=2` becomes a number and a bad input is named before anything is sent); a local image path is sent
 * as a data URL. The server drives the run; `--wait` follows it.
 */
async function runRemote(
  io: CliIo,
  flows: RemoteFlows,
  target: RemoteTarget,
  name: string | undefined,
  flags: z.infer<typeof runFlags>,
): Promise<number> {
  if (flags.file !== undefined || name === undefined) {
    throw new InvalidInputError(
      `--file runs a flow in-process; with --server push it first (imagegate flow push FILE --publish -m "…" --server ${target.serverUrl}) and run it by name.`,
      '--file',
    );
  }
  if (flags.output && !flags.wait) {
    throw new InvalidInputError(
      '-o needs --wait with --server: the images exist once the run ends.',
      '--output',
    );
  }
  const version =
    flags.version === undefined ? await flows.latest(name) : await flows.version(name, flags.version);
  const validation = validateFlowDocument(JSON.stringify(version.document ?? {}), {
    file: `${name} v${version.version}`,
  });
  if (!validation.ok) throw new InvalidFlowError(validation.problems);
  const document = validation.document;
  const inputs = parseFlowInputs(document, inputsFrom(flags.input), { fromStrings: true });
  for (const [inputName, input] of Object.entries(document.inputs)) {
    const value = inputs[inputName];
    if (input.type !== 'image' || typeof value !== 'string' || /^(file_|data:|https:)/.test(value)) continue;
    inputs[inputName] = await dataUrlOf(io, value, `inputs.${inputName}`);
  }
  const started = await flows.startRun(name, version.version, inputs, !flags.cache);
  if (!flags.wait) {
    io.stdout(
      flags.json
        ? `${JSON.stringify(started, null, 2)}\n`
        : `run ${started.id} started on ${target.serverUrl} (estimated ${usd(started.estimated_cost_usd ?? undefined)}); follow it with --wait, or imagegate flow runs ${name} --server ${target.serverUrl}\n`,
    );
    return ExitCode.ok;
  }
  return finishRemoteRun(io, flows, started, flags);
}

async function dataUrlOf(io: CliIo, path: string, field: string): Promise<string> {
  const bytes = await readFile(resolve(io.cwd, path)).catch(() => {
    throw new FlowInputError(field, `cannot read the file "${path.slice(0, 80)}"`);
  });
  const mimeType = sniffImageMimeType(bytes);
  if (!mimeType)
    throw new FlowInputError(field, `"${path.slice(0, 80)}" is not a PNG, JPEG, WebP or HEIC image`);
  return `data:${mimeType};base64,${bytes.toString('base64')}`;
}

/** How often `--wait --server` reads the run again. */
const remotePollIntervalMs = 500;

const remoteOutputSchema = z.object({
  images: z
    .array(
      z.object({
        variant: z.number().int().min(0),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        mimeType: z.string(),
      }),
    )
    .optional(),
});

/** Follows a server's run to its end: a progress line per node change, then the summary and `-o` files. */
async function finishRemoteRun(
  io: CliIo,
  flows: RemoteFlows,
  started: RemoteRun,
  flags: { json?: boolean | undefined; output?: string | undefined; wait?: boolean | undefined },
): Promise<number> {
  io.stderr(`run ${started.id} started (estimated ${usd(started.estimated_cost_usd ?? undefined)})\n`);
  const last = new Map<string, string>();
  let run = started;
  for (;;) {
    if (!flags.json) {
      for (const node of run.nodes) {
        const state = `${node.status}${node.cached ? ' (cached)' : ''}`;
        if (last.get(node.node) === state) continue;
        last.set(node.node, state);
        const detail = node.error
          ? `: ${node.error.message}`
          : node.status === 'running' && node.task_ids.length > 0
            ? ` (${node.task_ids.length} task${node.task_ids.length === 1 ? '' : 's'})`
            : '';
        io.stderr(`  ${node.node.padEnd(16)} ${state}${detail}\n`);
      }
    }
    if (run.status !== 'running') break;
    // Pace, not logic: real time, as the local session's waits (io.clock may be a pinned calendar).
    await systemClock.sleep(remotePollIntervalMs);
    run = await flows.run(run.id);
  }
  const written: string[] = [];
  if (flags.output) {
    const folder = resolve(io.cwd, flags.output);
    await mkdir(folder, { recursive: true });
    for (const node of run.nodes) {
      const output = remoteOutputSchema.safeParse(node.output ?? {});
      for (const image of output.success ? (output.data.images ?? []) : []) {
        const path = join(
          folder,
          `${node.node}-${image.variant}.${image.mimeType === 'image/jpeg' ? 'jpg' : 'png'}`,
        );
        await writeFile(path, await flows.image(image.sha256));
        written.push(path);
      }
    }
    for (const [resultName, value] of Object.entries(run.result ?? {})) {
      if (typeof value !== 'string') continue;
      const path = join(folder, `${resultName}.txt`);
      await writeFile(path, `${value}\n`);
      written.push(path);
    }
  }
  if (flags.json) io.stdout(`${JSON.stringify({ run, written }, null, 2)}\n`);
  else {
    const lines = [
      `run ${run.id}: ${run.status} (${run.flow} v${run.version ?? '-'})`,
      `cost: estimated ${usd(run.estimated_cost_usd ?? undefined)}, actual ${usd(run.actual_cost_usd ?? undefined)}`,
      ...Object.entries(run.result ?? {}).flatMap(([resultName, value]) =>
        typeof value === 'string' ? [`${resultName}: ${value}`] : [],
      ),
      ...(run.error ? [`error: ${run.error.message}`] : []),
      ...run.warnings.map((warning) => `warning: ${warning}`),
      ...written,
    ];
    io.stdout(`${lines.join('\n')}\n`);
  }
  return run.status === 'succeeded' ? ExitCode.ok : ExitCode.permanentFailure;
}

/** `imagegate flow validate|push|pull|run|runs|versions|diff|rollback|promote`, on the embedded store. */
export function flowCommand(io: CliIo, setExitCode: (code: number) => void): Command {
  const flow = new Command('flow').description(
    'Versioned multi-step image pipelines: validate, push, publish, run, diff, roll back, promote (see docs/flows.md)',
  );
  const shared = (command: Command) =>
    command
      .option('--json', 'print JSON')
      .option('--data-dir <dir>', dataDirectoryFlagHelp)
      .option('--config <file>', 'imagegate.config.yaml');
  const sharedRemote = (command: Command) =>
    shared(command)
      .option('--server <url>', 'work on this imagegate server instead of the local data directory')
      .option('--api-key <key>', `the server's API key (default: $${apiKeyEnvironmentVariable})`);

  shared(
    flow
      .command('validate')
      .argument('<files...>')
      .description('Check flow files; every problem with file, line, node and field'),
  ).action(
    flowAction(io, setExitCode, async (files: string[], raw: Record<string, unknown>) => {
      const flags = parseFlags(local, raw);
      return withSession(io, flags, async (session) => {
        let failed = false;
        const reports = [];
        for (const file of files) {
          try {
            const document = await readFlowFile(io, file, session);
            reports.push({ file, ok: true, name: document.name });
            if (!flags.json) io.stdout(`${file}: ok (${Object.keys(document.nodes).length} nodes)\n`);
          } catch (error) {
            failed = true;
            if (!(error instanceof InvalidFlowError)) throw error;
            reports.push({ file, ok: false, problems: error.problems });
            if (!flags.json) io.stdout(`${error.problems.map(formatFlowProblem).join('\n')}\n`);
          }
        }
        if (flags.json) io.stdout(`${JSON.stringify(reports, null, 2)}\n`);
        return failed ? ExitCode.badInput : ExitCode.ok;
      });
    }),
  );

  sharedRemote(
    flow
      .command('push')
      .argument('<file>')
      .description('Save a flow file as the draft; --publish makes it a new version')
      .option('--publish', 'publish the draft as a new immutable version')
      .option('-m, --message <text>', 'the version message (required with --publish)')
      .option('--allow-preview', 'publish even though a pinned preview has a shutdown date'),
  ).action(
    flowAction(io, setExitCode, async (file: string, raw: Record<string, unknown>) => {
      const flags = parseFlags(pushFlags, raw);
      if (flags.publish && !flags.message)
        throw new InvalidInputError('--publish needs -m "message".', '--message');
      const remote = remoteTarget(flags, io.env);
      if (remote) return pushRemote(io, new RemoteFlows(remote), file, flags);
      return withSession(io, flags, async (session) => {
        const { document, source } = await readFlowSource(io, file, session);
        await session.library.saveDraft(document, localAccess, { source });
        if (!flags.publish) {
          io.stdout(
            flags.json
              ? `${JSON.stringify({ name: document.name, draft: true })}\n`
              : `saved the draft of ${document.name}\n`,
          );
          return ExitCode.ok;
        }
        const { version, warnings } = await session.library.publish(
          document.name,
          { message: flags.message!, allowPreview: flags.allowPreview ?? false },
          localAccess,
        );
        for (const warning of warnings) io.stderr(`${formatFlowProblem(warning)}\n`);
        io.stdout(
          flags.json
            ? `${JSON.stringify(version, null, 2)}\n`
            : `published ${version.flowName} v${version.version} (sha256 ${version.sha256.slice(0, 12)}): ${version.message}\n`,
        );
        return ExitCode.ok;
      });
    }),
  );

  sharedRemote(
    flow
      .command('pull')
      .argument('<name>')
      .description(
        'Print (or write) the draft, or a version: the pushed file as written (with later edits), else YAML',
      )
      .option('--version <n>', 'a published version instead of the draft')
      .option('-o, --output <file>', 'write to this file'),
  ).action(
    flowAction(io, setExitCode, async (name: string, raw: Record<string, unknown>) => {
      const flags = parseFlags(
        common.extend({
          version: positiveInteger('--version').optional(),
          output: z.string().min(1).optional(),
        }),
        raw,
      );
      const remote = remoteTarget(flags, io.env);
      /** The document, and the pushed file's text (patched by later edits) when it has one. */
      const pulled = async (): Promise<{ document: object; source?: string | null | undefined }> => {
        if (!remote) {
          return withSession(io, flags, async (session) => {
            if (!flags.version) {
              const flow = await session.library.flow(name, localAccess);
              return { document: flow.draft, source: flow.draftSource };
            }
            const version = await session.library.version(name, flags.version, localAccess);
            return { document: version.document, source: version.source };
          });
        }
        const flows = new RemoteFlows(remote);
        if (flags.version === undefined) {
          const flow = await flows.flow(name);
          return { document: flow.draft, source: flow.source };
        }
        const version = await flows.version(name, flags.version);
        return { document: version.document ?? {}, source: version.source };
      };
      {
        const { document, source } = await pulled();
        const text = flags.json
          ? `${JSON.stringify(document, null, 2)}\n`
          : typeof source === 'string'
            ? source
            : toYaml(document);
        if (flags.output) {
          await writeFile(resolve(io.cwd, flags.output), text);
          io.stdout(`${resolve(io.cwd, flags.output)}\n`);
        } else io.stdout(text);
        return ExitCode.ok;
      }
    }),
  );

  sharedRemote(
    flow
      .command('run')
      .argument('[name]', 'a pushed flow (its newest version unless --version)')
      .description('Run a flow in-process on the embedded store; progress per node on stderr')
      .option('--file <flow.yaml>', 'run this file without pushing it')
      .option(
        '--input <key=value...>',
        'an input; repeat for several (image inputs: a path, file id, data or https URL)',
      )
      .option('--version <n>', 'run this published version')
      .option('--wait', 'wait for the run to end (always, in-process)')
      .option('-o, --output <dir>', 'write the images and texts of the result here')
      .option('--no-cache', 're-run every model node instead of reusing cached results'),
  ).action(
    flowAction(io, setExitCode, async (name: string | undefined, raw: Record<string, unknown>) => {
      const flags = parseFlags(runFlags, raw);
      if ((name === undefined) === (flags.file === undefined)) {
        throw new InvalidInputError('Name a pushed flow or pass --file flow.yaml (one of the two).', 'name');
      }
      const remote = remoteTarget(flags, io.env);
      if (remote) return runRemote(io, new RemoteFlows(remote), remote, name, flags);
      return withSession(
        io,
        flags,
        async (session) => {
          const source = flags.file
            ? { document: await readFlowFile(io, flags.file, session), version: undefined }
            : await (async () => {
                const version =
                  flags.version === undefined
                    ? await session.library.latest(name!, localAccess)
                    : await session.library.version(name!, flags.version, localAccess);
                return { document: version.document, version: version.version };
              })();
          const inputs = parseFlowInputs(source.document, inputsFrom(flags.input), { fromStrings: true });
          const stored = await storeImageInputs(source.document, inputs, session.storeImageInput);
          session.startWorker();
          const started = await session.runner.start({
            document: source.document,
            ...(source.version !== undefined ? { version: source.version } : {}),
            inputs: stored,
            access: localAccess,
            noCache: !flags.cache,
            warnings: session.library.lifecycle(source.document, true).map(formatFlowProblem),
          });
          return finishRun(io, session, started, flags);
        },
        flags.json ? undefined : progressPrinter(io),
      );
    }),
  );

  sharedRemote(flow.command('runs').argument('<name>').description('Runs of a flow, newest first')).action(
    flowAction(io, setExitCode, async (name: string, raw: Record<string, unknown>) => {
      const flags = parseFlags(common, raw);
      const remote = remoteTarget(flags, io.env);
      if (remote) {
        const runs = await new RemoteFlows(remote).runs(name);
        printList(io, flags.json, runs, (run) =>
          runLine({
            ...run,
            createdAtMs: run.created_at * 1000,
            actualCostUsd: run.actual_cost_usd ?? undefined,
            parentRunId: run.lineage ? String(run.lineage.parentRunId) : undefined,
          }),
        );
        return ExitCode.ok;
      }
      return withSession(io, flags, async (session) => {
        const runs = await session.store.listRuns({ flowName: name, limit: 50 });
        printList(io, flags.json, runs, (run) => runLine({ ...run, parentRunId: run.lineage?.parentRunId }));
        return ExitCode.ok;
      });
    }),
  );

  sharedRemote(
    flow.command('versions').argument('<name>').description('Published versions, newest first'),
  ).action(
    flowAction(io, setExitCode, async (name: string, raw: Record<string, unknown>) => {
      const flags = parseFlags(common, raw);
      const remote = remoteTarget(flags, io.env);
      if (remote) {
        const versions = await new RemoteFlows(remote).versions(name);
        printList(io, flags.json, versions, (version) =>
          versionLine({
            ...version,
            publishedAtMs: version.published_at * 1000,
            rollbackOf: version.rollback_of ?? undefined,
          }),
        );
        return ExitCode.ok;
      }
      return withSession(io, flags, async (session) => {
        const versions = await session.library.versions(name, localAccess);
        printList(
          io,
          flags.json,
          versions.map(({ document: _document, ...version }) => version),
          versionLine,
        );
        return ExitCode.ok;
      });
    }),
  );

  sharedRemote(
    flow
      .command('diff')
      .argument('<name>')
      .argument('<from>')
      .argument('<to>')
      .description('What changed between two versions, by node and field'),
  ).action(
    flowAction(
      io,
      setExitCode,
      async (name: string, from: string, to: string, raw: Record<string, unknown>) => {
        const flags = parseFlags(common, raw);
        const versions = parseFlags(z.object({ from: positiveInteger('from'), to: positiveInteger('to') }), {
          from,
          to,
        });
        const remote = remoteTarget(flags, io.env);
        if (remote) {
          const diff = await new RemoteFlows(remote).diff(name, versions.from, versions.to);
          io.stdout(flags.json ? `${JSON.stringify(diff.changes, null, 2)}\n` : `${diff.text}\n`);
          return ExitCode.ok;
        }
        return withSession(io, flags, async (session) => {
          const changes = await session.library.diff(name, versions.from, versions.to, localAccess);
          io.stdout(flags.json ? `${JSON.stringify(changes, null, 2)}\n` : `${formatFlowChanges(changes)}\n`);
          return ExitCode.ok;
        });
      },
    ),
  );

  sharedRemote(
    flow
      .command('rollback')
      .argument('<name>')
      .description('A new version equal to an older one')
      .requiredOption('--to <n>', 'the version to return to')
      .option('-m, --message <text>', 'the version message'),
  ).action(
    flowAction(io, setExitCode, async (name: string, raw: Record<string, unknown>) => {
      const flags = parseFlags(
        common.extend({ to: positiveInteger('--to'), message: z.string().min(1).max(500).optional() }),
        raw,
      );
      const remote = remoteTarget(flags, io.env);
      if (remote) {
        const version = await new RemoteFlows(remote).rollback(name, flags.to, flags.message);
        for (const warning of version.warnings ?? []) io.stderr(`${formatFlowProblem(warning)}\n`);
        io.stdout(
          flags.json
            ? `${JSON.stringify(version, null, 2)}\n`
            : `published ${name} v${version.version} = v${flags.to}\n`,
        );
        return ExitCode.ok;
      }
      return withSession(io, flags, async (session) => {
        const { version, warnings } = await session.library.rollback(
          name,
          { to: flags.to, ...(flags.message ? { message: flags.message } : {}) },
          localAccess,
        );
        for (const warning of warnings) io.stderr(`${formatFlowProblem(warning)}\n`);
        io.stdout(
          flags.json
            ? `${JSON.stringify(version, null, 2)}\n`
            : `published ${name} v${version.version} = v${flags.to}\n`,
        );
        return ExitCode.ok;
      });
    }),
  );

  sharedRemote(
    flow
      .command('promote')
      .argument('<run>')
      .description(
        "Re-run one variant of a finished run's image node on another model (upstream from the cache)",
      )
      .requiredOption('--node <id>', 'the image node')
      .requiredOption('--variant <k>', 'the variant (0-based)')
      .requiredOption('--model <name>', 'the target model, e.g. image_quality')
      .option('--wait', 'wait for the run to end (always, in-process)')
      .option('-o, --output <dir>', 'write the promoted image here'),
  ).action(
    flowAction(io, setExitCode, async (runId: string, raw: Record<string, unknown>) => {
      const flags = parseFlags(promoteFlags, raw);
      const remote = remoteTarget(flags, io.env);
      if (remote) {
        const flows = new RemoteFlows(remote);
        const started = await flows.promote(runId, {
          node: flags.node,
          variant: flags.variant,
          model: flags.model,
        });
        return finishRemoteRun(io, flows, started, flags);
      }
      return withSession(
        io,
        flags,
        async (session) => {
          session.startWorker();
          const started = await promoteRun(
            session.runner,
            { runId, node: flags.node, variant: flags.variant, model: flags.model },
            localAccess,
            session.models,
          );
          return finishRun(io, session, started, flags);
        },
        flags.json ? undefined : progressPrinter(io),
      );
    }),
  );
  for (const command of flow.commands)
    command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return flow;
}
