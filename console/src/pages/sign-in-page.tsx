import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, ApiRequestError } from '../api/api-client.js';
import { writeSessionKey } from '../api/session-key.js';

/** Sign-in with an API key (`igk_…`), checked against the API before it is kept for the tab. */
export function SignInPage() {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const next = search.get('next') ?? '/';

  const signIn = async (secret: string) => {
    setBusy(true);
    setError(null);
    try {
      await api('/v1/tasks?limit=1', { key: secret });
      writeSessionKey(secret);
      window.dispatchEvent(new Event('imagegate:signed-in'));
      void navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    } catch (caught) {
      setError(
        caught instanceof ApiRequestError
          ? caught.status === 401 && secret === ''
            ? 'This server requires an API key.'
            : caught.message
          : 'The server did not answer.',
      );
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void signIn(key.trim());
  };

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to imagegate</h1>
      <form onSubmit={onSubmit} className="card">
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          placeholder="igk_…"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-describedby="api-key-help"
        />
        <p id="api-key-help" className="hint">
          Create one with <code>imagegate keys create --name console</code>. It is kept for this tab only.
        </p>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={busy || key.trim() === ''}>
            Sign in
          </button>
          <button type="button" className="secondary" disabled={busy} onClick={() => void signIn('')}>
            Continue without a key
          </button>
        </div>
      </form>
    </main>
  );
}
