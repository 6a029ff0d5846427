import { describe, expect, it } from 'vitest';
import { ConfigError, formatConfigIssue } from './config-error.js';
import { formatFieldPath } from './field-path.js';

describe('ConfigError', () => {
  it('locates the first issue and lists all of them', () => {
    const error = new ConfigError([
      { severity: 'error', file: 'a.yaml', line: 3, field: 'routes.r', message: 'first' },
      { severity: 'error', file: 'a.yaml', message: 'second' },
    ]);
    expect([error.file, error.line, error.field]).toEqual(['a.yaml', 3, 'routes.r']);
    expect(error.message).toBe(
      'Invalid imagegate config (2 problems):\n  a.yaml:3: routes.r: first\n  a.yaml: second',
    );
  });

  it('formats an issue with only the parts it has', () => {
    expect(
      formatConfigIssue({ severity: 'warning', file: 'built-in defaults', field: 'x', message: 'm' }),
    ).toBe('built-in defaults: x: m');
  });
});

describe('formatFieldPath', () => {
  it('writes indexes in brackets', () => {
    expect(formatFieldPath(['routes', 'image_fast', 'candidates', 1, 'model'])).toBe(
      'routes.image_fast.candidates[1].model',
    );
    expect(formatFieldPath([])).toBe('');
  });
});
