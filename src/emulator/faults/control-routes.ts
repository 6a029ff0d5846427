import type { Context } from 'hono';
import { Hono } from 'hono';
import { stringify } from 'yaml';
import { z } from 'zod';
import { googleErrorBody, detailTypes, serializeGoogleError, type ErrorHttpStatus } from '../google-error.js';
import type { EmulatorClock } from './emulator-clock.js';
import type { EmulatorStats } from './emulator-stats.js';
import type { Faults } from './faults.js';
import { parseScenario } from './parse-scenario.js';
import { ScenarioError } from './scenario-error.js';

export interface ControlRouteDependencies {
  clock: EmulatorClock;
  faults: Faults;
  stats: EmulatorStats;
}

const clockRequestSchema = z.strictObject({
  now: z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'expected an ISO 8601 instant such as "2026-06-26T00:00:00Z" or a date such as "2026-06-26"',
  }),
  /** Keep the clock at `now` (default false: it ticks on from there). */
  frozen: z.boolean().default(false),
});

const yamlContentTypes = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'text/plain'];
const routes = ['GET|PUT|DELETE /clock', 'GET|PUT /scenario', 'GET /stats', 'POST /reset'];

interface FieldViolation {
  field: string;
  description: string;
}

/**
 * The emulator's control API, mounted at `/_emulator`: read and set the emulated clock, read and replace
 * the scenario, read and reset the statistics. JSON in and out; errors in Google's error shape.
 */
export function createControlRoutes(dependencies: ControlRouteDependencies): Hono {
  const { clock, faults, stats } = dependencies;
  const app = new Hono();

  app.get('/clock', (context) => context.json(clockState(clock)));

  app.put('/clock', async (context) => {
    const body = await readJsonBody(context);
    if (!body.ok) return body.response;
    const parsed = clockRequestSchema.safeParse(body.value);
    if (!parsed.success) {
      return errorResponse(
        context,
        400,
        'Invalid clock request.',
        parsed.error.issues.map((issue) => ({
          field:
            issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(body)'),
          description:
            issue.code === 'unrecognized_keys'
              ? `${issue.message}; allowed keys: now, frozen`
              : issue.message,
        })),
      );
    }
    clock.setNow(Date.parse(parsed.data.now), { frozen: parsed.data.frozen });
    return context.json(clockState(clock));
  });

  app.delete('/clock', (context) => {
    clock.reset();
    return context.json(clockState(clock));
  });

  app.get('/scenario', (context) => {
    if (wantsYaml(context.req.header('accept'))) {
      return context.body(stringify(faults.scenario), 200, {
        'content-type': 'application/yaml; charset=utf-8',
      });
    }
    return context.json(faults.scenario);
  });

  app.put('/scenario', async (context) => {
    const contentType = mediaType(context.req.header('content-type'));
    if (
      contentType !== undefined &&
      contentType !== 'application/json' &&
      !yamlContentTypes.includes(contentType)
    ) {
      return errorResponse(
        context,
        400,
        `Content-Type ${contentType} is not supported for a scenario; use application/json or application/yaml.`,
      );
    }
    const text = await context.req.text();
    if (contentType === 'application/json') {
      const json = parseJson(text);
      if (!json.ok) return errorResponse(context, 400, json.message);
    }
    try {
      faults.replaceScenario(parseScenario(text, 'request body'));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      return errorResponse(
        context,
        400,
        error.message,
        error.problems.map((problem) => ({
          field: problem.path || '(document)',
          description:
            problem.line === undefined ? problem.message : `line ${problem.line}: ${problem.message}`,
        })),
      );
    }
    return context.json(faults.scenario);
  });

  app.get('/stats', (context) => context.json(stats.snapshot()));

  app.post('/reset', (context) => {
    stats.reset();
    faults.resetCounters();
    return context.json(stats.snapshot());
  });

  app.notFound((context) =>
    errorResponse(
      context,
      404,
      `No control route ${context.req.method} ${new URL(context.req.url).pathname}; the routes are ${routes.join(', ')}.`,
    ),
  );

  app.onError((error, context) => errorResponse(context, 500, `Control request failed: ${error.message}`));

  return app;
}

function clockState(clock: EmulatorClock): { now: string; frozen: boolean; set: boolean } {
  return { now: new Date(clock.nowMs()).toISOString(), frozen: clock.isFrozen, set: clock.isSet };
}

function errorResponse(
  context: Context,
  httpStatus: Extract<ErrorHttpStatus, 400 | 404 | 500>,
  message: string,
  fieldViolations: FieldViolation[] = [],
): Response {
  const details = fieldViolations.length > 0 ? [{ '@type': detailTypes.badRequest, fieldViolations }] : [];
  return context.body(serializeGoogleError(googleErrorBody(httpStatus, message, { details })), httpStatus, {
    'content-type': 'application/json; charset=UTF-8',
  });
}

type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

async function readJsonBody(context: Context): Promise<JsonBody> {
  const json = parseJson(await context.req.text());
  return json.ok ? json : { ok: false, response: errorResponse(context, 400, json.message) };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Invalid JSON payload received. ${reason}` };
  }
}

function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

function wantsYaml(accept: string | undefined): boolean {
  return accept !== undefined && /\b(?:application|text)\/(?:x-)?yaml\b/i.test(accept);
}
