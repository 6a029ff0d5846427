import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState, type FormEvent } from 'react';
import { api, ApiRequestError } from '../../api/api-client.js';
import { flowPath, triggerId, type Flow, type FlowDocumentJson, type FlowVersion } from '../../api/flows.js';
import { FlowCanvas } from './flow-canvas.js';
import { NodePanel } from './node-panel.js';

/** The canvas and the selected node's fields; save the draft, publish it with a message. */
export function FlowEditor({ flow }: { flow: Flow }) {
  const queryClient = useQueryClient();
  const [history, setHistory] = useState<{
    document: FlowDocumentJson;
    past: FlowDocumentJson[];
    future: FlowDocumentJson[];
  }>({ document: flow.draft, past: [], future: [] });
  const { document, past, future } = history;
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [allowPreview, setAllowPreview] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const change = useCallback((next: (current: FlowDocumentJson) => FlowDocumentJson) => {
    setHistory((current) => ({
      document: next(current.document),
      past: [...current.past.slice(-99), current.document],
      future: [],
    }));
    setDirty(true);
  }, []);
  const undo = () => {
    setHistory((current) => {
      const previous = current.past.at(-1);
      if (!previous) return current;
      return {
        document: previous,
        past: current.past.slice(0, -1),
        future: [current.document, ...current.future],
      };
    });
    setDirty(true);
  };
  const redo = () => {
    setHistory((current) => {
      const [next, ...rest] = current.future;
      if (!next) return current;
      return { document: next, past: [...current.past, current.document], future: rest };
    });
    setDirty(true);
  };
  const onMove = useCallback(
    (id: string, position: { x: number; y: number }) =>
      change((current) => ({ ...current, layout: { ...current.layout, [id]: position } })),
    [change],
  );

  const save = useMutation({
    mutationFn: () => api<Flow>(`${flowPath(flow.name)}/draft`, { method: 'PUT', body: document }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['flows', flow.name], saved);
      void queryClient.invalidateQueries({ queryKey: ['flows'], exact: true });
      setDirty(false);
      const warnings = saved.warnings?.map((warning) => warning.message) ?? [];
      setNotice(`Draft saved.${warnings.length ? ` Warnings: ${warnings.join('; ')}` : ''}`);
    },
  });
  const publish = useMutation({
    mutationFn: async () => {
      if (dirty) await save.mutateAsync();
      return api<FlowVersion>(`${flowPath(flow.name)}/publish`, {
        body: { message, ...(allowPreview ? { allow_preview: true } : {}) },
      });
    },
    onSuccess: (version) => {
      void queryClient.invalidateQueries({ queryKey: ['flows'] });
      setMessage('');
      const warnings = version.warnings?.map((warning) => warning.message) ?? [];
      setNotice(
        `Published version ${version.version} (${version.sha256.slice(0, 12)}).${
          warnings.length ? ` Warnings: ${warnings.join('; ')}` : ''
        }`,
      );
    },
  });
  const failure = save.error ?? publish.error;
  const errorParam = failure instanceof ApiRequestError ? failure.param : null;
  const errorNode = errorParam?.startsWith('nodes.') ? (errorParam.split('.')[1] ?? null) : null;

  const onPublish = (event: FormEvent) => {
    event.preventDefault();
    if (message.trim()) publish.mutate();
  };

  return (
    <div className="flow-editor">
      <div className="row flow-toolbar">
        <button type="button" className="secondary" onClick={undo} disabled={past.length === 0}>
          Undo
        </button>
        <button type="button" className="secondary" onClick={redo} disabled={future.length === 0}>
          Redo
        </button>
        <button type="button" onClick={() => save.mutate()} disabled={save.isPending || !dirty}>
          Save draft
        </button>
        <span className="muted">{dirty ? 'unsaved changes' : 'draft saved'}</span>
        <form className="row grow" onSubmit={onPublish} aria-label="Publish">
          <div className="field grow">
            <label htmlFor="publish-message">Publish message</label>
            <input
              id="publish-message"
              value={message}
              onChange={(event) => setMessage(event.target.value)}
            />
          </div>
          <label className="inline">
            <input
              type="checkbox"
              checked={allowPreview}
              onChange={(event) => setAllowPreview(event.target.checked)}
            />{' '}
            allow preview models
          </label>
          <button type="submit" disabled={publish.isPending || !message.trim()}>
            Publish
          </button>
        </form>
      </div>
      <div aria-live="polite">{notice && !failure && <p className="hint">{notice}</p>}</div>
      {failure && (
        <p role="alert" className="error">
          {errorParam ? `${errorParam}: ` : ''}
          {failure.message}
        </p>
      )}
      <div className="flow-workspace">
        <FlowCanvas
          document={document}
          selected={selected}
          onSelect={setSelected}
          onMove={onMove}
          errorNode={errorNode}
          label="Flow canvas"
        />
        <aside className="flow-panel card" aria-label="Selected node">
          {selected === null && <p className="muted">Select a node on the canvas to see its fields.</p>}
          {selected === triggerId && <InputsPanel document={document} />}
          {selected !== null && selected !== triggerId && document.nodes[selected] && (
            <NodePanel
              id={selected}
              node={document.nodes[selected]}
              errorParam={errorParam}
              errorMessage={failure?.message ?? null}
              onChange={(field, value) =>
                change((current) => {
                  const node = { ...current.nodes[selected]! };
                  if (value === undefined) delete node[field];
                  else node[field] = value;
                  return { ...current, nodes: { ...current.nodes, [selected]: node } };
                })
              }
            />
          )}
        </aside>
      </div>
    </div>
  );
}

function InputsPanel({ document }: { document: FlowDocumentJson }) {
  const inputs = Object.entries(document.inputs ?? {});
  return (
    <>
      <h2>Inputs</h2>
      {inputs.length === 0 && <p className="muted">This flow takes no inputs.</p>}
      <dl>
        {inputs.map(([name, input]) => (
          <div key={name}>
            <dt>
              <code>{name}</code>
            </dt>
            <dd>
              {input.type}
              {input.default !== undefined && `, default ${JSON.stringify(input.default)}`}
              {input.description && <div className="muted">{input.description}</div>}
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}
