// Every request the dashboard makes: same-origin fetch with the session cookie, the CSRF token on
// writes, and the API's errors ({"error": {code, message, field}}) as ApiError.
import { signal } from '@preact/signals';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null,
  ) {
    super(message);
  }
}

// The session's CSRF token (from sign-in or /api/v1/me), sent as X-CSRF-Token on writes.
export const csrfToken = signal<string>('');
// Called when the API says the session is gone (401): the app shows the sign-in page.
export const onSignedOut = { handler: () => {} };

// A body sent as it is (a plan file), with its media type, instead of as JSON.
export class RawBody {
  constructor(
    readonly text: string,
    readonly type: string,
  ) {}
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const raw = body instanceof RawBody ? body : null;
  if (body !== undefined) headers['Content-Type'] = raw ? raw.type : 'application/json';
  if (method !== 'GET' && csrfToken.value) headers['X-CSRF-Token'] = csrfToken.value;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: raw ? raw.text : body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached; check the connection and try again.', null);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const e = json?.error;
    const error = new ApiError(
      res.status,
      e?.code ?? 'http_' + res.status,
      e?.message ?? `The server answered ${res.status}.`,
      e?.field ?? null,
    );
    if (res.status === 401 && path !== '/api/v1/login') onSignedOut.handler();
    throw error;
  }
  return json as T;
}

// A query string from the non-empty values of `params` ("" when none).
export function query(params: Record<string, string | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? '?' + s : '';
}
