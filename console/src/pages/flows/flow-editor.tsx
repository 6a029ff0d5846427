import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, ApiRequestError } from '../../api/api-client.js';
import {
  connectPorts,
  placeItem,
  portLabel,
  removeInput,
  removeNode,
  renameInput,
  type PaletteItem,
  type PortConnection,
} from '../../api/flow-ports.js';
import {
  flowPath,
  flowPositions,
  triggerId,
  useFlowValidation,
  validateFlow,
  type Flow,
  type FlowDocumentJson,
  type FlowInputDocument,
  type FlowProblem,
  type FlowVersion,
} from '../../api/flows.js';
import { ConnectForm } from './connect-form.js';
import { FlowCanvas } from './flow-canvas.js';
import { FlowPalette } from './flow-palette.js';
import { NodePanel, type FieldProblem } from './node-panel.js';

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
  // The server's rules, asked while typing; the last save's error too until the document changes.
  const liveProblems = useFlowValidation(flow.name, document);
  const problems = useMemo<FieldProblem[]>(() => {
    const errors: FieldProblem[] = (liveProblems ?? [])
      .filter((problem) => problem.severity === 'error')
      .map((problem) => ({ field: problem.field, message: problem.message }));
    if (failure && errorParam && !errors.some((problem) => problem.field === errorParam))
      errors.push({ field: errorParam, message: failure.message });
    return errors;
  }, [liveProblems, failure, errorParam]);
  // A save or publish error is about the document it was made on: an edit clears it.
  const { reset: resetSave } = save;
  const { reset: resetPublish } = publish;
  useEffect(() => {
    resetSave();
    resetPublish();
  }, [document, resetSave, resetPublish]);
  const errorNodes = useMemo(
    () =>
      new Set(
        problems.flatMap((problem) => {
          const [root, id] = problem.field.split('.');
          return root === 'nodes' && id ? [id] : root === 'inputs' ? [triggerId] : [];
        }),
      ),
    [problems],
  );

  const [refusal, setRefusal] = useState<string | null>(null);
  /**
   * Writes a connection into the target field, unless the server's validator refuses the result: then
   * the document is left as it was and the refusal is shown, naming both ports and the reason.
   */
  const connect = useCallback(
    async (connection: PortConnection) => {
      const candidate = connectPorts(document, connection);
      const [before, after] = await Promise.all([
        validateFlow(flow.name, document),
        validateFlow(flow.name, candidate.document),
      ]);
      const known = new Set(before.problems.map((problem) => `${problem.field}\n${problem.message}`));
      // Only what the connection caused: a problem in the field it wrote, or of a node as a whole (a
      // cycle). Fixing one problem can reveal unrelated ones the validator reports only once the
      // schema holds (an output without results); those are the live check's, not a refusal.
      const targetField = `nodes.${connection.target}.${connection.targetPort}`;
      const caused = (problem: FlowProblem) =>
        problem.field === targetField ||
        problem.field.startsWith(`${targetField}.`) ||
        /^nodes\.[^.]+$/.test(problem.field);
      const added = after.problems.filter(
        (problem: FlowProblem) =>
          problem.severity === 'error' &&
          caused(problem) &&
          !known.has(`${problem.field}\n${problem.message}`),
      );
      const ports = `${portLabel(connection.source, connection.sourcePort)} → ${portLabel(connection.target, connection.targetPort)}`;
      if (added.length > 0) {
        setRefusal(`Connection ${ports} refused: ${added.map((problem) => problem.message).join('; ')}`);
        return;
      }
      setRefusal(null);
      setNotice(`Connected ${ports} (${candidate.field} reads ${candidate.reference}).`);
      change((current) => connectPorts(current, connection).document);
      setSelected(connection.target);
    },
    [document, flow.name, change],
  );
  const place = useCallback(
    (item: PaletteItem, position?: { x: number; y: number }) => {
      // Fix every position first: a layout for one node must not move the others' computed places.
      const positions = flowPositions(document);
      const at = position ?? {
        x: Math.max(0, ...Object.values(positions).map((point) => point.x)) + 300,
        y: 0,
      };
      const placed = placeItem({ ...document, layout: positions }, item, at);
      change(() => placed.document);
      setSelected(placed.selected);
    },
    [document, change],
  );

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
      <div aria-live="assertive" className="refusal-region">
        {refusal && (
          <p className="error refusal">
            {refusal}{' '}
            <button type="button" className="link" onClick={() => setRefusal(null)}>
              Dismiss
            </button>
          </p>
        )}
      </div>
      <p className="muted" aria-live="polite" data-validation={liveProblems === null ? 'pending' : 'done'}>
        {liveProblems === null
          ? 'Checking the flow…'
          : problems.length === 0
            ? 'The flow is valid.'
            : `${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems
                .slice(0, 3)
                .map((problem) => `${problem.field}: ${problem.message}`)
                .join('; ')}${problems.length > 3 ? '; …' : ''}`}
      </p>
      <FlowPalette onAdd={(item) => place(item)} />
      <div className="flow-workspace">
        <FlowCanvas
          document={document}
          selected={selected}
          onSelect={setSelected}
          onMove={onMove}
          errorNodes={errorNodes}
          onConnect={(connection) => void connect(connection)}
          onPlace={place}
          label="Flow canvas"
        />
        <aside className="flow-panel card" aria-label="Selected node">
          {selected === null && (
            <p className="muted">
              Select a node on the canvas to see its fields. Drag a node type from the palette onto the canvas
              to add one; drag from a node&apos;s output port to another&apos;s input to connect them.
            </p>
          )}
          {selected === triggerId && (
            <InputsPanel
              document={document}
              problems={problems}
              onRename={(from, to) => change((current) => renameInput(current, from, to))}
              onRemove={(name) => change((current) => removeInput(current, name))}
              onChange={(name, input) =>
                change((current) => ({ ...current, inputs: { ...current.inputs, [name]: input } }))
              }
            />
          )}
          {selected !== null && selected !== triggerId && document.nodes[selected] && (
            <NodePanel
              id={selected}
              node={document.nodes[selected]}
              problems={problems}
              onRemove={() => {
                change((current) => removeNode(current, selected));
                setSelected(null);
              }}
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
          {selected !== null && selected !== triggerId && document.nodes[selected] && (
            <ConnectForm
              key={selected}
              document={document}
              target={selected}
              onConnect={(connection) => void connect(connection)}
            />
          )}
        </aside>
      </div>
    </div>
  );
}

const inputTypes: ReadonlyArray<FlowInputDocument['type']> = [
  'string',
  'number',
  'integer',
  'boolean',
  'enum',
  'image',
];

/** The trigger's inputs: rename one (its references follow) or change its type; problems under each. */
function InputsPanel({
  document,
  problems,
  onRename,
  onRemove,
  onChange,
}: {
  document: FlowDocumentJson;
  problems: FieldProblem[];
  onRename: (from: string, to: string) => void;
  onRemove: (name: string) => void;
  onChange: (name: string, input: FlowInputDocument) => void;
}) {
  const inputs = Object.entries(document.inputs ?? {});
  return (
    <div className="stack" data-panel-node={triggerId}>
      <h2>Inputs</h2>
      {inputs.length === 0 && (
        <p className="muted">This flow takes no inputs. Drag a text or image input from the palette.</p>
      )}
      {inputs.map(([name, input]) => {
        const messages = problems
          .filter(
            (problem) => problem.field === `inputs.${name}` || problem.field.startsWith(`inputs.${name}.`),
          )
          .map((problem) => problem.message);
        const errorId = `input-${name}-error`;
        return (
          <fieldset key={name} className={messages.length ? 'has-error' : undefined} data-input={name}>
            <legend>
              <code>{name}</code>
            </legend>
            <div className="field">
              <label htmlFor={`input-${name}-name`}>Name</label>
              <InputName
                name={name}
                taken={(candidate) => candidate in (document.inputs ?? {})}
                onRename={onRename}
              />
            </div>
            <div className="field">
              <label htmlFor={`input-${name}-type`}>Type</label>
              <select
                id={`input-${name}-type`}
                value={input.type}
                aria-describedby={messages.length ? errorId : undefined}
                onChange={(event) =>
                  onChange(name, { type: event.target.value as FlowInputDocument['type'] })
                }
              >
                {inputTypes.map((type) => (
                  <option key={type} value={type}>
                    {type}
                  </option>
                ))}
              </select>
            </div>
            {input.description && <p className="muted">{input.description}</p>}
            {messages.length > 0 && (
              <p className="error" id={errorId}>
                {messages.join('; ')}
              </p>
            )}
            <button type="button" className="danger" onClick={() => onRemove(name)}>
              Remove input {name}
            </button>
          </fieldset>
        );
      })}
    </div>
  );
}

/** An input's name, applied when the field is left or Enter is pressed (renaming rewrites references). */
function InputName({
  name,
  taken,
  onRename,
}: {
  name: string;
  taken: (candidate: string) => boolean;
  onRename: (from: string, to: string) => void;
}) {
  const [value, setValue] = useState(name);
  const [clash, setClash] = useState(false);
  const commit = () => {
    const wanted = value.trim();
    if (wanted === name || wanted === '') return setValue(name);
    if (taken(wanted)) return setClash(true);
    setClash(false);
    onRename(name, wanted);
  };
  return (
    <>
      <input
        id={`input-${name}-name`}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
      {clash && <p className="error">another input is named &quot;{value.trim()}&quot;</p>}
    </>
  );
}
