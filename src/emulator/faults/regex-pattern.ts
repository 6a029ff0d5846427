/**
 * Prompt patterns in scenario files. Scenario authors often come from PCRE/RE2, where case-insensitivity is
 * written inline as `(?i)`; JavaScript has no inline flags, so a leading `(?i)`, `(?s)`, `(?m)` or a mix
 * of them (`(?is)`) is turned into RegExp flags.
 */
const inlineFlagsPrefix = /^\(\?([ims]+)\)/;

/** Compiles a scenario pattern; throws an Error naming the pattern and what is allowed when it is invalid. */
export function compilePattern(source: string): RegExp {
  const inlineFlags = inlineFlagsPrefix.exec(source);
  const body = inlineFlags ? source.slice(inlineFlags[0].length) : source;
  const flags = inlineFlags ? [...new Set(inlineFlags[1])].join('') : '';
  try {
    return new RegExp(body, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `pattern ${JSON.stringify(source)} is not a valid regular expression (${reason}); ` +
        'expected a JavaScript regular expression, optionally starting with (?i), (?s) or (?m)',
      { cause: error },
    );
  }
}

/** The reason a pattern does not compile, or `undefined` when it is valid. */
export function patternProblem(source: string): string | undefined {
  try {
    compilePattern(source);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
