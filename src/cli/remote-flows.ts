import { z } from 'zod';
import { flowApiSchemas } from '../server/index.js';
import { storedMediaPathPrefix } from '../tasks/index.js';
import { errorKindOfAnswer, ImagegateError } from '../errors/index.js';
import { exitCodeFor } from './exit-codes.js';

/** Where `imagegate flow … --server URL` sends its requests, and with which key. */
export interface RemoteTarget {
  serverUrl: string;
  apiKey?: string;
}

/** The environment variable the key is read from when `--api-key` is not given (as `imagegate serve` prints it). */
export const apiKeyEnvironmentVariable = 'IMAGEGATE_API_KEY';

/** The flags that point a flow command at a server; absent `server`: the local data directory. */
export const remoteFlagsSchema = z.object({
  server: z
    .url({ protocol: /^https?$/, error: 'expected an http or https URL such as http://127.0.0.1:8080' })
    .max(2048)
    .optional(),
  apiKey: z.string().min(1).max(512).optional(),
});

/** Largest answer read from the server: a run view with its nodes, or one image. */
const maxResponseBytes = 64 * 1024 * 1024;

const apiErrorSchema = z.object({
  error: z.object({ type: z.string(), code: z.string(), message: z.string(), param: z.string().nullable() }),
});

/** A remote call that failed: the message says what to do next, `exitCode` follows the CLI's table. */
export class RemoteFlowError extends ImagegateError {
  /** The exit code of the command that met it: the kind's row of the error table. */
  get exitCode(): number {
    return exitCodeFor(this);
  }
}

/** The target of `--server` / `--api-key` (or `IMAGEGATE_API_KEY`), or undefined for local mode. */
export function remoteTarget(
  flags: z.infer<typeof remoteFlagsSchema>,
  env: NodeJS.ProcessEnv,
): RemoteTarget | undefined {
  if (!flags.server) {
    if (flags.apiKey) {
      throw new RemoteFlowError(
        'invalid_input',
        '--api-key needs --server URL: without it flow commands use the local data directory, which needs no key.',
        { field: '--api-key' },
      );
    }
    return undefined;
  }
  const apiKey = flags.apiKey ?? env[apiKeyEnvironmentVariable];
  return { serverUrl: flags.server.replace(/\/+$/, ''), ...(apiKey ? { apiKey } : {}) };
}

export type RemoteRun = z.infer<typeof flowApiSchemas.run>;
export type RemoteVersion = z.infer<typeof flowApiSchemas.version>;

/** A request body sent as it is (a flow file as YAML), not as JSON. */
class TextBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

/** The flow routes of an imagegate server (docs/flows.md, HTTP API), every answer checked by its schema. */
export class RemoteFlows {
  constructor(
    private readonly target: RemoteTarget,
    private readonly fetchFunction: typeof fetch = fetch,
  ) {}

  /** With `source` (the file's text) the server keeps it, so a pull gives the file back. */
  saveDraft(document: object, source?: string) {
    const path = `/v1/flows/${this.name(document)}/draft`;
    if (source === undefined) return this.call('PUT', path, flowApiSchemas.flow, document);
    return this.call('PUT', path, flowApiSchemas.flow, new TextBody(source, 'application/yaml'));
  }

  publish(name: string, message: string, allowPreview: boolean) {
    return this.call('POST', `/v1/flows/${encodeURIComponent(name)}/publish`, flowApiSchemas.version, {
      message,
      ...(allowPreview ? { allow_preview: true } : {}),
    });
  }

  flow(name: string) {
    return this.call('GET', `/v1/flows/${encodeURIComponent(name)}`, flowApiSchemas.flow);
  }

  version(name: string, version: number) {
    return this.call(
      'GET',
      `/v1/flows/${encodeURIComponent(name)}/versions/${version}`,
      flowApiSchemas.version,
    );
  }

  /** The version a run without `--version` runs: the newest. */
  async latest(name: string): Promise<RemoteVersion> {
    const flow = await this.flow(name);
    if (flow.latest_version === null) {
      throw new RemoteFlowError(
        'conflict',
        `Flow "${name}" has no published version yet: publish it first (imagegate flow push FILE --publish -m "…" --server ${this.target.serverUrl}).`,
      );
    }
    return this.version(name, flow.latest_version);
  }

  async versions(name: string) {
    return (await this.call('GET', `/v1/flows/${encodeURIComponent(name)}/versions`, flowApiSchemas.versions))
      .data;
  }

  diff(name: string, from: number, to: number) {
    return this.call(
      'GET',
      `/v1/flows/${encodeURIComponent(name)}/diff?from=${from}&to=${to}`,
      flowApiSchemas.diff,
    );
  }

  rollback(name: string, to: number, message: string | undefined) {
    return this.call('POST', `/v1/flows/${encodeURIComponent(name)}/rollback`, flowApiSchemas.version, {
      to,
      ...(message ? { message } : {}),
    });
  }

  startRun(name: string, version: number, inputs: Record<string, unknown>, noCache: boolean) {
    return this.call(
      'POST',
      `/v1/flows/${encodeURIComponent(name)}/runs?version=${version}`,
      flowApiSchemas.run,
      {
        inputs,
        ...(noCache ? { no_cache: true } : {}),
      },
    );
  }

  run(id: string) {
    return this.call('GET', `/v1/flow-runs/${encodeURIComponent(id)}`, flowApiSchemas.run);
  }

  async runs(name: string) {
    return (await this.call('GET', `/v1/flows/${encodeURIComponent(name)}/runs`, flowApiSchemas.runs)).data;
  }

  promote(runId: string, body: { node: string; variant: number; model: string }) {
    return this.call('POST', `/v1/flow-runs/${encodeURIComponent(runId)}/promote`, flowApiSchemas.run, body);
  }

  /** The bytes of a stored image, by the sha256 a run's result names. */
  async image(sha256: string): Promise<Buffer> {
    const response = await this.send('GET', `${storedMediaPathPrefix}${encodeURIComponent(sha256)}`);
    return Buffer.from(await this.boundedBody(response, `${storedMediaPathPrefix}${sha256}`));
  }

  private name(document: object): string {
    const name = (document as { name?: unknown }).name;
    return encodeURIComponent(typeof name === 'string' ? name : '');
  }

  private async call<Schema extends z.ZodType>(
    method: string,
    path: string,
    schema: Schema,
    body?: unknown,
  ): Promise<z.output<Schema>> {
    const response = await this.send(method, path, body);
    const text = new TextDecoder().decode(await this.boundedBody(response, path));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const checked = schema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new RemoteFlowError(
        'unknown_error',
        `Unexpected answer from ${this.target.serverUrl}${path} (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'not JSON'}): is --server an imagegate server of this version?`,
      );
    }
    return checked.data;
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${this.target.serverUrl}${path}`;
    let response: Response;
    try {
      response = await this.fetchFunction(url, {
        method,
        headers: {
          ...(body instanceof TextBody
            ? { 'content-type': body.contentType }
            : body !== undefined
              ? { 'content-type': 'application/json' }
              : {}),
          ...(this.target.apiKey ? { authorization: `Bearer ${this.target.apiKey}` } : {}),
        },
        ...(body instanceof TextBody
          ? { body: body.text }
          : body !== undefined
            ? { body: JSON.stringify(body) }
            : {}),
      });
    } catch (error) {
      const cause =
        error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new RemoteFlowError(
        'unavailable',
        `Cannot reach the imagegate server at ${this.target.serverUrl} (${cause}): start it with \`imagegate serve\`, or fix --server.`,
        { isRetryable: true },
      );
    }
    if (response.ok) return response;
    const text = new TextDecoder().decode(await this.boundedBody(response, path, true));
    let parsedBody: unknown;
    try {
      parsedBody = JSON.parse(text);
    } catch {
      parsedBody = undefined;
    }
    const parsed = apiErrorSchema.safeParse(parsedBody);
    const message = parsed.success ? parsed.data.error.message : `${response.status} ${response.statusText}`;
    const param = parsed.success ? parsed.data.error.param : null;
    const kind = errorKindOfAnswer(response.status, parsed.success ? parsed.data.error.code : undefined);
    throw new RemoteFlowError(kind, this.nextStep(response.status, message), {
      ...(param === null ? {} : { field: param }),
      isRetryable: response.status === 429 || response.status >= 500,
    });
  }

  private nextStep(status: number, message: string): string {
    const server = this.target.serverUrl;
    if (status === 401 || status === 403) {
      return `${message} Pass --api-key, or set ${apiKeyEnvironmentVariable}, to a key of ${server} (\`imagegate keys create\` on the server makes one).`;
    }
    if (status === 404) {
      return `${message} (on ${server}: flows and runs belong to the API key that created them, and a flow pushed to a local data directory is not on the server: push it with --server).`;
    }
    if (status >= 500)
      return `${server} answered ${status}: ${message} Try again; the server's log says more.`;
    return message;
  }

  private async boundedBody(response: Response, path: string, quiet = false): Promise<Uint8Array> {
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > maxResponseBytes && !quiet) {
      throw new RemoteFlowError(
        'unknown_error',
        `The answer to ${path} is ${declared} bytes, over the ${maxResponseBytes}-byte limit of the CLI.`,
      );
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.byteLength > maxResponseBytes) {
      throw new RemoteFlowError(
        'unknown_error',
        `The answer to ${path} is over the ${maxResponseBytes}-byte limit of the CLI.`,
      );
    }
    return bytes;
  }
}
