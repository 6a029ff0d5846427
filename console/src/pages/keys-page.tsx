import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiRequestError } from '../api/api-client.js';
import { useApiKeys, useCallerKey, type ApiKey } from '../api/api-keys.js';
import { formatTime, formatUsd } from '../components/format.js';

export default function KeysPage() {
  const queryClient = useQueryClient();
  const keys = useApiKeys();
  const me = useCallerKey();
  const [name, setName] = useState('');
  const [rateLimit, setRateLimit] = useState('');
  const [budget, setBudget] = useState('');
  const [admin, setAdmin] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api<ApiKey & { secret: string }>('/v1/keys', {
        body: {
          name,
          ...(rateLimit ? { rate_limit_per_minute: Number(rateLimit) } : {}),
          ...(budget ? { monthly_budget_usd: Number(budget) } : {}),
          ...(admin ? { admin: true } : {}),
        },
      }),
    onSuccess: (created) => {
      setSecret({ name: created.name, secret: created.secret });
      setName('');
      setRateLimit('');
      setBudget('');
      setAdmin(false);
      void queryClient.invalidateQueries({ queryKey: ['keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<ApiKey>(`/v1/keys/${id}`, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['keys'] }),
  });
  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) create.mutate();
  };

  if (keys.isError) {
    const forbidden =
      keys.error instanceof ApiRequestError && (keys.error.status === 403 || keys.error.status === 401);
    return (
      <>
        <h1>API keys</h1>
        <p role="alert" className="error">
          {forbidden ? 'Managing keys needs an admin key. ' : ''}
          {keys.error.message}
        </p>
      </>
    );
  }
  return (
    <>
      <h1>API keys</h1>
      <form className="card row" onSubmit={onCreate} aria-label="Create a key">
        <div className="field grow">
          <label htmlFor="key-name">Name</label>
          <input
            id="key-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            maxLength={100}
          />
        </div>
        <div className="field">
          <label htmlFor="key-rate">Requests per minute</label>
          <input
            id="key-rate"
            type="number"
            min={1}
            step={1}
            value={rateLimit}
            onChange={(event) => setRateLimit(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="key-budget">Monthly budget (USD)</label>
          <input
            id="key-budget"
            type="number"
            min={0.01}
            step={0.01}
            value={budget}
            onChange={(event) => setBudget(event.target.value)}
          />
        </div>
        <div className="field checkbox">
          <input
            id="key-admin"
            type="checkbox"
            checked={admin}
            onChange={(event) => setAdmin(event.target.checked)}
          />
          <label htmlFor="key-admin">Admin</label>
        </div>
        <button type="submit" disabled={create.isPending || !name.trim()}>
          Create key
        </button>
      </form>
      {create.error && (
        <p role="alert" className="error">
          {create.error.message}
        </p>
      )}
      {secret && (
        <div className="card secret" role="status">
          <p>
            The secret of <strong>{secret.name}</strong>. It is shown only now; copy it and keep it safe.
          </p>
          <p>
            <code data-testid="new-secret">{secret.secret}</code>{' '}
            <button
              type="button"
              className="secondary"
              onClick={() => void navigator.clipboard?.writeText(secret.secret)}
            >
              Copy
            </button>{' '}
            <button type="button" className="secondary" onClick={() => setSecret(null)}>
              Done
            </button>
          </p>
        </div>
      )}
      {revoke.error && (
        <p role="alert" className="error">
          {revoke.error.message}
        </p>
      )}
      <div
        className="table-scroll"
        style={{ marginTop: '1rem' }}
        tabIndex={0}
        role="region"
        aria-label="Keys"
      >
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Created</th>
              <th scope="col">Rate limit</th>
              <th scope="col" className="num">
                Spent this month
              </th>
              <th scope="col" className="num">
                Budget
              </th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data?.data.map((key) => (
              <tr key={key.id} data-key-id={key.id}>
                <th scope="row">
                  {key.name} {key.admin && <span className="badge processing">admin</span>}
                </th>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{formatTime(key.created_at)}</td>
                <td>
                  {key.rate_limit_per_minute === null ? 'server default' : `${key.rate_limit_per_minute}/min`}
                </td>
                <td className="num">{formatUsd(key.spent_this_month_usd)}</td>
                <td className="num">
                  {key.monthly_budget_usd === null ? 'none' : formatUsd(key.monthly_budget_usd)}
                  {key.monthly_budget_usd !== null && key.spent_this_month_usd !== null && (
                    <div className="hint">
                      {formatUsd(Math.max(0, key.monthly_budget_usd - key.spent_this_month_usd))} left
                    </div>
                  )}
                </td>
                <td>
                  {key.revoked_at ? (
                    <span className="badge cancelled">revoked {formatTime(key.revoked_at)}</span>
                  ) : (
                    <span className="badge ok">active</span>
                  )}
                </td>
                <td>
                  {!key.revoked_at && key.id !== me.data?.id && (
                    <button
                      type="button"
                      className="danger"
                      aria-label={`Revoke ${key.name}`}
                      disabled={revoke.isPending}
                      onClick={() => revoke.mutate(key.id)}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
