import { describe, expect, it } from 'vitest';
import { docsPage } from './docs-page.js';

describe('docsPage', () => {
  it('renders every operation with its parameters and responses, escaping HTML', () => {
    const html = docsPage({
      info: { title: 'imagegate <api>', version: '1' },
      paths: {
        '/v1/tasks/{id}': {
          get: {
            summary: 'One task & its result',
            parameters: [{ name: 'id', in: 'path' }],
            responses: { '200': { description: 'The task' }, '404': { description: 'Not found' } },
          },
        },
      },
    });
    expect(html).toContain('<code>/v1/tasks/{id}</code>');
    expect(html).toContain('One task &#38; its result');
    expect(html).toContain('imagegate &#60;api&#62;');
    expect(html).toContain('<b>404</b> Not found');
    expect(html).not.toContain('<script');
  });
});
