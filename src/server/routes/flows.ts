import { createHash } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Catalog } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import type { ImagegateConfig } from '../../config/index.js';
import {
  finalRunStatuses,
  flowModelUsages,
  formatFlowChanges,
  formatFlowProblem,
  identifierSchema,
  InvalidFlowError,
  validateFlowDocument,
  parseFlowInputs,
  promoteRun,
  storeImageInputs,
  variantGroups,
  type FlowAccess,
  type FlowLibrary,
  type FlowModelNames,
  type FlowRun,
  type FlowRunner,
  type FlowVersion,
  type NodeRun,
  type FlowStore,
  type StoreImageInput,
  type StoredFlow,
  type FlowProblem,
} from '../../flows/index.js';
import type { TaskEventHub, TaskStore } from '../../tasks/index.js';
import { enforceMonthlyBudget } from '../monthly-budget.js';
import { invalidRequest } from '../../http/index.js';
import { errorResponses } from '../api-schemas.js';
import { openApiRouter, type ServerEnv } from '../openapi-router.js';

export interface FlowRoutesOptions {
  library: FlowLibrary;
  runner: FlowRunner;
  store: FlowStore;
  models: FlowModelNames;
  /** Image inputs (file id, data URL, https URL) into the blob store; failures are 400s naming the field. */
  storeImageInput: StoreImageInput;
  /** Notified with a run id whenever one of its nodes or the run changes (SSE wakes on it). */
  runEvents: TaskEventHub;
  /** Where the runs' tasks live: monthly budgets count what they spent. */
  tasks: TaskStore;
  /** The server's cap for all keys together (`server.monthlyBudgetUsd`). Default: none. */
  globalMonthlyBudgetUsd?: number | undefined;
  clock: Clock;
  /** How often SSE and ?wait re-read the store without a notification. Default 1000 ms. */
  pollIntervalMs?: number;
}

/** What the deprecations list and guard name: every published version's models. */
export function publishedFlowUsages(store: FlowStore, config: ImagegateConfig, catalog: Catalog) {
  return async () => flowModelUsages(await store.allVersions(), config, catalog);
}

/** Longest `?wait` on a flow run, in seconds: runs have several calls, so longer than one task's. */
export const MAX_FLOW_WAIT_SECONDS = 300;
const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;

const nameParams = z.object({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,63}$/)
    .openapi({ param: { name: 'name', in: 'path' }, example: 'brand-assets' }),
});
const runParams = z.object({
  id: z
    .string()
    .regex(/^flowrun_[0-9a-z]{26}$/)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const versionParams = nameParams.extend({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'version', in: 'path' } }),
});

const problemSchema = z.object({
  file: z.string(),
  line: z.number().optional(),
  node: z.string().optional(),
  field: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});
const anyObject = z.record(z.string(), z.unknown());
const flowSchema = z
  .object({
    object: z.literal('flow'),
    name: z.string(),
    draft: anyObject,
    source: z.string().nullable().optional().openapi({
      description:
        'The draft as its author wrote it: the text pushed as application/yaml, with later edits patched in; null without one.',
    }),
    latest_version: z.number().nullable(),
    created_at: z.number(),
    updated_at: z.number(),
    warnings: z.array(problemSchema).optional(),
  })
  .openapi('Flow');
const versionSchema = z
  .object({
    object: z.literal('flow_version'),
    flow: z.string(),
    version: z.number(),
    sha256: z.string(),
    message: z.string(),
    published_by: z.string().nullable(),
    published_at: z.number(),
    rollback_of: z.number().nullable(),
    document: anyObject.optional(),
    source: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: "With the document: the draft's source text when it was published, or null." }),
    warnings: z.array(problemSchema).optional(),
  })
  .openapi('FlowVersion');
const nodeSchema = z
  .object({
    node: z.string(),
    type: z.string(),
    status: z.enum(['pending', 'running', 'succeeded', 'failed', 'cancelled']),
    cached: z.boolean(),
    signature: z.string().nullable(),
    task_ids: z.array(z.string()),
    output: anyObject.nullable(),
    actual_cost_usd: z.number().nullable(),
    started_at: z.number().nullable(),
    finished_at: z.number().nullable(),
    warnings: z.array(z.string()),
    error: z.object({ type: z.string(), message: z.string() }).nullable(),
  })
  .openapi('FlowNodeRun');
const runSchema = z
  .object({
    object: z.literal('flow_run'),
    id: z.string(),
    flow: z.string(),
    version: z.number().nullable(),
    version_sha256: z.string(),
    status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
    inputs: anyObject,
    generation: z.number(),
    lineage: anyObject.nullable(),
    estimated_cost_usd: z.number().nullable(),
    actual_cost_usd: z.number().nullable(),
    created_at: z.number(),
    finished_at: z.number().nullable(),
    warnings: z.array(z.string()),
    error: z.object({ type: z.string(), message: z.string() }).nullable(),
    result: anyObject.nullable(),
    nodes: z.array(nodeSchema),
    variants: z.array(anyObject).openapi({ description: 'Image results grouped per node and model (A/B).' }),
  })
  .openapi('FlowRun');

const diffSchema = z.object({
  object: z.literal('flow_diff'),
  from: z.number(),
  to: z.number(),
  changes: z.array(anyObject),
  text: z.string(),
});
const listOf = <T extends z.ZodType>(item: T) => z.object({ object: z.literal('list'), data: z.array(item) });

/** The answers of the flow routes, for clients that read them (`imagegate flow --server`). */
export const flowApiSchemas = {
  flow: flowSchema,
  version: versionSchema,
  versions: listOf(versionSchema),
  run: runSchema,
  runs: listOf(runSchema),
  diff: diffSchema,
};

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const routes = {
  listFlows: createRoute({
    method: 'get',
    path: '/v1/flows',
    summary: 'Flows of the caller',
    responses: {
      200: json(z.object({ object: z.literal('list'), data: z.array(flowSchema) }), 'The flows'),
      ...errorResponses(401),
    },
  }),
  putDraft: createRoute({
    method: 'put',
    path: '/v1/flows/{name}/draft',
    summary:
      'Create a flow or replace its draft (a flow document as JSON; see schema/imagegate.flow.schema.json)',
    description:
      "As application/yaml the body is a flow file (YAML or JSON text), kept as the draft's source; a JSON draft saved later patches that source with what it changed.",
    request: {
      params: nameParams,
      body: {
        content: {
          'application/json': { schema: anyObject },
          'application/yaml': { schema: z.string().openapi({ description: 'A flow file.' }) },
        },
        // Required in practice: a missing body is an invalid document. (Declared optional so the JSON
        // validator leaves a YAML body alone.)
        required: false,
      },
    },
    responses: { 200: json(flowSchema, 'The flow with its draft'), ...errorResponses(400, 401) },
  }),
  getFlow: createRoute({
    method: 'get',
    path: '/v1/flows/{name}',
    summary: 'A flow: its draft and newest version number',
    request: { params: nameParams },
    responses: { 200: json(flowSchema, 'The flow'), ...errorResponses(401, 404) },
  }),
  publish: createRoute({
    method: 'post',
    path: '/v1/flows/{name}/publish',
    summary: 'Publish the draft as a new immutable version (lifecycle judged now)',
    request: {
      params: nameParams,
      body: {
        content: {
          'application/json': {
            schema: z.strictObject({
              message: z.string().min(1).max(500),
              allow_preview: z
                .boolean()
                .optional()
                .openapi({ description: 'Publish a pinned dated preview anyway.' }),
            }),
          },
        },
        required: true,
      },
    },
    responses: { 201: json(versionSchema, 'The new version'), ...errorResponses(400, 401, 404) },
  }),
  listVersions: createRoute({
    method: 'get',
    path: '/v1/flows/{name}/versions',
    summary: 'Versions, newest first',
    request: { params: nameParams },
    responses: {
      200: json(z.object({ object: z.literal('list'), data: z.array(versionSchema) }), 'The versions'),
      ...errorResponses(401, 404),
    },
  }),
  getVersion: createRoute({
    method: 'get',
    path: '/v1/flows/{name}/versions/{version}',
    summary: 'One version with its document',
    request: { params: versionParams },
    responses: { 200: json(versionSchema, 'The version'), ...errorResponses(400, 401, 404) },
  }),
  diff: createRoute({
    method: 'get',
    path: '/v1/flows/{name}/diff',
    summary: 'Changes between two versions, by node and field',
    request: {
      params: nameParams,
      query: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
    },
    responses: {
      200: json(diffSchema, 'The changes'),
      ...errorResponses(400, 401, 404),
    },
  }),
  rollback: createRoute({
    method: 'post',
    path: '/v1/flows/{name}/rollback',
    summary: 'A new version equal to an older one (history is never rewritten)',
    request: {
      params: nameParams,
      body: {
        content: {
          'application/json': {
            schema: z.strictObject({
              to: z.number().int().min(1),
              message: z.string().min(1).max(500).optional(),
            }),
          },
        },
        required: true,
      },
    },
    responses: { 201: json(versionSchema, 'The new version'), ...errorResponses(400, 401, 404) },
  }),
  startRun: createRoute({
    method: 'post',
    path: '/v1/flows/{name}/runs',
    summary: "The flow's HTTP trigger: runs the newest version (or ?version=) with the given inputs",
    request: {
      params: nameParams,
      headers: z.object({
        'idempotency-key': z.string().min(1).max(255).optional().openapi({
          description: 'The same key and body return the same run for 24 h; another body is 409.',
        }),
      }),
      query: z.object({
        version: z.coerce.number().int().min(1).optional(),
        wait: z.coerce.number().min(0).max(MAX_FLOW_WAIT_SECONDS).optional().openapi({
          description: `Hold the request up to this many seconds for the finished run.`,
        }),
      }),
      body: {
        content: {
          'application/json': {
            schema: z.strictObject({
              inputs: anyObject.default({}),
              webhook_url: z.url({ protocol: /^https?$/ }).optional(),
              no_cache: z.boolean().optional().openapi({ description: 'Re-run every model node.' }),
            }),
          },
        },
        required: true,
      },
    },
    responses: {
      200: json(runSchema, 'Finished within ?wait'),
      202: json(runSchema, 'Running'),
      ...errorResponses(400, 401, 404, 409, 429),
    },
  }),
  listRuns: createRoute({
    method: 'get',
    path: '/v1/flows/{name}/runs',
    summary: 'Runs of a flow, newest first',
    request: {
      params: nameParams,
      query: z.object({ limit: z.coerce.number().int().min(1).max(100).optional() }),
    },
    responses: {
      200: json(z.object({ object: z.literal('list'), data: z.array(runSchema) }), 'The runs'),
      ...errorResponses(400, 401, 404),
    },
  }),
  getRun: createRoute({
    method: 'get',
    path: '/v1/flow-runs/{id}',
    summary: 'A run with the state of every node and its variants grouped per node and model',
    request: { params: runParams },
    responses: { 200: json(runSchema, 'The run'), ...errorResponses(400, 401, 404) },
  }),
  runEvents: createRoute({
    method: 'get',
    path: '/v1/flow-runs/{id}/events',
    summary: 'Server-sent events: one `node` event per node change, ending with `run` when the run is final',
    request: { params: runParams },
    responses: {
      200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
      ...errorResponses(400, 401, 404),
    },
  }),
  cancel: createRoute({
    method: 'post',
    path: '/v1/flow-runs/{id}/cancel',
    summary: 'Cancel a run and its outstanding tasks',
    request: { params: runParams },
    responses: { 200: json(runSchema, 'The run'), ...errorResponses(400, 401, 404) },
  }),
  validateDraft: createRoute({
    method: 'post',
    path: '/v1/flows/{name}/validate',
    summary:
      'Check a flow document with the rules a draft save applies, without storing it (the editor checks as you type)',
    request: {
      params: nameParams,
      body: { content: { 'application/json': { schema: anyObject } }, required: true },
    },
    responses: {
      200: json(
        z
          .object({
            object: z.literal('flow_validation'),
            ok: z.boolean(),
            problems: z
              .array(problemSchema)
              .openapi({ description: 'Errors and warnings, each with its field.' }),
          })
          .openapi('FlowValidation'),
        'The problems a save would report (none when ok)',
      ),
      ...errorResponses(400, 401),
    },
  }),
  retry: createRoute({
    method: 'post',
    path: '/v1/flow-runs/{id}/retry',
    summary:
      'Run the failed or unfinished nodes of a failed or cancelled run again (or only `node` and what depends on it)',
    request: {
      params: runParams,
      query: z.object({
        node: identifierSchema.optional().openapi({
          description: 'Retry only this node (and the nodes that failed because it did).',
        }),
      }),
    },
    responses: { 202: json(runSchema, 'Running again'), ...errorResponses(400, 401, 404, 409) },
  }),
  promote: createRoute({
    method: 'post',
    path: '/v1/flow-runs/{id}/promote',
    summary:
      'Re-run one variant of an image node on another model (its prompt and seed), upstream from the cache',
    request: {
      params: runParams,
      body: {
        content: {
          'application/json': {
            schema: z.strictObject({
              node: z.string().min(1),
              variant: z.number().int().min(0),
              model: z.string().min(1).openapi({ example: 'image_quality' }),
            }),
          },
        },
        required: true,
      },
    },
    responses: { 202: json(runSchema, 'The promote run'), ...errorResponses(400, 401, 404, 409) },
  }),
};

/** Who is asking: the key's id; a record marked admin (where the key store has that notion) sees all. */
function accessOf(c: Context<ServerEnv>): FlowAccess {
  const key = c.get('apiKey') as ({ id: string } & Record<string, unknown>) | undefined;
  if (!key) return {};
  const admin = key.admin === true || key.role === 'admin';
  return { keyId: key.id, ...(admin ? { admin } : {}) };
}

const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.floor(ms / 1000));

function flowView(flow: StoredFlow, warnings?: FlowProblem[]) {
  return {
    object: 'flow' as const,
    name: flow.name,
    draft: flow.draft as unknown as Record<string, unknown>,
    source: flow.draftSource ?? null,
    latest_version: flow.latestVersion ?? null,
    created_at: seconds(flow.createdAtMs)!,
    updated_at: seconds(flow.updatedAtMs)!,
    ...(warnings ? { warnings } : {}),
  };
}

function versionView(version: FlowVersion, options: { document?: boolean; warnings?: FlowProblem[] } = {}) {
  return {
    object: 'flow_version' as const,
    flow: version.flowName,
    version: version.version,
    sha256: version.sha256,
    message: version.message,
    published_by: version.publishedBy ?? null,
    published_at: seconds(version.publishedAtMs)!,
    rollback_of: version.rollbackOf ?? null,
    ...(options.document
      ? { document: version.document as unknown as Record<string, unknown>, source: version.source ?? null }
      : {}),
    ...(options.warnings ? { warnings: options.warnings } : {}),
  };
}

function nodeView(node: NodeRun) {
  return {
    node: node.nodeId,
    type: node.type,
    status: node.status,
    cached: node.cached,
    signature: node.signature ?? null,
    task_ids: node.taskIds,
    output: node.output ?? null,
    actual_cost_usd: node.actualCostUsd ?? null,
    started_at: seconds(node.startedAtMs),
    finished_at: seconds(node.finishedAtMs),
    warnings: node.warnings,
    error: node.error ?? null,
  };
}

export function flowRunView(run: FlowRun, nodes: NodeRun[]) {
  return {
    object: 'flow_run' as const,
    id: run.id,
    flow: run.flowName,
    version: run.version ?? null,
    version_sha256: run.versionSha256,
    status: run.status,
    inputs: run.inputs,
    generation: run.generation,
    lineage: (run.lineage as unknown as Record<string, unknown>) ?? null,
    estimated_cost_usd: run.estimatedCostUsd ?? null,
    actual_cost_usd: run.actualCostUsd ?? null,
    created_at: seconds(run.createdAtMs)!,
    finished_at: seconds(run.finishedAtMs),
    warnings: run.warnings,
    error: run.error ?? null,
    result: run.result ?? null,
    nodes: nodes.map(nodeView),
    variants: variantGroups(nodes) as unknown as Record<string, unknown>[],
  };
}

/** A draft body with the path's flow name; a body naming another flow is refused. */
/** The largest flow file a YAML draft may be (a 64-node flow with long prompts fits many times). */
const maxSourceBytes = 4 * 1024 * 1024;

function draftNamed(name: string, body: Record<string, unknown>): Record<string, unknown> {
  if (body.name !== undefined && body.name !== name) {
    throw invalidRequest(
      `name: "${String(body.name).slice(0, 40)}" differs from the path's flow name "${name}"`,
      'name',
    );
  }
  return { ...body, name };
}

/** Flows, versions and runs over HTTP; every flow and run belongs to the key that created it. */
export function flowRoutes(options: FlowRoutesOptions) {
  const { library, runner, clock } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const runView = async (run: FlowRun) => flowRunView(run, await options.store.nodeRuns(run.id));
  /** A flow file as the draft, its text kept as the source; problems name the line. */
  const saveSource = (name: string, text: string, access: FlowAccess) => {
    if (text.length > maxSourceBytes)
      throw invalidRequest(`the flow file is over ${maxSourceBytes} bytes`, 'body');
    const validation = validateFlowDocument(text, { file: 'draft', models: options.models });
    if (!validation.ok) throw new InvalidFlowError(validation.problems);
    draftNamed(name, { name: validation.document.name });
    return library.saveDraft(validation.document, access, { source: text });
  };

  /** Resolves after the run changes (or a poll interval passes, or the signal aborts). */
  const nextRunChange = async (runId: string, signal: AbortSignal) => {
    const wake = new AbortController();
    const unsubscribe = options.runEvents.subscribe(runId, () => wake.abort());
    try {
      await clock.sleep(pollIntervalMs, AbortSignal.any([signal, wake.signal])).catch(() => undefined);
    } finally {
      unsubscribe();
    }
  };

  return openApiRouter()
    .openapi(routes.listFlows, async (c) =>
      c.json(
        { object: 'list' as const, data: (await library.flows(accessOf(c))).map((flow) => flowView(flow)) },
        200,
      ),
    )
    .openapi(routes.putDraft, async (c) => {
      const { name } = c.req.valid('param');
      const contentType = c.req.header('content-type') ?? '';
      const saved = /^application\/yaml\b/i.test(contentType)
        ? await saveSource(name, await c.req.text(), accessOf(c))
        : // The JSON body, checked as an object (only the YAML one is a string).
          await library.saveDraft(
            draftNamed(name, c.req.valid('json') as Record<string, unknown>),
            accessOf(c),
          );
      return c.json(flowView(saved.flow, saved.warnings), 200);
    })
    .openapi(routes.getFlow, async (c) => {
      const flow = await library.flow(c.req.valid('param').name, accessOf(c));
      return c.json(flowView(flow), 200);
    })
    .openapi(routes.publish, async (c) => {
      const body = c.req.valid('json');
      const published = await library.publish(
        c.req.valid('param').name,
        {
          message: body.message,
          ...(body.allow_preview !== undefined ? { allowPreview: body.allow_preview } : {}),
        },
        accessOf(c),
      );
      return c.json(versionView(published.version, { warnings: published.warnings }), 201);
    })
    .openapi(routes.listVersions, async (c) => {
      const versions = await library.versions(c.req.valid('param').name, accessOf(c));
      return c.json({ object: 'list' as const, data: versions.map((version) => versionView(version)) }, 200);
    })
    .openapi(routes.getVersion, async (c) => {
      const { name, version } = c.req.valid('param');
      const found = await library.version(name, version, accessOf(c));
      return c.json(versionView(found, { document: true }), 200);
    })
    .openapi(routes.diff, async (c) => {
      const { from, to } = c.req.valid('query');
      const changes = await library.diff(c.req.valid('param').name, from, to, accessOf(c));
      return c.json(
        {
          object: 'flow_diff' as const,
          from,
          to,
          changes: changes as unknown as Record<string, unknown>[],
          text: formatFlowChanges(changes),
        },
        200,
      );
    })
    .openapi(routes.rollback, async (c) => {
      const body = c.req.valid('json');
      const rolledBack = await library.rollback(
        c.req.valid('param').name,
        { to: body.to, ...(body.message ? { message: body.message } : {}) },
        accessOf(c),
      );
      return c.json(versionView(rolledBack.version, { warnings: rolledBack.warnings }), 201);
    })
    .openapi(routes.startRun, async (c) => {
      const { name } = c.req.valid('param');
      const { version: versionNumber, wait } = c.req.valid('query');
      const body = c.req.valid('json');
      const access = accessOf(c);
      const idempotencyKey = c.req.valid('header')['idempotency-key'];
      /** The run this request names: the one its Idempotency-Key already started, or a new one. */
      const startOrReuse = async () => {
        const version =
          versionNumber === undefined
            ? await library.latest(name, access)
            : await library.version(name, versionNumber, access);
        const claim = idempotencyKey
          ? {
              key: `${access.keyId ?? 'anonymous'}:${name}:${idempotencyKey}`,
              hash: createHash('sha256')
                .update(JSON.stringify({ version: version.version, body }))
                .digest('hex'),
            }
          : undefined;
        const existing = claim && (await options.store.findIdempotentRun(claim.key, claim.hash));
        if (existing) return runner.get(existing, access);
        const inputs = parseFlowInputs(version.document, body.inputs);
        // A run is refused as a whole, before anything is stored or called, when its estimate would take
        // the key (or the server) over its monthly budget; each of its tasks then counts as spent.
        await enforceMonthlyBudget({
          store: options.tasks,
          key: c.get('apiKey'),
          estimatedUsd: runner.estimate(version.document, inputs),
          nowMs: clock.nowMs(),
          globalMonthlyBudgetUsd: options.globalMonthlyBudgetUsd,
        });
        const stored = await storeImageInputs(version.document, inputs, options.storeImageInput);
        // A version published before its model retired runs by the engine's fallback rules; say so.
        const warnings = library
          .lifecycle(version.document, true)
          .map((problem) => formatFlowProblem(problem));
        const started = await runner.start({
          document: version.document,
          version: version.version,
          inputs: stored,
          access,
          ...(body.no_cache ? { noCache: true } : {}),
          ...(body.webhook_url ? { webhookUrl: body.webhook_url } : {}),
          warnings,
        });
        if (claim) {
          await options.store.rememberIdempotentRun(claim.key, claim.hash, started.id, IDEMPOTENCY_TTL_MS);
        }
        return started;
      };
      const run = await startOrReuse();
      let current = run;
      if (wait && !finalRunStatuses.includes(current.status)) {
        const timeout = new AbortController();
        void clock.sleep(wait * 1000, c.req.raw.signal).then(
          () => timeout.abort(),
          () => timeout.abort(),
        );
        current = await runner.waitForFinal(run.id, timeout.signal);
        timeout.abort();
      }
      c.header('Location', `/v1/flow-runs/${run.id}`);
      return finalRunStatuses.includes(current.status)
        ? c.json(await runView(current), 200)
        : c.json(await runView(current), 202);
    })
    .openapi(routes.listRuns, async (c) => {
      const access = accessOf(c);
      const { name } = c.req.valid('param');
      await library.flow(name, access);
      const runs = (
        await options.store.listRuns({ flowName: name, limit: c.req.valid('query').limit ?? 20 })
      ).filter((run) => access.admin || access.keyId === undefined || run.ownerKeyId === access.keyId);
      return c.json({ object: 'list' as const, data: await Promise.all(runs.map(runView)) }, 200);
    })
    .openapi(routes.getRun, async (c) => {
      const run = await runner.get(c.req.valid('param').id, accessOf(c));
      return c.json(await runView(run), 200);
    })
    .openapi(routes.runEvents, async (c) => {
      const { id } = c.req.valid('param');
      await runner.get(id, accessOf(c));
      const signal = c.req.raw.signal;
      return streamSSE(c, async (stream) => {
        const sent = new Map<string, string>();
        while (!stream.aborted && !signal.aborted) {
          const run = (await options.store.getRun(id))!;
          for (const node of await options.store.nodeRuns(id)) {
            const view = JSON.stringify(nodeView(node));
            if (sent.get(node.nodeId) === view) continue;
            sent.set(node.nodeId, view);
            await stream.writeSSE({ event: 'node', data: view });
          }
          if (finalRunStatuses.includes(run.status)) {
            await stream.writeSSE({ event: 'run', data: JSON.stringify(await runView(run)) });
            return;
          }
          await nextRunChange(id, signal);
        }
      });
    })
    .openapi(routes.cancel, async (c) => {
      const run = await runner.cancel(c.req.valid('param').id, accessOf(c));
      return c.json(await runView(run), 200);
    })
    .openapi(routes.validateDraft, async (c) => {
      const { name } = c.req.valid('param');
      const validation = await library.validate(draftNamed(name, c.req.valid('json')), accessOf(c));
      const problems = validation.ok ? validation.warnings : validation.problems;
      return c.json({ object: 'flow_validation' as const, ok: validation.ok, problems }, 200);
    })
    .openapi(routes.retry, async (c) => {
      const { node } = c.req.valid('query');
      const run = await runner.retry(c.req.valid('param').id, accessOf(c), node);
      return c.json(await runView(run), 202);
    })
    .openapi(routes.promote, async (c) => {
      const body = c.req.valid('json');
      const run = await promoteRun(
        runner,
        { runId: c.req.valid('param').id, ...body },
        accessOf(c),
        options.models,
      );
      return c.json(await runView(run), 202);
    });
}
