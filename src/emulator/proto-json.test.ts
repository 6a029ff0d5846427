import { describe, expect, it } from 'vitest';
import { EmulatorApiError } from './api-errors.js';
import {
  anyJson,
  checkProtoJson,
  enumeration,
  message,
  parseProtoJson,
  repeatedScalar,
  scalar,
  type MessageDescriptor,
} from './proto-json.js';

const prefix = 'type.googleapis.com/test.v1';
const inner: MessageDescriptor = {
  name: 'Inner',
  fields: { count: scalar('TYPE_INT64'), data: scalar('TYPE_BYTES') },
};
const outer: MessageDescriptor = {
  name: 'Outer',
  fields: {
    fooBar: scalar('TYPE_INT32'),
    ratio: scalar('TYPE_FLOAT'),
    flag: scalar('TYPE_BOOL'),
    words: repeatedScalar('TYPE_STRING'),
    level: enumeration('Outer.Level', ['LEVEL_UNSPECIFIED', 'LOW', 'HIGH']),
    inner: message(() => inner),
    loose: anyJson,
  },
};

describe('parseProtoJson', () => {
  it('takes both spellings and returns proto values: numbers, upper-case enum names, camelCase names', () => {
    const { problems, message: parsed } = parseProtoJson(
      outer,
      {
        foo_bar: '7',
        ratio: 'NaN',
        level: 'high',
        inner: { count: '9007199254740993' },
        loose: { a_b: 1 },
        flag: null,
      },
      prefix,
    );
    expect(problems).toEqual([]);
    expect(parsed).toEqual({
      fooBar: 7,
      ratio: Number.NaN,
      level: 'HIGH',
      inner: { count: '9007199254740993' },
      loose: { a_b: 1 },
    });
  });

  it('reads an enum by number', () => {
    expect(parseProtoJson(outer, { level: 1 }, prefix).message).toEqual({ level: 'LOW' });
  });

  it('refuses an int32 out of range, a bool given as a string and bytes that are not base64', () => {
    const { problems } = parseProtoJson(
      outer,
      { fooBar: 2 ** 31, flag: 'true', inner: { data: 'no spaces!' } },
      prefix,
    );
    expect(problems.map((problem) => problem.description)).toEqual([
      `Invalid value at 'foo_bar' (TYPE_INT32), 2147483648`,
      `Invalid value at 'flag' (TYPE_BOOL), "true"`,
      `Invalid value at 'inner.data' (TYPE_BYTES), "no spaces!"`,
    ]);
  });

  it('refuses a non-list for a repeated field, naming the element type', () => {
    expect(parseProtoJson(outer, { words: 'one' }, prefix).problems).toEqual([
      { field: 'words', description: `Invalid value at 'words' (TYPE_STRING), "one"` },
    ]);
  });
});

describe('checkProtoJson', () => {
  it('throws one 400 with a BadRequest violation per problem', () => {
    let thrown: unknown;
    try {
      checkProtoJson(outer, { nope: 1, inner: { zzz: 2 } }, prefix);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EmulatorApiError);
    const body = (thrown as EmulatorApiError).body.error;
    expect(body.message).toBe(
      'Invalid JSON payload received. Unknown name "nope": Cannot find field.\n' +
        `Invalid JSON payload received. Unknown name "zzz" at 'inner': Cannot find field.`,
    );
    expect(body.details?.[0]?.fieldViolations).toHaveLength(2);
  });
});
