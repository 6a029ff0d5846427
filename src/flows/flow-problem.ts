import { ImagegateError } from '../errors/index.js';

/** One thing wrong with a flow document, placed as precisely as the document allows. */
export interface FlowProblem {
  /** The file name, or `request body` / `draft` where there is no file. */
  file: string;
  /** 1-based line in the file, where it is known. */
  line?: number;
  /** The node the problem is in, if any. */
  node?: string;
  /** The field, dot-separated from the document root (`nodes.hero.variants`). */
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

/** `flow.yaml:12: node "hero", nodes.hero.variants: 12 is out of range; allowed 1–8`. */
export function formatFlowProblem(problem: FlowProblem): string {
  const place = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const node = problem.node === undefined ? '' : ` node "${problem.node}",`;
  const prefix = problem.severity === 'warning' ? ' warning:' : '';
  return `${place}:${prefix}${node} ${problem.field}: ${problem.message}`;
}

/** A flow document that does not validate; every problem is listed, the first in the message. */
export class InvalidFlowError extends ImagegateError {
  constructor(readonly problems: FlowProblem[]) {
    const errors = problems.filter((problem) => problem.severity === 'error');
    super(
      'invalid_flow',
      errors.length === 1
        ? formatFlowProblem(errors[0]!)
        : `${errors.length} problems in the flow; first: ${errors[0] ? formatFlowProblem(errors[0]) : 'none'}`,
      // The field of the first error, for the HTTP and CLI error shapes.
      errors[0] ? { field: errors[0].field } : {},
    );
  }

  /** Every error of the flow, one per line: a remote caller sees them all at once. */
  override get clientMessage(): string {
    return this.problems
      .filter((problem) => problem.severity === 'error')
      .map(formatFlowProblem)
      .join('\n');
  }
}

/** A short, quoted prefix of a value for messages: long prompts are cut, objects summarised. */
export function previewValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
