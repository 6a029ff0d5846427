import { knownValue, type CatalogModel, type Platform } from '../catalog/index.js';

/**
 * `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and `Link` headers for a response about work served by a
 * model with an announced shutdown date; empty when none is announced. The catalog records when a
 * shutdown was last checked, not when it was announced, so `Deprecation` is that day: the model was
 * deprecated no later than then. `Link` points at the successor's model resource and at this model's
 * own lifecycle (`rel="sunset"`).
 * @param modelsPath where model resources are served (default `/v1/models`)
 */
export function deprecationHeaders(
  model: CatalogModel,
  platform: Platform,
  modelsPath = '/v1/models',
): Record<string, string> {
  const lifecycle = model.platforms[platform];
  const shutdownDate = lifecycle ? knownValue(lifecycle.shutdownDate) : undefined;
  if (!lifecycle || !shutdownDate) return {};
  const shutdownMs = Date.parse(`${shutdownDate}T00:00:00Z`);
  const checkedMs = Date.parse(`${lifecycle.shutdownDate.checkedOn}T00:00:00Z`);
  const deprecatedAtMs = Math.min(checkedMs, shutdownMs);
  const successor = knownValue(lifecycle.successor);
  const links = [
    ...(successor ? [`<${modelsPath}/${encodeURIComponent(successor)}>; rel="successor-version"`] : []),
    `<${modelsPath}/${encodeURIComponent(model.id)}>; rel="sunset"`,
  ];
  return {
    Deprecation: `@${Math.floor(deprecatedAtMs / 1000)}`,
    // The model answers 404 from the start of the shutdown day (UTC).
    Sunset: new Date(shutdownMs).toUTCString(),
    Link: links.join(', '),
  };
}
