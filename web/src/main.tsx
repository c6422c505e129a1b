// The dashboard's entry point: its styles (uPlot's first), then the app in #app.
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { App } from './app';
import { kPeopleUrl, kTeamsUrl, kTreeUrl, startEarly, takeEarly } from './early';
import { adopt } from './load';

// A returning visitor's Cascade page: its data is asked for at once, beside /api/v1/me, by boot.ts
// (or here, if this bundle ran first); the page finds the requests on their way.
startEarly();
for (const url of [kTreeUrl, kTeamsUrl, kPeopleUrl]) {
  const answer = takeEarly(url);
  if (answer) adopt(url, answer);
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
