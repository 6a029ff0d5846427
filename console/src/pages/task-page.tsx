import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/api-client.js';
import { resubmission, type TaskRequest } from '../api/task-request.js';
import type { Task } from '../api/types.js';
import { isFinal, useTask } from '../api/use-task.js';
import { formatMs, formatTime, formatUsd } from '../components/format.js';
import { StatusBadge } from '../components/status-badge.js';
import { TaskImages } from '../components/task-images.js';

export default function TaskPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const task = useTask(id);
  const request = useQuery({
    queryKey: ['task-request', id],
    queryFn: () => api<TaskRequest>(`/v1/tasks/${id}/request`),
    enabled: id !== undefined,
  });
  const cancel = useMutation({
    mutationFn: () => api<Task>(`/v1/tasks/${id}/cancel`, { method: 'POST' }),
    onSuccess: (updated) => queryClient.setQueryData(['task', id], updated),
  });
  const resubmit = useMutation({
    mutationFn: (from: TaskRequest) => api<Task>('/v1/images/generations', { body: resubmission(from) }),
    onSuccess: (created) => void navigate(`/tasks/${created.id}`),
  });

  if (task.isPending) return <p role="status">Loading task…</p>;
  if (task.isError)
    return (
      <p role="alert" className="error">
        {task.error.message}
      </p>
    );
  const data = task.data;
  return (
    <>
      <p>
        <Link to="/tasks">← Tasks</Link>
      </p>
      <h1>
        Task <code>{data.id}</code>
      </h1>
      <div className="row">
        <StatusBadge status={data.status} />
        <span aria-live="polite" data-testid="task-status">
          {data.status}
          {data.cancel_requested && !isFinal(data) ? ' (cancel requested)' : ''}
        </span>
        <progress max={100} value={data.progress} aria-label="Progress">
          {data.progress}%
        </progress>
      </div>
      <div className="actions">
        {!isFinal(data) && (
          <button
            type="button"
            className="danger"
            disabled={cancel.isPending}
            onClick={() => cancel.mutate()}
          >
            Cancel task
          </button>
        )}
        <button
          type="button"
          className="secondary"
          disabled={!request.data || resubmit.isPending}
          onClick={() => request.data && resubmit.mutate(request.data)}
        >
          Resubmit
        </button>
      </div>
      {(cancel.error ?? resubmit.error) && (
        <p role="alert" className="error">
          {(cancel.error ?? resubmit.error)?.message}
        </p>
      )}
      <div className="grid" style={{ marginTop: '1rem' }}>
        <section className="card" aria-labelledby="parameters-heading">
          <h2 id="parameters-heading">Parameters</h2>
          {request.data ? (
            <dl className="facts">
              <dt>Model</dt>
              <dd>{request.data.model}</dd>
              <dt>Prompt</dt>
              <dd>{request.data.prompt}</dd>
              <dt>Aspect ratio</dt>
              <dd>{request.data.aspect_ratio ?? 'model default'}</dd>
              <dt>Size</dt>
              <dd>{request.data.image_size ?? 'model default'}</dd>
              <dt>Format</dt>
              <dd>{request.data.output_format}</dd>
              <dt>Images</dt>
              <dd>{request.data.n}</dd>
              <dt>References</dt>
              <dd>{request.data.images.length}</dd>
              <dt>Earlier turns</dt>
              <dd>{request.data.contents.length}</dd>
              {Object.entries(data.metadata).map(([name, value]) => (
                <div key={name} style={{ display: 'contents' }}>
                  <dt>{name}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="muted">Loading…</p>
          )}
        </section>
        <section className="card" aria-labelledby="cost-heading">
          <h2 id="cost-heading">Cost and timing</h2>
          <dl className="facts">
            <dt>Estimated</dt>
            <dd>{formatUsd(data.cost.estimated_usd)}</dd>
            <dt>Actual</dt>
            <dd>{formatUsd(data.cost.actual_usd)}</dd>
            <dt>Served by</dt>
            <dd>{data.served_by ? `${data.served_by.model} on ${data.served_by.platform}` : '—'}</dd>
            <dt>Created</dt>
            <dd>{formatTime(data.created_at)}</dd>
            <dt>Started</dt>
            <dd>{formatTime(data.started_at)}</dd>
            <dt>Finished</dt>
            <dd>{formatTime(data.finished_at)}</dd>
            <dt>Tokens</dt>
            <dd>{data.usage ? data.usage.total_tokens : '—'}</dd>
          </dl>
        </section>
      </div>
      <section aria-labelledby="attempts-heading">
        <h2 id="attempts-heading">Attempts</h2>
        {data.attempts.length === 0 ? (
          <p className="muted">No attempt yet.</p>
        ) : (
          <ol className="timeline">
            {data.attempts.map((attempt, index) => (
              <li key={index} className={attempt.outcome === 'success' ? 'success' : 'failed'}>
                <strong>
                  {index + 1}. {attempt.model}
                </strong>{' '}
                on {attempt.platform}:{' '}
                <span className={`badge ${attempt.outcome === 'success' ? 'ok' : 'error'}`}>
                  {attempt.outcome}
                </span>
                {attempt.http_status !== null && ` HTTP ${attempt.http_status}`}
                <div className="hint">
                  waited {formatMs(attempt.waited_before_ms)}, took {formatMs(attempt.latency_ms)}
                  {index > 0 && attempt.model !== data.attempts[index - 1]!.model ? ' — fallback' : ''}
                  {attempt.message ? ` — ${attempt.message}` : ''}
                </div>
              </li>
            ))}
          </ol>
        )}
        {data.warnings.length > 0 && (
          <>
            <h3>Warnings</h3>
            <ul>
              {data.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          </>
        )}
        {data.error && (
          <p role="alert" className="error">
            {data.error.type}: {data.error.message}
          </p>
        )}
      </section>
      <section aria-labelledby="images-heading">
        <h2 id="images-heading">Images</h2>
        {data.result?.images.length ? (
          <TaskImages task={data} alt={request.data?.prompt ?? 'Generated image'} />
        ) : (
          <p className="muted">{isFinal(data) ? 'No images.' : 'Not finished yet.'}</p>
        )}
        {data.result?.text && <p>{data.result.text}</p>}
      </section>
    </>
  );
}
