import Database from 'better-sqlite3';
import fc from 'fast-check';
import { ManualClock } from '../../src/clock/index.js';
import { callerScope, listOwner } from '../../src/server/auth/index.js';
import { createOpenAiRoutes } from '../../src/server/openai/index.js';
import { createWebhookRoutes, generateWebhookSecret, WebhookDispatcher } from '../../src/webhooks/index.js';
import { createTestServer, pngBytes, type TestServer } from '../server/server-harness.js';

/**
 * Requests generated from the server's own OpenAPI document (fast-check arbitraries built from each
 * operation's parameters and body schema, valid and mutated), plus hand-made attacks, run in-process
 * with `app.request`. Used by the bounded run in `npm test` and by `npm run fuzz`.
 */

export interface FuzzRequest {
  method: string;
  path: string;
  /** The documented operation this request was generated from (`POST /v1/files`), if any. */
  operation?: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  additionalProperties?: boolean | JsonSchema;
  example?: unknown;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}

interface OperationObject {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, unknown>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  bodyTypes: Record<string, JsonSchema | undefined>;
  statuses: Set<number>;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
      bodyTypes: Object.fromEntries(
        Object.entries(operation.requestBody?.content ?? {}).map(([type, media]) => [type, media.schema]),
      ),
      statuses: new Set(Object.keys(operation.responses).map(Number)),
    })),
  );
}

/** A real 1×1 PNG, so uploads are sometimes accepted (its bytes, sniffed, are a PNG). */
const samplePng = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC',
    'base64',
  ),
);

/** Strings that tend to break things: huge, control characters, traversal, unicode, numbers as text. */
const nastyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    '..%2F..%2Fetc%2Fpasswd',
    '../../tasks.sqlite',
    '%00',
    '\u0000',
    'null',
    '-1',
    '1e309',
  ),
  fc.constantFrom('NaN', '9'.repeat(400), '🦜'.repeat(100), '<script>alert(1)</script>', "' OR 1=1 --"),
  fc.integer({ min: 1, max: 200_000 }).map((length) => 'a'.repeat(length)),
);

/**
 * A value matching the schema most of the time, and a near miss (wrong type, out of range, unknown
 * field) the rest; `strict` only ever matches, so whole valid requests come out too.
 */
export function valueFor(
  schema: JsonSchema | undefined,
  document: OpenApiDocument,
  depth = 0,
  strict = false,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return strict ? fc.constant('x') : fc.jsonValue({ maxDepth: 2 });
  if (schema.$ref) {
    const name = schema.$ref.split('/').at(-1) ?? '';
    return valueFor(document.components?.schemas?.[name], document, depth + 1, strict);
  }
  const branches = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (branches) return fc.oneof(...branches.map((branch) => valueFor(branch, document, depth + 1, strict)));
  if (strict) return strictValue(schema, document, depth);
  if (schema.enum)
    return fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...schema.enum) },
      { weight: 1, arbitrary: nastyString },
    );
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), nastyString);
  const type = Array.isArray(schema.type) ? schema.type.find((entry) => entry !== 'null') : schema.type;
  const wrong = fc.oneof(nastyString, fc.jsonValue({ maxDepth: 2 }), fc.constant(null));
  const matching = ((): fc.Arbitrary<unknown> => {
    switch (type) {
      case 'string':
        return fc.oneof(
          {
            weight: 3,
            arbitrary: fc.string({
              minLength: schema.minLength ?? 0,
              maxLength: Math.min(schema.maxLength ?? 40, 40),
            }),
          },
          { weight: 1, arbitrary: nastyString },
        );
      case 'integer':
        return fc.oneof(
          fc.integer({ min: Math.ceil(schema.minimum ?? -1000), max: Math.floor(schema.maximum ?? 1000) }),
          fc.integer(),
        );
      case 'number':
        return fc.oneof(
          fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true }),
          fc.double(),
        );
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(valueFor(schema.items, document, depth + 1), {
          maxLength: Math.min(schema.maxItems ?? 5, 20) + 2,
        });
      case 'object': {
        const properties = schema.properties ?? {};
        const required = new Set(schema.required ?? []);
        const known = fc.record(
          Object.fromEntries(
            Object.entries(properties).map(([name, property]) => [
              name,
              valueFor(property, document, depth + 1),
            ]),
          ),
          { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) },
        );
        return fc.oneof(
          { weight: 4, arbitrary: known },
          // An unknown field on top, or a record of anything (metadata-like objects).
          {
            weight: 1,
            arbitrary: fc
              .tuple(known, fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }))
              .map(([value, key, extra]) => ({ ...(value as object), [key]: extra })),
          },
          {
            weight: 1,
            arbitrary: fc.dictionary(fc.string({ maxLength: 80 }), fc.jsonValue({ maxDepth: 2 }), {
              maxKeys: 40,
            }),
          },
        );
      }
      default:
        return fc.jsonValue({ maxDepth: 3 });
    }
  })();
  return fc.oneof({ weight: 5, arbitrary: matching }, { weight: 1, arbitrary: wrong });
}

function strictValue(schema: JsonSchema, document: OpenApiDocument, depth: number): fc.Arbitrary<unknown> {
  if (schema.example !== undefined) return fc.constant(schema.example);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const type = Array.isArray(schema.type) ? schema.type.find((entry) => entry !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return fc.string({
        unit: 'grapheme-ascii',
        minLength: Math.max(schema.minLength ?? 1, 1),
        maxLength: Math.min(schema.maxLength ?? 40, 40),
      });
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.minimum ?? 0), max: Math.floor(schema.maximum ?? 100) });
    case 'number':
      return fc.double({ min: schema.minimum ?? 0, max: schema.maximum ?? 1, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueFor(schema.items, document, depth + 1, true), {
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object': {
      // Required fields always, each optional one now and then: a valid request more often than not.
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      return fc
        .record(
          Object.fromEntries(
            Object.entries(properties).map(([name, property]) => {
              const value = valueFor(property, document, depth + 1, true);
              return [
                name,
                required.has(name)
                  ? value
                  : fc.oneof(
                      { weight: 4, arbitrary: fc.constant(undefined) },
                      { weight: 1, arbitrary: value },
                    ),
              ];
            }),
          ),
        )
        .map((record) =>
          Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)),
        );
    }
    default:
      return fc.constant('x');
  }
}

/** JSON nested `depth` levels deep (an array or object at each level). */
const deepJson = fc
  .tuple(fc.integer({ min: 20, max: 20_000 }), fc.boolean())
  .map(([depth, objects]) =>
    objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  );

const pathValue = (parameter: Parameter, document: OpenApiDocument) =>
  fc.oneof(
    { weight: 2, arbitrary: valueFor(parameter.schema, document).map(String) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        'task_img_01KTRPENG0D86ZZRSC07K0AQNW',
        'a'.repeat(64),
        'msg_0000000000ab',
        'image_fast',
      ),
    },
    { weight: 1, arbitrary: nastyString },
  );

/** One request to one documented operation: parameters and body generated from its schemas, then mutated. */
export function requestFor(operation: Operation, document: OpenApiDocument): fc.Arbitrary<FuzzRequest> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = operation.parameters.filter((parameter) => parameter.in === 'query');
  const headerParameters = operation.parameters.filter((parameter) => parameter.in === 'header');
  const bodyTypes = Object.entries(operation.bodyTypes);
  const body: fc.Arbitrary<{ type?: string; body?: string | Uint8Array }> =
    bodyTypes.length === 0
      ? fc.oneof(
          { weight: 5, arbitrary: fc.constant({}) },
          {
            weight: 1,
            arbitrary: fc
              .jsonValue()
              .map((value) => ({ type: 'application/json', body: JSON.stringify(value) })),
          },
        )
      : fc.oneof(
          ...bodyTypes.map(([type, schema]) => ({
            weight: 6,
            arbitrary: (type.includes('json')
              ? fc
                  .oneof(valueFor(schema, document), valueFor(schema, document, 0, true))
                  .map((value) => JSON.stringify(value) ?? 'null')
              : fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.constant(samplePng))
            ).map((content) => ({ type, body: content })),
          })),
          { weight: 1, arbitrary: deepJson.map((text) => ({ type: 'application/json', body: text })) },
          { weight: 1, arbitrary: fc.string().map((text) => ({ type: 'application/json', body: text })) },
          {
            weight: 1,
            arbitrary: fc
              .tuple(
                fc.constantFrom(
                  undefined,
                  'text/plain',
                  'application/xml',
                  'multipart/form-data; boundary=zz',
                  'application/x-www-form-urlencoded',
                  'application/json',
                ),
                fc.string({ maxLength: 300 }),
              )
              .map(([type, text]) => ({ ...(type ? { type } : {}), body: text })),
          },
        );
  return fc
    .record({
      path: fc.tuple(...pathParameters.map((parameter) => pathValue(parameter, document))),
      query: fc.tuple(
        ...queryParameters.map((parameter) =>
          fc.option(valueFor(parameter.schema, document).map(String), { nil: undefined }),
        ),
      ),
      headers: fc.tuple(
        ...headerParameters.map((parameter) =>
          fc.option(valueFor(parameter.schema, document).map(String), { nil: undefined }),
        ),
      ),
      // Mostly none (the server has no key yet, so requests reach the routes); sometimes a bad one.
      authorization: fc.oneof(
        { weight: 8, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constant(`Bearer igk_${'x'.repeat(32)}`) },
        { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
      ),
      body,
    })
    .map(({ path, query, headers, authorization, body: sent }) => {
      let url = operation.path;
      pathParameters.forEach((parameter, index) => {
        url = url.replace(`{${parameter.name}}`, encodeURIComponent(path[index] ?? ''));
      });
      const search = new URLSearchParams();
      queryParameters.forEach((parameter, index) => {
        const value = query[index];
        if (value !== undefined) search.set(parameter.name, value);
      });
      const requestHeaders: Record<string, string> = {};
      headerParameters.forEach((parameter, index) => {
        const value = headers[index];
        // Header values must be ByteStrings without line breaks; anything else is the client's error, not ours.
        if (value !== undefined && /^[\t\x20-\x7e]*$/.test(value)) requestHeaders[parameter.name] = value;
      });
      if (authorization !== undefined && /^[\t\x20-\x7e]*$/.test(authorization))
        requestHeaders.authorization = authorization;
      if (sent.type) requestHeaders['content-type'] = sent.type;
      const query_ = search.toString();
      return {
        method: operation.method,
        path: query_ ? `${url}?${query_}` : url,
        operation: `${operation.method} ${operation.path}`,
        headers: requestHeaders,
        ...(sent.body !== undefined && operation.method !== 'GET' ? { body: sent.body } : {}),
      };
    });
}

const json = (body: unknown) => JSON.stringify(body);
const post = (path: string, body: string | Uint8Array, contentType?: string): FuzzRequest => ({
  method: 'POST',
  path,
  headers: contentType ? { 'content-type': contentType } : {},
  body,
});
const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/**
 * The attacks of the security review, by hand (sizes scaled by `scale`). Each is built only when sent,
 * so the client's own 40 MB strings do not count in the server's memory figures.
 */
export function handMadeAttacks(scale = 1): (() => FuzzRequest)[] {
  const megabytes = (count: number) => Math.max(1, Math.round(count * scale)) * 1024 * 1024;
  const attacks: (() => FuzzRequest)[] = [
    () => post('/v1/images/generations', json({ prompt: 'x'.repeat(megabytes(40)) }), 'application/json'),
    () => post('/v1/images/generations', json({ prompt: 'x'.repeat(megabytes(40)) }), 'application/json'),
    () => post('/v1/images/generations', json({ prompt: 'x'.repeat(megabytes(40)) }), 'application/json'),
    () => post('/v1/images/generations', json({ prompt: 'x'.repeat(megabytes(40)) }), 'application/json'),
    () => post('/v1/images/generations', json({ prompt: 'x'.repeat(megabytes(40)) }), 'application/json'),
    () =>
      post(
        '/v1/images/generations',
        json({ prompt: 'x', temperature: 'a'.repeat(megabytes(10)) }),
        'application/json',
      ),
    () =>
      post(
        '/v1/images/generations',
        json({ prompt: 'x', webhook_url: `https://a.example/${'a'.repeat(megabytes(1))}` }),
        'application/json',
      ),
    () =>
      post(
        '/v1/images/generations',
        json({ prompt: 'x', [`k${'x'.repeat(megabytes(1))}`]: 1 }),
        'application/json',
      ),
  ];
  return [
    ...attacks,
    ...[
      post('/v1/images/generations', `{"prompt":${deep(10_000)}}`, 'application/json'),
      post('/v1/images/generations', `{"prompt":"x","contents":${deep(10_000)}}`, 'application/json'),
      post('/v1/images/generations', json({ prompt: 'x' })),
      post('/v1/images/generations', json({ prompt: 'x' }), 'text/plain'),
      post(
        '/v1/images/generations',
        json({
          prompt: 'x',
          metadata: Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`k${index}`, 'v'])),
        }),
        'application/json',
      ),
      post(
        '/v1/images/generations',
        json({ prompt: 'x', images: Array.from({ length: 1000 }, () => 'file_' + 'a'.repeat(64)) }),
        'application/json',
      ),
      post('/v1/files', 'garbage', 'multipart/form-data; boundary=abc'),
      post(
        '/v1/files',
        '--abc\r\nContent-Disposition: form-data; name="file"\r\n\r\nxx',
        'multipart/form-data; boundary=abc',
      ),
      post('/v1/files', '', 'application/octet-stream'),
      post('/openai/v1/images/generations', `{"prompt":"x","user":${deep(10_000)}}`, 'application/json'),
      post('/openai/v1/images/generations', json({ prompt: 'x' }), 'text/plain'),
      post('/openai/v1/images/edits', 'garbage', 'multipart/form-data; boundary=abc'),
      post('/openai/v1/images/edits', json({ prompt: 'x' }), 'application/json'),
      {
        method: 'GET',
        path: `/v1/images/${'a'.repeat(64)}`,
        headers: { 'if-none-match': `"${'a'.repeat(64)}"` },
      },
      { method: 'GET', path: '/v1/tasks?limit=100', headers: {} },
      { method: 'GET', path: `/v1/tasks?cursor=${'z'.repeat(5000)}`, headers: {} },
      { method: 'GET', path: `/v1/webhooks/dead-letters?${'a'.repeat(3000)}=1`, headers: {} },
      { method: 'POST', path: `/v1/webhooks/dead-letters/${'m'.repeat(5000)}/redeliver`, headers: {} },
      { method: 'GET', path: `/v1/models/${'x'.repeat(10_000)}`, headers: {} },
      { method: 'GET', path: '/v1/tasks/task_img_x/events', headers: { 'last-event-id': '9'.repeat(400) } },
    ].map((request) => () => request),
  ];
}

export interface FuzzTarget {
  server: TestServer;
  document: OpenApiDocument;
  operations: Operation[];
  send(request: FuzzRequest): Promise<Response>;
  close(): Promise<void>;
}

/** A server with every route mounted (OpenAI-compatible and dead letters included), no key yet. */
export async function createFuzzTarget(): Promise<FuzzTarget> {
  const clock = new ManualClock(Date.UTC(2026, 5, 10, 12));
  const dispatcher = new WebhookDispatcher({
    database: new Database(':memory:'),
    secret: generateWebhookSecret(),
    clock,
  });
  const png = await pngBytes();
  const server = await createTestServer({
    clock,
    withKeys: true,
    overrides: {
      webhookRoutes: createWebhookRoutes(dispatcher, { ownerOf: (c) => listOwner(callerScope(c)) }),
      openAi: createOpenAiRoutes({
        generate: async () => ({
          images: [{ bytes: png, mimeType: 'image/png', width: 8, height: 8 }],
          servedBy: { platform: 'gemini-api', modelId: 'fuzz' },
          usage: { promptTokens: 1, totalTokens: 2 },
        }),
        clock,
      }),
    },
  });
  const document = (await (await server.app.request('/openapi.json')).json()) as OpenApiDocument;
  return {
    server,
    document,
    operations: operationsOf(document),
    send: (request) =>
      Promise.resolve(
        server.app.request(request.path, {
          method: request.method,
          headers: request.headers,
          ...(request.body !== undefined
            ? { body: typeof request.body === 'string' ? request.body : new Uint8Array(request.body) }
            : {}),
        }),
      ),
    close: () => server.close(),
  };
}

export interface FuzzFinding {
  request: string;
  problem: string;
}

/** What a response must be: never a 5xx; errors in the documented shape; statuses the document lists. */
export async function checkResponse(
  request: FuzzRequest,
  response: Response,
  operations: Operation[],
): Promise<string | undefined> {
  if (response.status >= 500) return `answered ${response.status}: ${(await response.text()).slice(0, 200)}`;
  const operation = operations.find((entry) => `${entry.method} ${entry.path}` === request.operation);
  if (operation && !operation.statuses.has(response.status)) {
    return `answered ${response.status}, which the OpenAPI document does not list for ${request.operation}`;
  }
  if (response.status < 400) {
    await response.body?.cancel();
    return undefined;
  }
  const text = await response.text();
  let body: { error?: { type?: unknown; code?: unknown; message?: unknown; param?: unknown } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `answered ${response.status} with a body that is not JSON: ${text.slice(0, 100)}`;
  }
  const error = body.error;
  if (
    !error ||
    typeof error.type !== 'string' ||
    typeof error.code !== 'string' ||
    typeof error.message !== 'string' ||
    !(error.param === null || typeof error.param === 'string')
  ) {
    return `answered ${response.status} outside the error shape: ${text.slice(0, 200)}`;
  }
  if (text.length > 2048)
    return `answered ${response.status} with a ${text.length}-byte error (a bad value echoed back?)`;
  return undefined;
}

export function describeRequest(request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? ''
      : typeof request.body === 'string'
        ? ` ${request.body.slice(0, 120)}${request.body.length > 120 ? `… (${request.body.length} chars)` : ''}`
        : ` <${request.body.byteLength} bytes>`;
  return `${request.method} ${request.path.slice(0, 160)} ${JSON.stringify(request.headers).slice(0, 160)}${body}`;
}

export interface FuzzRun {
  /** RSS right after the hand-made attacks (40 MB prompts, 10 MB values, deep JSON), before the generated requests. */
  rssAfterAttacksBytes: number;
  requests: number;
  statuses: Record<number, number>;
  serverErrors: number;
  crashes: number;
  findings: FuzzFinding[];
  rssBeforeBytes: number;
  rssAfterBytes: number;
}

/**
 * Sends `generated` requests drawn from every operation of the document (seeded, so a run is
 * reproducible) and the hand-made attacks, one at a time, and tallies what came back.
 */
export async function runFuzz(options: {
  generated: number;
  seed: number;
  attackScale?: number;
  gc?: () => void;
}): Promise<FuzzRun> {
  const target = await createFuzzTarget();
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  const run: FuzzRun = {
    rssAfterAttacksBytes: 0,
    requests: 0,
    statuses: {},
    serverErrors: 0,
    crashes: 0,
    findings: [],
    rssBeforeBytes: 0,
    rssAfterBytes: 0,
  };
  try {
    const perOperation = fc.oneof(
      ...target.operations.map((operation) => requestFor(operation, target.document)),
    );
    const generated = fc.sample(perOperation, { numRuns: options.generated, seed: options.seed });
    // Measured once the generated requests exist: the figures are the server's, not the generator's.
    await options.gc?.();
    run.rssBeforeBytes = process.memoryUsage().rss;
    const requests = [
      ...handMadeAttacks(options.attackScale ?? 1),
      ...generated.map((request) => () => request),
    ];
    const attackCount = requests.length - generated.length;
    for (const [index, next] of requests.entries()) {
      if (index === attackCount) {
        await options.gc?.();
        run.rssAfterAttacksBytes = process.memoryUsage().rss;
      }
      const request = next();
      let response: Response;
      try {
        response = await target.send(request);
      } catch (error) {
        crashes.push(error);
        run.findings.push({ request: describeRequest(request), problem: `threw ${String(error)}` });
        continue;
      }
      run.requests += 1;
      run.statuses[response.status] = (run.statuses[response.status] ?? 0) + 1;
      if (response.status >= 500) run.serverErrors += 1;
      const problem = await checkResponse(request, response, target.operations);
      // A 5xx names the error the server logged, so a finding can be fixed without reproducing it.
      const logged =
        response.status >= 500 ? ` (logged: ${String(target.server.errors.at(-1)).slice(0, 300)})` : '';
      if (problem) run.findings.push({ request: describeRequest(request), problem: problem + logged });
    }
    await options.gc?.();
    run.rssAfterBytes = process.memoryUsage().rss;
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await target.close();
  }
  run.crashes = crashes.length;
  return run;
}
