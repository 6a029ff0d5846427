import { describe, expect, it } from 'vitest';
import { parseApiPath } from './api-path.js';

describe('parseApiPath', () => {
  it('reads a generateContent call with no prefix', () => {
    expect(parseApiPath('POST', '/v1beta/models/gemini-2.5-flash-image:generateContent')).toEqual({
      prefix: '',
      version: 'v1beta',
      platform: 'gemini-api',
      operation: { method: 'generateContent', modelId: 'gemini-2.5-flash-image' },
    });
  });

  it('keeps a base-URL prefix of several segments', () => {
    const parsed = parseApiPath('POST', '/team/gemini/v1/models/m:streamGenerateContent');
    expect(parsed?.prefix).toBe('/team/gemini');
    expect(parsed?.version).toBe('v1');
    expect(parsed?.operation).toEqual({ method: 'streamGenerateContent', modelId: 'm' });
  });

  it.each([
    ['GET', '/v1alpha/models', { method: 'models.list' }],
    ['GET', '/v1beta/models/m', { method: 'models.get', modelId: 'm' }],
    ['POST', '/v1beta/models/m:countTokens', { method: 'countTokens', modelId: 'm' }],
    ['POST', '/v1beta/models/m:batchGenerateContent', { method: 'batchGenerateContent', modelId: 'm' }],
    [
      'POST',
      '/v1beta/models/m:predict',
      { method: 'unsupported-model-method', modelId: 'm', verb: 'predict' },
    ],
    ['GET', '/v1beta/files', { method: 'files.list' }],
    ['GET', '/v1beta/files/abc', { method: 'files.get', fileId: 'abc' }],
    ['DELETE', '/v1beta/files/abc', { method: 'files.delete', fileId: 'abc' }],
    ['GET', '/v1beta/files/abc:download', { method: 'files.download', fileId: 'abc' }],
    ['GET', '/v1beta/batches', { method: 'batches.list' }],
    ['GET', '/v1beta/batches/b1', { method: 'batches.get', batchId: 'b1' }],
    ['POST', '/v1beta/batches/b1:cancel', { method: 'batches.cancel', batchId: 'b1' }],
    ['DELETE', '/v1beta/batches/b1', { method: 'batches.delete', batchId: 'b1' }],
  ])('%s %s', (httpMethod, path, operation) => {
    expect(parseApiPath(httpMethod, path)?.operation).toEqual(operation);
  });

  it('reads the upload start path, keeping the prefix', () => {
    expect(parseApiPath('POST', '/p/upload/v1beta/files')).toEqual({
      prefix: '/p',
      version: 'v1beta',
      platform: 'gemini-api',
      operation: { method: 'files.upload' },
    });
  });

  it('reads Vertex project/location paths', () => {
    expect(
      parseApiPath(
        'POST',
        '/v1beta1/projects/proj/locations/us-central1/publishers/google/models/m:generateContent',
      ),
    ).toEqual({
      prefix: '',
      version: 'v1beta1',
      platform: 'vertex-ai',
      vertexProject: 'proj',
      vertexLocation: 'us-central1',
      operation: { method: 'generateContent', modelId: 'm' },
    });
  });

  it('reads Vertex express-mode paths', () => {
    const parsed = parseApiPath('POST', '/vx/v1beta1/publishers/google/models/m:streamGenerateContent');
    expect(parsed).toMatchObject({
      prefix: '/vx',
      platform: 'vertex-ai',
      operation: { method: 'streamGenerateContent' },
    });
    expect(parsed?.vertexProject).toBeUndefined();
  });

  it('decodes percent-encoded segments', () => {
    expect(parseApiPath('POST', '/v1beta/models/m%3AgenerateContent')?.operation).toEqual({
      method: 'generateContent',
      modelId: 'm',
    });
  });

  it.each([
    ['GET', '/'],
    ['GET', '/v2/models'],
    ['POST', '/v1beta/models'],
    ['PUT', '/v1beta/files/abc'],
    ['GET', '/v1beta/models/m/extra'],
    ['GET', '/v1beta/upload/v1beta/files'],
    ['GET', '/v1beta/projects/p/publishers/google/models/m'],
  ])('rejects %s %s', (httpMethod, path) => {
    expect(parseApiPath(httpMethod, path)).toBeUndefined();
  });
});
