// The sign-in page (POST /api/v1/login): a session cookie and the CSRF token for writes.
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { signIn } from '../session';

export function SignInPage() {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      await signIn(name.trim(), password);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'Wrong name or password.'
          : err instanceof Error
            ? err.message
            : String(err),
      );
      setBusy(false);
    }
  }

  return (
    <main id="main" class="signin">
      <h1>Sign in to Cascade</h1>
      <form onSubmit={submit} aria-describedby={error ? 'signin-error' : undefined}>
        <div class="field">
          <label for="signin-name">Account name</label>
          <input
            id="signin-name"
            name="name"
            autoComplete="username"
            required
            value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="signin-password">Password</label>
          <input
            id="signin-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </div>
        {error && (
          <p id="signin-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p class="hint">
        An administrator creates accounts with <code>cascade user add NAME --role ROLE</code>.
      </p>
    </main>
  );
}
