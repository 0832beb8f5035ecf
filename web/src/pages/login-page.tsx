import { useState, type FormEvent } from 'react';
import { api, type SessionState } from '../api.ts';
import { ErrorMessage } from '../components.tsx';

/** Shown when the server is bound beyond loopback and this browser has no session yet. */
export function LoginPage({ onSignedIn }: { onSignedIn: (session: SessionState) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await api.login(token.trim()));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page narrow">
      <h1>Sign in to Reqase Lite</h1>
      <p>
        This server requires an API token. Tokens are created by whoever runs this server, on that machine;
        ask them for one and paste it here.
      </p>
      <form onSubmit={submit} className="stack">
        <label>
          API token
          <input
            type="password"
            autoComplete="off"
            autoFocus
            required
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        </label>
        <ErrorMessage error={error} />
        <div>
          <button type="submit" className="primary" disabled={busy || !token.trim()}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </main>
  );
}
