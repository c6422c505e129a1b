// Live: the dashboard follows every write — another browser, the CLI, another server — without a
// reload. After sign-in an EventSource listens to /api/v1/events (spec §6 "Live"); each event
// (or burst of them: at most one refresh per 150 ms) clears the kept API answers and bumps
// `liveTick`, which every useApi and the goal page's check-ins depend on, so the page on screen
// fetches again what it shows. EventSource reconnects by itself (sending Last-Event-ID); a stream
// the server refused (too many open, signed out) is tried again after a while.
import { signal } from '@preact/signals';

// Bumped once per refresh: read it where a page loads something that writes can change.
export const liveTick = signal(0);

const kRefreshMs = 150;
const kRetryMs = 30_000;

let source: EventSource | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let retryTimer: ReturnType<typeof setTimeout> | undefined;

function scheduleRefresh() {
  if (refreshTimer !== undefined) return;  // one refresh already on its way covers this event
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    liveTick.value = liveTick.value + 1;
  }, kRefreshMs);
}

function open() {
  const es = new EventSource('/api/v1/events');
  source = es;
  es.onmessage = () => scheduleRefresh();
  es.onerror = () => {
    // CONNECTING: the browser is reconnecting on its own. CLOSED: refused; try later.
    if (es.readyState !== EventSource.CLOSED || source !== es) return;
    source = null;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!source) open();
    }, kRetryMs);
  };
}

// Starts listening (once); returns the function that stops it (at sign-out).
export function startLive(): () => void {
  if (typeof EventSource === 'undefined') return () => {};
  if (!source && retryTimer === undefined) open();
  return stopLive;
}

export function stopLive() {
  source?.close();
  source = null;
  clearTimeout(retryTimer);
  retryTimer = undefined;
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
}
