import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/api-client.js';
import {
  flowPath,
  lifecycleWarnings,
  parseFlowFile,
  useFlows,
  type Flow,
  type FlowDocumentJson,
  type FlowRun,
} from '../../api/flows.js';
import { useModels } from '../../api/use-models.js';
import { formatTime } from '../../components/format.js';
import { exportFlow } from './export-flow.js';
import './flows.css';

/** A new flow's first draft: one prompt in, one image out. */
const starterDocument = (name: string): FlowDocumentJson => ({
  name,
  inputs: { prompt: { type: 'string', minLength: 3 } },
  nodes: {
    image: { type: 'image', model: 'image_fast', prompt: '{{inputs.prompt}}', variants: 1 },
    out: { type: 'output', results: { images: '{{nodes.image.images}}' } },
  },
});

export default function FlowListPage() {
  const flows = useFlows();
  const models = useModels();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const saveDraft = useMutation({
    // An imported file goes as its text, which the server keeps as the flow's source (pull and export
    // give the file back); a created or duplicated flow is a document only.
    mutationFn: ({ document, source }: { document: FlowDocumentJson; source?: string }) =>
      api<Flow>(`${flowPath(document.name)}/draft`, {
        method: 'PUT',
        body: source !== undefined ? new Blob([source], { type: 'application/yaml' }) : document,
      }),
    onSuccess: (flow) => {
      void queryClient.invalidateQueries({ queryKey: ['flows'] });
      setMessage(`Saved the draft of ${flow.name}.`);
    },
  });
  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    saveDraft.mutate(
      { document: starterDocument(trimmed) },
      {
        onSuccess: (flow) => void navigate(`/flows/${encodeURIComponent(flow.name)}`),
      },
    );
  };
  const [importError, setImportError] = useState<string | null>(null);
  const onImport = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setImportError(null);
    try {
      const text = await file.text();
      saveDraft.mutate({ document: await parseFlowFile(file.name, text), source: text });
    } catch (error) {
      setImportError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <>
      <h1>Flows</h1>
      <div className="card row">
        <form className="row grow" onSubmit={onCreate} aria-label="Create a flow">
          <div className="field grow">
            <label htmlFor="flow-name">New flow name</label>
            <input
              id="flow-name"
              value={name}
              pattern="[a-z0-9][a-z0-9\-]*"
              title="lowercase letters, digits and -"
              onChange={(event) => setName(event.target.value)}
            />
          </div>
          <button type="submit" disabled={saveDraft.isPending}>
            Create
          </button>
        </form>
        <div className="field">
          <label htmlFor="flow-import">Import a flow file (YAML or JSON)</label>
          <input
            id="flow-import"
            type="file"
            accept=".yaml,.yml,.json,application/json,application/yaml"
            onChange={(event) => void onImport(event)}
          />
        </div>
      </div>
      <div aria-live="polite">{message && !saveDraft.isError && <p className="hint">{message}</p>}</div>
      {(saveDraft.isError || importError) && (
        <p role="alert" className="error">
          {importError ?? saveDraft.error?.message}
        </p>
      )}
      {flows.isError && (
        <p role="alert" className="error">
          {flows.error.message}
        </p>
      )}
      {flows.data && flows.data.data.length === 0 && <p>No flows yet: create one or import a flow file.</p>}
      {flows.data && flows.data.data.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Your flows</caption>
            <thead>
              <tr>
                <th scope="col">Flow</th>
                <th scope="col">Published</th>
                <th scope="col">Last run</th>
                <th scope="col">Lifecycle</th>
                <th scope="col">Updated</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {flows.data.data.map((flow) => (
                <tr key={flow.name} data-flow={flow.name}>
                  <td>
                    <Link to={`/flows/${encodeURIComponent(flow.name)}`}>{flow.name}</Link>
                    {flow.draft.description && <div className="muted">{flow.draft.description}</div>}
                  </td>
                  <td>{flow.latest_version === null ? 'draft only' : `v${flow.latest_version}`}</td>
                  <td>
                    <LastRun name={flow.name} />
                  </td>
                  <td>
                    {lifecycleWarnings(flow.draft, models.data).map((warning) => (
                      <div key={warning} className="badge warning">
                        {warning}
                      </div>
                    ))}
                    {models.data && lifecycleWarnings(flow.draft, models.data).length === 0 && (
                      <span className="muted">no shutdown within 90 days</span>
                    )}
                  </td>
                  <td className="nowrap">{formatTime(flow.updated_at)}</td>
                  <td className="nowrap">
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Duplicate ${flow.name}`}
                      disabled={saveDraft.isPending}
                      onClick={() =>
                        saveDraft.mutate({
                          document: { ...flow.draft, name: copyName(flow.name, flows.data.data) },
                        })
                      }
                    >
                      Duplicate
                    </button>{' '}
                    <button
                      type="button"
                      className="secondary"
                      aria-label={`Export ${flow.name}`}
                      onClick={() => void exportFlow(flow)}
                    >
                      Export
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function LastRun({ name }: { name: string }) {
  const runs = useQuery({
    queryKey: ['flows', name, 'runs', 'last'],
    queryFn: () => api<{ data: FlowRun[] }>(`${flowPath(name)}/runs?limit=1`),
  });
  const last = runs.data?.data[0];
  if (!runs.data) return <span className="muted">…</span>;
  if (!last) return <span className="muted">never run</span>;
  return (
    <span>
      <span className={`badge ${last.status}`}>{last.status}</span> {formatTime(last.created_at)}
    </span>
  );
}

/** `NAME-copy`, or `NAME-copy-2`, … : the first name no flow of the key has (a draft save would replace it). */
function copyName(name: string, flows: Flow[]): string {
  const taken = new Set(flows.map((flow) => flow.name));
  for (let index = 1; ; index++) {
    const candidate = index === 1 ? `${name}-copy` : `${name}-copy-${index}`;
    if (!taken.has(candidate)) return candidate;
  }
}
