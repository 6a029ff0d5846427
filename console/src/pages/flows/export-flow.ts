import type { Flow } from '../../api/flows.js';

/**
 * Saves a flow's draft as a file, as `imagegate flow pull` does: the file it was imported or pushed as
 * (with later saves patched in) when it has one, else the draft as YAML.
 */
export async function exportFlow(flow: Flow): Promise<void> {
  const source = flow.source ?? undefined;
  const text = source ?? (await import('yaml')).stringify(flow.draft);
  const json = source !== undefined && source.trimStart().startsWith('{');
  const url = URL.createObjectURL(new Blob([text], { type: json ? 'application/json' : 'application/yaml' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${flow.name}.${json ? 'json' : 'yaml'}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
