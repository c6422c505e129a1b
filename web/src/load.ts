// Reads from the API as hooks: the last answer stays on screen while the next one loads (the
// as-of slider replays without flicker), and answers are kept per URL until a write clears them.
import { effect } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { liveTick } from './live';

const cache = new Map<string, unknown>();
// Requests on their way that a page will want (prefetch): useApi waits for them instead of asking again.
const pending = new Map<string, Promise<unknown>>();

// Starts loading `url` now, before the page that shows it asks (at boot, while /api/v1/me is
// still on its way). A refusal is left for the page's own request to meet and show.
export function prefetch(url: string) {
  if (cache.has(url) || pending.has(url)) return;
  track(url, api<unknown>('GET', url));
}

// Takes `answer`, a request for `url` already on its way (early.ts), as prefetch's own; if it
// fails, the request is made again through api(), whose errors the page knows how to show.
export function adopt(url: string, answer: Promise<unknown>) {
  if (cache.has(url) || pending.has(url)) return;
  track(url, answer.catch(() => api<unknown>('GET', url)));
}

function track(url: string, p: Promise<unknown>) {
  pending.set(url, p);
  p.then(
    (d) => {
      if (pending.get(url) === p) cache.set(url, d);
    },
    () => {},
  ).finally(() => {
    if (pending.get(url) === p) pending.delete(url);
  });
}

// Something changed on the server (live.ts): every kept answer is stale; pages fetch again.
effect(() => {
  if (liveTick.value > 0) {
    cache.clear();
    pending.clear();
  }
});

// Forgets every kept answer: called after a write, so every page shows the new numbers.
export function clearCache() {
  cache.clear();
  pending.clear();
}

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

export function useApi<T>(url: string | null): Loaded<T> {
  const [data, setData] = useState<T | undefined>(url ? (cache.get(url) as T | undefined) : undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [round, setRound] = useState(0);
  const tick = liveTick.value;

  useEffect(() => {
    if (!url) return;
    let live = true;
    if (cache.has(url)) {
      setData(cache.get(url) as T);
      setError(undefined);
      return;
    }
    setLoading(true);
    const early = pending.get(url) as Promise<T> | undefined;
    (early ?? api<T>('GET', url))
      .then((d) => {
        cache.set(url, d);
        if (!live) return;
        setData(d);
        setError(undefined);
      })
      .catch((e: Error) => {
        if (live) setError(e);
      })
      .finally(() => {
        if (live) setLoading(false);
      });
    return () => {
      live = false;
    };
  }, [url, round, tick]);

  return {
    data,
    error,
    loading,
    reload: () => {
      if (url) cache.delete(url);
      setRound((r) => r + 1);
    },
  };
}
