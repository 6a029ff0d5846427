import { ImagegateError } from '../errors/index.js';

/** One problem found in a config file, located as precisely as the file allows. */
export interface ConfigIssue {
  severity: 'error' | 'warning';
  /** The file path, or "built-in defaults". */
  file: string;
  /** 1-based line of the offending key or value; absent when the field is not in the file. */
  line?: number;
  /** Dotted field path, e.g. `routes.image_fast.candidates[1].model`. */
  field?: string;
  message: string;
}

/** `file:line: field: message`, leaving out the parts that are unknown. */
export function formatConfigIssue(issue: ConfigIssue): string {
  const location = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}`;
  return issue.field ? `${location}: ${issue.field}: ${issue.message}` : `${location}: ${issue.message}`;
}

/**
 * A config that cannot be used. `file`, `line` and `field` locate the first problem; `issues` holds every
 * error found, so one run shows them all.
 */
export class ConfigError extends ImagegateError {
  readonly file?: string;
  readonly line?: number;
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    const [first] = issues;
    const summary =
      issues.length === 1
        ? `Invalid imagegate config: ${formatConfigIssue(first!)}`
        : `Invalid imagegate config (${issues.length} problems):\n${issues.map((issue) => `  ${formatConfigIssue(issue)}`).join('\n')}`;
    super('invalid_config', summary, first?.field === undefined ? {} : { field: first.field });
    this.issues = issues;
    this.file = first?.file;
    this.line = first?.line;
  }
}
