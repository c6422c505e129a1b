// The dashboard's entry point: its styles (uPlot's first), then the app in #app.
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { App } from './app';
import { prefetch } from './load';
import { hadSession } from './session';

// A returning visitor's Cascade page: its data is asked for now, beside /api/v1/me (the same
// URLs as home.tsx's, so that the page finds them on their way).
if (hadSession() && window.location.pathname === '/' && !window.location.search) {
  prefetch('/api/v1/status');
  prefetch('/api/v1/teams?limit=1000');
  prefetch('/api/v1/people?limit=1000');
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
