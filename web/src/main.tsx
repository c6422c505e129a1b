// The dashboard's entry point: the first requests (boot.ts, evaluated before any other module),
// its styles (uPlot's first), then the app in #app.
import './boot';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { App } from './app';
import { kPeopleUrl, kTeamsUrl, kTreeUrl, takeEarly } from './early';
import { adopt } from './load';

// A returning visitor's Cascade page: its data was asked for at once, beside /api/v1/me, by
// boot.ts; the page finds the requests on their way.
for (const url of [kTreeUrl, kTeamsUrl, kPeopleUrl]) {
  const answer = takeEarly(url);
  if (answer) adopt(url, answer);
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
