/**
 * `/docs`: the OpenAPI document rendered as one self-contained HTML page (no script or stylesheet from a
 * CDN, so it works offline and under a strict Content-Security-Policy).
 */
export function docsPage(document: OpenApiDocumentLike): string {
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods ?? {}).map(([method, operation]) => ({ path, method, operation })),
  );
  const sections = operations.map(({ path, method, operation }) => {
    const parameters = (operation.parameters ?? [])
      .map(
        (parameter) =>
          `<li><code>${escape(parameter.name)}</code> (${escape(parameter.in)}) ${escape(parameter.description ?? '')}</li>`,
      )
      .join('');
    const body = operation.requestBody ? detailsBlock('Request body', operation.requestBody) : '';
    const responses = Object.entries(operation.responses ?? {})
      .map(([status, response]) => `<li><b>${escape(status)}</b> ${escape(response.description ?? '')}</li>`)
      .join('');
    return `<section><h2><span class="method">${method.toUpperCase()}</span> <code>${escape(path)}</code></h2>
<p>${escape(operation.summary ?? '')}</p>${operation.description ? `<p>${escape(operation.description)}</p>` : ''}
${parameters ? `<h3>Parameters</h3><ul>${parameters}</ul>` : ''}${body}<h3>Responses</h3><ul>${responses}</ul></section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(document.info?.title ?? 'API')}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}
section{border-top:1px solid #ddd;padding:.5rem 0}.method{background:#223;color:#fff;padding:.1rem .4rem;border-radius:.2rem;font-size:.8em}
pre{background:#f6f6f6;padding:.5rem;overflow:auto;font-size:.8em}</style></head>
<body><h1>${escape(document.info?.title ?? 'API')} ${escape(document.info?.version ?? '')}</h1>
<p>${escape(document.info?.description ?? '')} The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>
${sections.join('\n')}
<h2>Schemas</h2>${detailsBlock('components.schemas', document.components?.schemas ?? {})}
</body></html>`;
}

/** The few parts of an OpenAPI document the page reads. */
export interface OpenApiDocumentLike {
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<
    string,
    | Record<
        string,
        {
          summary?: string;
          description?: string;
          parameters?: Array<{ name: string; in: string; description?: string }>;
          requestBody?: unknown;
          responses?: Record<string, { description?: string }>;
        }
      >
    | undefined
  >;
  components?: { schemas?: Record<string, unknown> };
}

function detailsBlock(title: string, value: unknown): string {
  return `<details><summary>${escape(title)}</summary><pre>${escape(JSON.stringify(value, null, 2))}</pre></details>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
