/** One thing wrong with a scenario, located as precisely as the source allows. */
export interface ScenarioProblem {
  /** The field, as in `quotas[0].rpm`; empty for the whole document. */
  path: string;
  /** 1-based line and column in the scenario text, when known. */
  line?: number;
  column?: number;
  message: string;
}

/** A scenario that cannot be read or does not validate; the message lists every problem with its place. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';

  constructor(
    readonly fileName: string,
    readonly problems: readonly ScenarioProblem[],
  ) {
    super(
      `Invalid scenario ${fileName}:\n` +
        problems.map((problem) => `  ${formatPlace(fileName, problem)}: ${problem.message}`).join('\n'),
    );
  }
}

function formatPlace(fileName: string, problem: ScenarioProblem): string {
  const position = problem.line === undefined ? '' : `:${problem.line}:${problem.column ?? 1}`;
  return `${fileName}${position}${problem.path ? ` ${problem.path}` : ''}`;
}
