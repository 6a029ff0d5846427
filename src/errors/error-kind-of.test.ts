import { describe, expect, it } from 'vitest';
import { errorAnswers } from './error-answers.js';
import { errorKinds } from './error-kind.js';
import { errorKindOfAnswer } from './error-kind-of.js';

describe('errorKindOfAnswer', () => {
  it('reads back the kind of every answer the table writes, or one answered exactly alike', () => {
    for (const kind of errorKinds) {
      const answer = errorAnswers[kind];
      const readBack = errorKindOfAnswer(answer.status, answer.code);
      expect(errorAnswers[readBack]).toMatchObject({ status: answer.status, code: answer.code });
    }
  });

  it('tells a flow document refused from any other bad input by its code', () => {
    expect(errorKindOfAnswer(400, 'invalid_flow')).toBe('invalid_flow');
    expect(errorKindOfAnswer(400, 'invalid_value')).toBe('invalid_input');
    expect(errorKindOfAnswer(429, 'monthly_budget_exceeded')).toBe('budget_exceeded');
  });

  it('falls back on the status for answers the table does not write', () => {
    expect(errorKindOfAnswer(401, 'invalid_api_key')).toBe('auth_failed');
    expect(errorKindOfAnswer(403, undefined)).toBe('auth_failed');
    expect(errorKindOfAnswer(404, 'route_not_found')).toBe('not_found');
    expect(errorKindOfAnswer(409, undefined)).toBe('conflict');
    expect(errorKindOfAnswer(429, undefined)).toBe('rate_limited');
    expect(errorKindOfAnswer(502, undefined)).toBe('unavailable');
    expect(errorKindOfAnswer(422, 'something_else')).toBe('invalid_input');
  });
});
