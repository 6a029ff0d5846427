import type { Flow } from '../../api/flows.js';

/** Saves a flow's draft as a YAML file, the format `imagegate flow push` and `pull` use. */
export async function exportFlow(flow: Flow): Promise<void> {
  const { stringify } = await import('yaml');
  const url = URL.createObjectURL(new Blob([stringify(flow.draft)], { type: 'application/yaml' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `${flow.name}.yaml`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
