import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/api-client.js';
import { modelChoices, useModels } from '../api/use-models.js';
import { AuthImage } from '../components/auth-image.js';
import { formatMs, formatTime } from '../components/format.js';
import { thumbnailUrl } from '../api/image-urls.js';

interface Side {
  model: string;
  outcome: string;
  message: string | null;
  latency_ms: number;
  served_by: string | null;
  image: { sha256: string; width: number; height: number } | null;
}

interface Pair {
  prompt_id: string;
  prompt: string;
  category: string;
  reasons: string[];
  scores: { ssim: number; phash_distance: number; delta_e: number; dimension_mismatch: boolean } | null;
  baseline: Side;
  candidate: Side;
}

interface Regression {
  id: string;
  status: 'queued' | 'running' | 'success' | 'failed';
  baseline: string;
  candidate: string;
  prompts: number;
  done: number;
  created_at: number;
  error: string | null;
  result: {
    verdict: 'pass' | 'review';
    verdict_line: string;
    counts: Record<string, number>;
    pairs: Pair[];
  } | null;
}

export default function ComparisonsPage() {
  const { id } = useParams();
  return id ? <ComparisonRun id={id} /> : <ComparisonList />;
}

function ComparisonList() {
  const models = useModels();
  const choices = modelChoices(models.data);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [baseline, setBaseline] = useState('gemini-3.1-flash-image-preview');
  const [candidate, setCandidate] = useState('gemini-3.1-flash-image');
  const [prompts, setPrompts] = useState('A red kite over the sea\nA lighthouse at dawn, watercolour');
  const runs = useQuery({
    queryKey: ['regressions'],
    queryFn: () => api<{ data: Regression[] }>('/v1/regressions'),
    refetchInterval: 5_000,
  });
  const start = useMutation({
    mutationFn: () =>
      api<Regression>('/v1/regressions', {
        body: {
          baseline,
          candidate,
          prompts: prompts
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
        },
      }),
    onSuccess: (run) => {
      void queryClient.invalidateQueries({ queryKey: ['regressions'] });
      void navigate(`/comparisons/${run.id}`);
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  const modelSelect = (id: string, label: string, value: string, onChange: (value: string) => void) => (
    <div className="field grow">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {choices.map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.id}
            {choice.stage ? ` — ${choice.stage}` : ''}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <>
      <h1>Comparisons</h1>
      <form className="card stack" onSubmit={onSubmit} aria-label="Start a comparison">
        <p className="hint">
          Runs every prompt on both models with the same parameters and seed, then scores each pair (SSIM,
          perceptual-hash distance, colour difference ΔE) — <code>imagegate regress</code> as a server job.
        </p>
        <div className="row">
          {modelSelect('baseline', 'Baseline', baseline, setBaseline)}
          {modelSelect('candidate', 'Candidate', candidate, setCandidate)}
        </div>
        <div>
          <label htmlFor="prompt-set">Prompt set (one prompt per line)</label>
          <textarea id="prompt-set" value={prompts} onChange={(event) => setPrompts(event.target.value)} />
        </div>
        <div className="actions">
          <button type="submit" disabled={start.isPending || !prompts.trim()}>
            Start comparison
          </button>
        </div>
        {start.error && (
          <p role="alert" className="error">
            {start.error.message}
          </p>
        )}
      </form>
      <h2>Runs</h2>
      {runs.data?.data.length ? (
        <table>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Baseline → candidate</th>
              <th scope="col">Progress</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.data.map((run) => (
              <tr key={run.id}>
                <th scope="row">
                  <Link to={`/comparisons/${run.id}`}>{run.id}</Link>
                </th>
                <td>
                  {run.baseline} → {run.candidate}
                </td>
                <td>
                  <span
                    className={`badge ${run.status === 'success' ? 'ok' : run.status === 'failed' ? 'error' : 'processing'}`}
                  >
                    {run.status}
                  </span>{' '}
                  {run.done}/{run.prompts}
                </td>
                <td>{formatTime(run.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No comparison yet.</p>
      )}
    </>
  );
}

function ComparisonRun({ id }: { id: string }) {
  const [category, setCategory] = useState('');
  const run = useQuery({
    queryKey: ['regression', id],
    queryFn: () => api<Regression>(`/v1/regressions/${id}`),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'success' || status === 'failed' ? false : 1000;
    },
  });
  if (run.isPending) return <p role="status">Loading…</p>;
  if (run.isError)
    return (
      <p role="alert" className="error">
        {run.error.message}
      </p>
    );
  const data = run.data;
  const pairs = data.result?.pairs.filter((pair) => !category || pair.category === category) ?? [];
  return (
    <>
      <p>
        <Link to="/comparisons">← Comparisons</Link>
      </p>
      <h1>
        {data.baseline} → {data.candidate}
      </h1>
      <p aria-live="polite" data-testid="regression-progress">
        <span
          className={`badge ${data.status === 'success' ? 'ok' : data.status === 'failed' ? 'error' : 'processing'}`}
        >
          {data.status}
        </span>{' '}
        {data.done} of {data.prompts} pairs
      </p>
      <progress max={data.prompts} value={data.done} aria-label="Pairs done" />
      {data.error && (
        <p role="alert" className="error">
          {data.error}
        </p>
      )}
      {data.result && (
        <>
          <p className="card" data-testid="verdict">
            <span className={`badge ${data.result.verdict === 'pass' ? 'ok' : 'warning'}`}>
              {data.result.verdict}
            </span>{' '}
            {data.result.verdict_line}
          </p>
          <div className="row" style={{ marginTop: '1rem' }}>
            <div className="field">
              <label htmlFor="pair-category">Category</label>
              <select
                id="pair-category"
                value={category}
                onChange={(event) => setCategory(event.target.value)}
              >
                <option value="">all ({data.result.pairs.length})</option>
                {Object.entries(data.result.counts).map(([name, count]) => (
                  <option key={name} value={name}>
                    {name} ({count})
                  </option>
                ))}
              </select>
            </div>
          </div>
          {pairs.map((pair) => (
            <section key={pair.prompt_id} className="card pair" aria-label={`Pair ${pair.prompt_id}`}>
              <h2>
                {pair.prompt_id}: {pair.prompt}
              </h2>
              <p>
                <span className="badge">{pair.category}</span>{' '}
                {pair.scores
                  ? `SSIM ${pair.scores.ssim.toFixed(3)} · pHash distance ${pair.scores.phash_distance} · ΔE ${pair.scores.delta_e.toFixed(2)}${pair.scores.dimension_mismatch ? ' · sizes differ' : ''}`
                  : 'not scored'}
              </p>
              <div className="pair-sides">
                {(['baseline', 'candidate'] as const).map((name) => {
                  const side = pair[name];
                  return (
                    <figure key={name}>
                      {side.image ? (
                        <AuthImage
                          src={thumbnailUrl(side.image.sha256, 512)}
                          alt={`${name} image for "${pair.prompt}"`}
                          width={512}
                          height={Math.round((512 * side.image.height) / side.image.width)}
                        />
                      ) : (
                        <p className="muted">no image ({side.outcome})</p>
                      )}
                      <figcaption>
                        <strong>{name}</strong>: {side.served_by ?? side.model}, {side.outcome},{' '}
                        {formatMs(side.latency_ms)}
                        {side.image && `, ${side.image.width}×${side.image.height}`}
                      </figcaption>
                    </figure>
                  );
                })}
              </div>
              {pair.reasons.length > 0 && <p className="hint">{pair.reasons.join('; ')}</p>}
            </section>
          ))}
        </>
      )}
    </>
  );
}
