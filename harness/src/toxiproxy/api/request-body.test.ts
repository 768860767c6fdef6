import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error.js';
import { expectObject, optionalBoolean, optionalString, parseRequestBody } from './request-body.js';

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('did not throw');
}

describe('parseRequestBody', () => {
  it('reads the first JSON value and ignores what follows', () => {
    expect(parseRequestBody('{"name":"a"} trailing junk')).toEqual({ name: 'a' });
    expect(parseRequestBody(' [1,{"a":"]"}]]]')).toEqual([1, { a: ']' }]);
    expect(parseRequestBody('"x\\"}" more')).toBe('x"}');
    expect(parseRequestBody('true false')).toBe(true);
  });
  it('folds keys to lower case, recursively', () => {
    expect(parseRequestBody('{"NAME":"a","Attributes":{"Latency":5}}')).toEqual({
      name: 'a',
      attributes: { latency: 5 },
    });
  });
  it('rejects empty and malformed bodies with 400 bad request body', () => {
    for (const text of ['', '   ', '{', '{"a":', 'nope', '{"a" 1}']) {
      const error = errorOf(() => parseRequestBody(text));
      expect(error).toBeInstanceOf(ApiError);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/^bad request body: /);
    }
  });
  it('type-checks fields', () => {
    const body = expectObject({ name: 5, enabled: 'yes' }, 'proxy');
    expect(errorOf(() => optionalString(body, 'name')).message).toMatch(/"name" must be a string, got number/);
    expect(errorOf(() => optionalBoolean(body, 'enabled')).message).toMatch(/"enabled" must be a boolean/);
    expect(errorOf(() => expectObject([], 'proxy')).status).toBe(400);
  });
});
