import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/api-client.js';
import {
  flowPath,
  type Flow,
  type FlowInputDocument,
  type FlowRun,
  type FlowVersion,
  type NodeRunView,
  type VariantGroup,
} from '../../api/flows.js';
import { readEventStream } from '../../api/read-event-stream.js';
import { modelChoices, useModels } from '../../api/use-models.js';
import type { Task } from '../../api/types.js';
import { AuthImage } from '../../components/auth-image.js';
import { formatMs, formatTime, formatUsd } from '../../components/format.js';
import { ImageViewer } from '../../components/image-viewer.js';
import { FlowCanvas } from './flow-canvas.js';
import { describeAttempts, useNodeAttempts } from './node-attempts.js';

const finished = (status: FlowRun['status']) => status !== 'running';

/** A run followed live: fetched once, then its node events over SSE until the final `run` event. */
function useLiveRun(runId: string | null, generation: number) {
  const [state, setState] = useState<{ runId: string | null; run: FlowRun | null; error: string | null }>({
    runId: null,
    run: null,
    error: null,
  });
  useEffect(() => {
    if (!runId) return;
    const controller = new AbortController();
    const path = `/v1/flow-runs/${encodeURIComponent(runId)}`;
    const update = (change: (run: FlowRun | null) => FlowRun | null) =>
      setState((current) => ({
        runId,
        run: change(current.runId === runId ? current.run : null),
        error: null,
      }));
    void (async () => {
      try {
        const first = await api<FlowRun>(path, { signal: controller.signal });
        update(() => first);
        if (finished(first.status)) return;
        await readEventStream(
          `${path}/events`,
          (event) => {
            if (event.event === 'node') {
              const node = JSON.parse(event.data) as NodeRunView;
              update((current) =>
                current
                  ? {
                      ...current,
                      nodes: current.nodes.some((entry) => entry.node === node.node)
                        ? current.nodes.map((entry) => (entry.node === node.node ? node : entry))
                        : [...current.nodes, node],
                    }
                  : current,
              );
            } else if (event.event === 'run') update(() => JSON.parse(event.data) as FlowRun);
          },
          controller.signal,
        );
      } catch (caught) {
        if (!controller.signal.aborted)
          setState({ runId, run: null, error: caught instanceof Error ? caught.message : String(caught) });
      }
    })();
    return () => controller.abort();
  }, [runId, generation]);
  return state.runId === runId && runId !== null
    ? { run: state.run, error: state.error }
    : { run: null, error: null };
}

/** Run the published flow with a form made from its inputs; live node states; results and promote. */
export function FlowRunPanel({ flow }: { flow: Flow }) {
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const runId = search.get('run');
  const latest = flow.latest_version;
  const version = useQuery({
    queryKey: ['flows', flow.name, 'versions', latest],
    enabled: latest !== null,
    queryFn: () => api<FlowVersion>(`${flowPath(flow.name)}/versions/${latest}`),
  });
  const runs = useQuery({
    queryKey: ['flows', flow.name, 'runs'],
    queryFn: () => api<{ data: FlowRun[] }>(`${flowPath(flow.name)}/runs?limit=10`),
  });
  // Bumped after a cancel or retry, to follow the run's events again.
  const [generation, setGeneration] = useState(0);
  const { run, error: followError } = useLiveRun(runId, generation);
  useEffect(() => {
    if (run && finished(run.status))
      void queryClient.invalidateQueries({ queryKey: ['flows', flow.name, 'runs'] });
  }, [run, flow.name, queryClient]);
  const openRun = (id: string) => setSearch({ tab: 'run', run: id });

  const inputs = Object.entries(version.data?.document?.inputs ?? {});
  const [values, setValues] = useState<Record<string, unknown>>({});
  const start = useMutation({
    mutationFn: () => {
      const body: Record<string, unknown> = {};
      for (const [name, input] of inputs) {
        const value = values[name] ?? input.default;
        if (value !== undefined && value !== '') body[name] = value;
      }
      return api<FlowRun>(`${flowPath(flow.name)}/runs`, { body: { inputs: body } });
    },
    onSuccess: (started) => openRun(started.id),
  });
  const onRun = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };

  if (latest === null)
    return <p>Publish the flow before running it: runs use the newest published version.</p>;
  return (
    <div className="stack">
      <form className="card stack" onSubmit={onRun} aria-labelledby="run-heading">
        <h2 id="run-heading">Run v{latest}</h2>
        {inputs.length === 0 && version.data && <p className="muted">This flow takes no inputs.</p>}
        {inputs.map(([name, input]) => (
          <InputField
            key={name}
            name={name}
            input={input}
            value={values[name]}
            onChange={(value) => setValues((current) => ({ ...current, [name]: value }))}
          />
        ))}
        <div className="row">
          <button type="submit" disabled={start.isPending || !version.data}>
            Run
          </button>
        </div>
        {start.isError && (
          <p role="alert" className="error">
            {start.error.message}
          </p>
        )}
      </form>
      {followError && (
        <p role="alert" className="error">
          {followError}
        </p>
      )}
      {run && (
        <RunView
          run={run}
          document={version.data?.document ?? flow.draft}
          onOpenRun={openRun}
          onRefollow={() => setGeneration((value) => value + 1)}
        />
      )}
      <section className="card" aria-labelledby="runs-heading">
        <h2 id="runs-heading">Recent runs</h2>
        {runs.data?.data.length === 0 && <p className="muted">No runs yet.</p>}
        <ul className="run-list">
          {runs.data?.data.map((entry) => (
            <li key={entry.id}>
              <button type="button" className="link" onClick={() => openRun(entry.id)}>
                {entry.id}
              </button>{' '}
              <span className={`badge ${entry.status}`}>{entry.status}</span> v{entry.version ?? '?'} ·{' '}
              {formatTime(entry.created_at)} · {formatUsd(entry.actual_cost_usd)}
              {entry.lineage && <span className="muted"> · promoted</span>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function InputField({
  name,
  input,
  value,
  onChange,
}: {
  name: string;
  input: FlowInputDocument;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const id = `input-${name}`;
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const label = (
    <label htmlFor={id}>
      {name}
      {input.description && <span className="muted"> — {input.description}</span>}
    </label>
  );
  const current = value ?? input.default;
  if (input.type === 'boolean')
    return (
      <div className="field">
        <label className="inline">
          <input
            type="checkbox"
            checked={current === true}
            onChange={(event) => onChange(event.target.checked)}
          />{' '}
          {name}
        </label>
      </div>
    );
  if (input.type === 'enum')
    return (
      <div className="field">
        {label}
        <select
          id={id}
          value={typeof current === 'string' ? current : ''}
          onChange={(event) => onChange(event.target.value)}
        >
          <option value="">—</option>
          {(input.values ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      </div>
    );
  if (input.type === 'image')
    return (
      <div className="field">
        {label}
        <input
          id={id}
          type="file"
          accept="image/png,image/jpeg,image/webp"
          required={!input.optional}
          onChange={async (event) => {
            const file = event.target.files?.[0];
            if (!file) return onChange(undefined);
            setUploading(true);
            setUploadError(null);
            try {
              const form = new FormData();
              form.append('file', file);
              onChange((await api<{ id: string }>('/v1/files', { body: form })).id);
            } catch (caught) {
              setUploadError(caught instanceof Error ? caught.message : String(caught));
            } finally {
              setUploading(false);
            }
          }}
        />
        {uploading && <span role="status">uploading…</span>}
        {typeof value === 'string' && <code>{value}</code>}
        {uploadError && <p className="error">{uploadError}</p>}
      </div>
    );
  const numeric = input.type === 'number' || input.type === 'integer';
  return (
    <div className="field">
      {label}
      {input.type === 'string' && (input.maxLength ?? 0) > 200 ? (
        <textarea
          id={id}
          rows={3}
          required={input.default === undefined && !input.optional}
          value={typeof current === 'string' ? current : ''}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <input
          id={id}
          type={numeric ? 'number' : 'text'}
          min={input.minimum}
          max={input.maximum}
          step={input.type === 'integer' ? 1 : 'any'}
          required={input.default === undefined && !input.optional}
          value={current === undefined ? '' : String(current)}
          onChange={(event) =>
            onChange(numeric && event.target.value !== '' ? Number(event.target.value) : event.target.value)
          }
        />
      )}
    </div>
  );
}

function RunView({
  run,
  document,
  onOpenRun,
  onRefollow,
}: {
  run: FlowRun;
  document: Flow['draft'];
  onOpenRun: (id: string) => void;
  onRefollow: () => void;
}) {
  const [selected, setSelected] = useState<string | null>(null);
  const attempts = useNodeAttempts(run.nodes);
  const attemptNotes = useMemo(
    () => Object.fromEntries([...attempts].map(([node, summary]) => [node, describeAttempts(summary)])),
    [attempts],
  );
  // A promote run ran its node on the target model with one variant: draw it that way.
  const lineage = run.lineage;
  const shown = useMemo(() => {
    const node = lineage ? document.nodes[lineage.nodeId] : undefined;
    if (!lineage || !node) return document;
    return {
      ...document,
      nodes: { ...document.nodes, [lineage.nodeId]: { ...node, model: lineage.model, variants: 1 } },
    };
  }, [document, lineage]);
  return (
    <section className="card stack" aria-labelledby="current-run-heading" data-run={run.id}>
      <h2 id="current-run-heading">
        Run {run.id} <span className={`badge ${run.status}`}>{run.status}</span>
      </h2>
      <p aria-live="polite" className="muted">
        v{run.version ?? '?'} · estimated {formatUsd(run.estimated_cost_usd)} · actual{' '}
        {formatUsd(run.actual_cost_usd)}
        {run.finished_at !== null && ` · finished ${formatTime(run.finished_at)}`}
      </p>
      {run.lineage && (
        <p className="lineage">
          Promoted from run{' '}
          <button type="button" className="link" onClick={() => onOpenRun(run.lineage!.parentRunId)}>
            {run.lineage.parentRunId}
          </button>
          , node <code>{run.lineage.nodeId}</code>, variant {run.lineage.variant}, on{' '}
          <code>{run.lineage.model}</code>
        </p>
      )}
      <RunActions run={run} onChanged={onRefollow} />
      {run.warnings.map((warning) => (
        <p key={warning} className="badge warning">
          {warning}
        </p>
      ))}
      {run.error && <p className="error">{run.error.message}</p>}
      <FlowCanvas
        document={shown}
        selected={selected}
        onSelect={setSelected}
        runNodes={run.nodes}
        runNotes={attemptNotes}
        label="Run state"
      />
      <table>
        <caption className="visually-hidden">Node states</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">State</th>
            <th scope="col">Tasks</th>
            <th scope="col">Attempts</th>
            <th scope="col" className="num">
              Cost
            </th>
          </tr>
        </thead>
        <tbody>
          {run.nodes.map((node) => (
            <tr key={node.node} data-node-state={node.node}>
              <td>{node.node}</td>
              <td>
                <span className={`badge ${node.status}`}>{node.status}</span>
                {node.cached && <span className="muted"> (cached)</span>}
                {node.error && <span className="error"> {node.error.message}</span>}
                {node.warnings.map((warning) => (
                  <div key={warning} className="muted">
                    {warning}
                  </div>
                ))}
              </td>
              <td>{node.task_ids.length}</td>
              <td data-attempts={node.node}>
                {attemptNotes[node.node] ?? (node.task_ids.length > 0 ? '…' : '—')}
                {finished(run.status) && (node.status === 'failed' || node.status === 'cancelled') && (
                  <RetryNode run={run} node={node.node} onChanged={onRefollow} />
                )}
              </td>
              <td className="num">{formatUsd(node.actual_cost_usd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {run.variants.map((group) => (
        <VariantGroupView
          key={`${group.node}:${group.requestedModel}`}
          run={run}
          group={group}
          onOpenRun={onOpenRun}
        />
      ))}
    </section>
  );
}

function VariantGroupView({
  run,
  group,
  onOpenRun,
}: {
  run: FlowRun;
  group: VariantGroup;
  onOpenRun: (id: string) => void;
}) {
  const models = useModels();
  const imageChoices = modelChoices(models.data).filter((choice) =>
    choice.kind === 'logical' ? choice.id.startsWith('image') : choice.model?.id.includes('image'),
  );
  const [target, setTarget] = useState('image_quality');
  const promote = useMutation({
    mutationFn: (variant: number) =>
      api<FlowRun>(`/v1/flow-runs/${encodeURIComponent(run.id)}/promote`, {
        body: { node: group.node, variant, model: target },
      }),
    onSuccess: (started) => onOpenRun(started.id),
  });
  const [open, setOpen] = useState<VariantGroup['variants'][number] | null>(null);
  const selectId = `promote-${group.node}`;
  return (
    <section className="variant-group" aria-label={`Results of ${group.node}`} data-group={group.node}>
      <h3>
        {group.node} <span className="muted">on</span> <code>{group.requestedModel}</code>
        {group.servedModels.some((model) => model !== group.requestedModel) && (
          <span className="muted"> (served by {group.servedModels.join(', ')})</span>
        )}
      </h3>
      <p className="muted">
        {group.variants.length} variant(s) · {formatUsd(group.costUsd)}
        {group.latencyMs !== undefined && ` · ${formatMs(group.latencyMs)}`}
        {group.cached && ' · cached'}
      </p>
      {finished(run.status) && (
        <div className="field promote-target">
          <label htmlFor={selectId}>Promote to model</label>
          <select id={selectId} value={target} onChange={(event) => setTarget(event.target.value)}>
            {!imageChoices.some((choice) => choice.id === target) && <option value={target}>{target}</option>}
            {imageChoices.map((choice) => (
              <option key={choice.id} value={choice.id}>
                {choice.id}
              </option>
            ))}
          </select>
        </div>
      )}
      {promote.isError && (
        <p role="alert" className="error">
          {promote.error.message}
        </p>
      )}
      <ul className="variants">
        {group.variants.map((variant) => (
          <li key={variant.variant} className="variant" data-variant={variant.variant}>
            <button
              type="button"
              className="variant-open"
              aria-label={`Open ${group.node} variant ${variant.variant} full size`}
              disabled={variant.taskId === undefined}
              onClick={() => setOpen(variant)}
            >
              <AuthImage
                src={`/v1/images/${variant.sha256}/thumbnail?width=256`}
                alt={`${group.node} variant ${variant.variant}`}
                width={256}
                height={Math.round((256 * variant.height) / Math.max(1, variant.width))}
              />
            </button>
            <div className="muted">
              #{variant.variant} · seed {variant.seed} · {variant.width}×{variant.height}
              {variant.servedModel && ` · ${variant.servedModel}`}
              {variant.latencyMs !== undefined && ` · ${formatMs(variant.latencyMs)}`} ·{' '}
              {formatUsd(variant.costUsd)}
            </div>
            {finished(run.status) && run.status === 'succeeded' && (
              <button
                type="button"
                disabled={promote.isPending}
                aria-label={`Promote ${group.node} variant ${variant.variant}`}
                onClick={() => promote.mutate(variant.variant)}
              >
                Promote
              </button>
            )}
          </li>
        ))}
      </ul>
      {open && <VariantViewer run={run} group={group} variant={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

/**
 * One variant full size in the image viewer (prompt, provenance embedded in the file, download), with
 * where it came from in the flow: run, node, variant, seed, models, and the run's lineage when promoted.
 */
function VariantViewer({
  run,
  group,
  variant,
  onClose,
}: {
  run: FlowRun;
  group: VariantGroup;
  variant: VariantGroup['variants'][number];
  onClose: () => void;
}) {
  const task = useQuery({
    queryKey: ['task', variant.taskId],
    queryFn: ({ signal }) => api<Task>(`/v1/tasks/${variant.taskId}`, { signal }),
  });
  const image = task.data?.result?.images.find((entry) => entry.sha256 === variant.sha256);
  if (task.isError)
    return (
      <p role="alert" className="error">
        {task.error.message}
      </p>
    );
  if (!task.data || !image) return <p role="status">Loading the image…</p>;
  return (
    <ImageViewer task={task.data} image={image} onClose={onClose}>
      <dt>Flow run</dt>
      <dd>
        <code>{run.id}</code> (v{run.version ?? '?'})
      </dd>
      <dt>Node, variant</dt>
      <dd>
        <code>{group.node}</code>, variant {variant.variant}, seed {variant.seed}
      </dd>
      <dt>Node model</dt>
      <dd>
        {group.requestedModel}
        {variant.servedModel &&
          variant.servedModel !== group.requestedModel &&
          `, served by ${variant.servedModel}`}
      </dd>
      {run.lineage && (
        <>
          <dt>Promoted from</dt>
          <dd>
            run <code>{run.lineage.parentRunId}</code>, node {run.lineage.nodeId}, variant{' '}
            {run.lineage.variant}
          </dd>
        </>
      )}
    </ImageViewer>
  );
}

/** Retry one failed or cancelled node (and the nodes that failed because of it). */
function RetryNode({ run, node, onChanged }: { run: FlowRun; node: string; onChanged: () => void }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () =>
      api<FlowRun>(`/v1/flow-runs/${encodeURIComponent(run.id)}/retry?node=${encodeURIComponent(node)}`, {
        method: 'POST',
      }),
    onSuccess: (updated) => {
      void queryClient.invalidateQueries({ queryKey: ['flows', updated.flow, 'runs'] });
      onChanged();
    },
  });
  return (
    <>
      {' '}
      <button type="button" className="secondary" disabled={retry.isPending} onClick={() => retry.mutate()}>
        Retry node {node}
      </button>
      {retry.isError && (
        <span role="alert" className="error">
          {' '}
          {retry.error.message}
        </span>
      )}
    </>
  );
}

/** Cancel a running run; retry a failed or cancelled one (only its failed or unfinished nodes run again). */
function RunActions({ run, onChanged }: { run: FlowRun; onChanged: () => void }) {
  const queryClient = useQueryClient();
  const action = useMutation({
    mutationFn: (verb: 'cancel' | 'retry') =>
      api<FlowRun>(`/v1/flow-runs/${encodeURIComponent(run.id)}/${verb}`, { method: 'POST' }),
    onSuccess: (updated) => {
      void queryClient.invalidateQueries({ queryKey: ['flows', updated.flow, 'runs'] });
      onChanged();
    },
  });
  if (run.status === 'succeeded') return null;
  return (
    <div className="row">
      {run.status === 'running' ? (
        <button
          type="button"
          className="danger"
          disabled={action.isPending}
          onClick={() => action.mutate('cancel')}
        >
          Cancel run
        </button>
      ) : (
        <button type="button" disabled={action.isPending} onClick={() => action.mutate('retry')}>
          Retry failed nodes
        </button>
      )}
      {action.isError && (
        <p role="alert" className="error">
          {action.error.message}
        </p>
      )}
    </div>
  );
}
