import type { z } from 'zod';
import { builtInCatalog, type Catalog } from '../catalog/index.js';
import { systemClock, type Clock } from '../clock/index.js';
import { ConfigError, formatConfigIssue, type ConfigIssue } from './config-error.js';
import { configSchema, type ImagegateConfig } from './config-schema.js';
import { formatFieldPath, type FieldPath } from './field-path.js';
import { allowedKeysAt } from './schema-keys.js';
import { didYouMean, suggestLogicalNames, validateConfigSemantics } from './validate-config.js';
import { parseYamlSource } from './yaml-source.js';

export interface LoadedConfig {
  config: ImagegateConfig;
  /** The file the config came from, or 'built-in defaults'. */
  source: string;
  /** Things that work today but deserve attention (a preview primary, a shutdown inside the warning window). */
  warnings: string[];
}

export interface ParseConfigOptions {
  /** Named in every error and warning. */
  fileName: string;
  /** When lifecycle is judged. Default: the system clock. */
  clock?: Clock;
  /** Default: the built-in catalog. */
  catalog?: Catalog;
}

export const builtInDefaultsSource = 'built-in defaults';

/**
 * Parses and validates the text of a config file: YAML syntax, then shape (zod, unknown keys rejected),
 * then meaning (models against the catalog, lifecycle at the clock's time, route cycles). Throws a
 * `ConfigError` listing every error with its line and field; returns warnings otherwise.
 */
export function parseConfig(text: string, options: ParseConfigOptions): LoadedConfig {
  const { fileName } = options;
  const source = parseYamlSource(text);
  const firstSyntaxError = source.syntaxErrors[0];
  if (firstSyntaxError) {
    // Only the first: the YAML parser's later errors are knock-on effects of it (one missing `]` reads
    // as two or three problems on the same line), and fixing it makes them go away.
    throw new ConfigError([
      {
        severity: 'error',
        file: fileName,
        line: firstSyntaxError.line,
        message: `YAML syntax: ${firstSyntaxError.message}`,
      },
    ]);
  }
  const data = source.data ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError([
      {
        severity: 'error',
        file: fileName,
        line: 1,
        message:
          'the file must hold a mapping of keys (version, routes, defaults, limits, credentials, lifecycle)',
      },
    ]);
  }
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.flatMap((issue) => shapeIssues(issue, data, fileName, source.lineOf)).sort(byLine),
    );
  }
  const writtenRoutes = new Set(Object.keys((data as { routes?: object }).routes ?? {}));
  const issues: ConfigIssue[] = validateConfigSemantics(parsed.data, {
    catalog: options.catalog ?? builtInCatalog(),
    nowMs: (options.clock ?? systemClock).nowMs(),
  }).map((issue) => {
    const routeName = issue.path[0] === 'routes' ? issue.path[1] : undefined;
    const isBuiltIn = typeof routeName === 'string' && !writtenRoutes.has(routeName);
    return {
      severity: issue.severity,
      file: fileName,
      line: isBuiltIn ? undefined : source.lineOf(issue.path),
      field: formatFieldPath(issue.path),
      message: isBuiltIn
        ? `${issue.message} (built-in route; define a route named "${routeName}" to replace it)`
        : issue.message,
    };
  });
  issues.sort(byLine);
  const errors = issues.filter((issue) => issue.severity === 'error');
  if (errors.length > 0) throw new ConfigError(errors);
  return {
    config: parsed.data,
    source: fileName,
    warnings: issues.filter((issue) => issue.severity === 'warning').map(formatConfigIssue),
  };
}

function shapeIssues(
  issue: z.core.$ZodIssue,
  data: object,
  file: string,
  lineOf: (path: FieldPath) => number | undefined,
): ConfigIssue[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeysAt(configSchema, path);
    return issue.keys.map((key) => {
      const keyPath = [...path, key];
      const hint = /^(api_?key|key|token|secret)$/i.test(key)
        ? ' Credentials are read from environment variables: name the variable with "apiKeyEnv".'
        : '';
      return {
        severity: 'error',
        file,
        line: lineOf(keyPath),
        field: formatFieldPath(keyPath),
        message: `unknown key "${key}".${didYouMean(suggestLogicalNames(allowed, key, 1))} Allowed keys: ${allowed.join(', ')}.${hint}`,
      };
    });
  }
  const lastSegment = path.at(-1);
  const isCredentialField = typeof lastSegment === 'string' && /env$/i.test(lastSegment);
  const value = valueAt(data, path);
  const shown =
    value === undefined || isCredentialField || typeof value === 'object'
      ? ''
      : ` (got ${JSON.stringify(value)})`;
  return [
    {
      severity: 'error',
      file,
      line: lineOf(path),
      field: path.length > 0 ? formatFieldPath(path) : undefined,
      message: `${issue.message}${shown}`,
    },
  ];
}

function valueAt(data: unknown, path: FieldPath): unknown {
  let current = data;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** File order; issues without a line (built-in routes) last. The sort is stable, so ties keep check order. */
function byLine(a: ConfigIssue, b: ConfigIssue): number {
  return (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER);
}
