// Insight (spec §6): the correlation explorer (two KPIs, a period and a largest lag; r by lag as
// bars, the scatter at the best lag, the p-value in words), funnels (rates, and the volumes a
// target needs), allocation (a budget split into amounts), experiments (lift with its 95%
// interval) and breakdowns (the active goals grouped by a field: progress, counts, spend). Every
// choice is kept in the URL, so a view can be shared.
import { useEffect, useState } from 'preact/hooks';
import { BarPlot, ScatterPlot } from '../components/plot';
import { countsInWords, number, percent } from '../format';
import { useApi } from '../load';
import { Scroll } from '../components/scroll';
import { Link, location, navigate, withParams } from '../router';
import { query } from '../api';
import type { GoalStatus, Kpi } from '../types';

interface Lag {
  lag: number;
  n: number;
  r: number | null;
  p_value: number | null;
  slope: number | null;
}

interface Correlation {
  a: string;
  b: string;
  period: string;
  max_lag: number;
  best: { lag: number; r: number } | null;
  lags: Lag[];
  series: { period: string; a: number | null; b: number | null }[];
}

interface FunnelAnalysis {
  funnel: string;
  name: string;
  overall: number | null;
  target: number | null;
  stages: { kpi: string; name: string; unit: string; value: number | null; rate: number | null; required?: number | null; gap?: number | null }[];
}

interface Allocation {
  budget: number;
  total_uplift: number;
  allocations: { goal: string; amount: number; share: number; growth_potential: number; bound: string | null }[];
}

// `breakdown --by FIELD --json` (GET /api/v1/breakdown).
interface Breakdown {
  by: string;
  as_of: string;
  groups: {
    key: string | null;
    goals: number;
    progress: number | null;
    counts: Partial<Record<GoalStatus, number>>;
    spent: number;
    cost_per_goal_done: number | null;
  }[];
}

interface Experiment {
  id: string;
  name: string;
  goal: string | null;
}

interface ExperimentAnalysis extends Experiment {
  control: { visitors: number; conversions: number };
  variant: { visitors: number; conversions: number };
  p_control: number;
  p_variant: number;
  lift: number;
  relative_lift: number | null;
  ci95: [number, number];
  p_value: number | null;
  significant: boolean;
}

// A p-value as words and number: "likely not chance (p = 0.01)".
export function pInWords(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return 'too few points to judge';
  const shown = p < 0.001 ? 'p < 0.001' : `p = ${p < 0.01 ? p.toPrecision(1) : (Math.floor(p * 100) / 100).toFixed(2)}`;
  if (p < 0.05) return `likely not chance (${shown})`;
  if (p < 0.1) return `weak evidence, could be chance (${shown})`;
  return `could well be chance (${shown})`;
}

// r with two decimals, truncated toward zero as percentages are.
function rText(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '—';
  return (Math.trunc(r * 100 + (r >= 0 ? 1e-9 : -1e-9)) / 100).toFixed(2);
}

// Percentage points with one decimal, truncated toward zero, signed.
function points(f: number): string {
  const v = Math.trunc(f * 1000 + (f >= 0 ? 1e-9 : -1e-9)) / 10;
  return `${v > 0 ? '+' : ''}${v.toFixed(1)}`;
}

export function InsightPage() {
  return (
    <section aria-labelledby="insight-title">
      <h1 id="insight-title">Insight</h1>
      <nav aria-label="Sections" class="sections">
        <a href="#correlation-title">Correlation</a> <a href="#funnels-title">Funnels</a> <a href="#allocation-title">Allocation</a>{' '}
        <a href="#experiments-title">Experiments</a> <a href="#breakdowns-title">Breakdowns</a>
      </nav>
      <CorrelationExplorer />
      <Funnels />
      <AllocationView />
      <Experiments />
      <Breakdowns />
    </section>
  );
}

function CorrelationExplorer() {
  const params = location.value.params;
  const a = params.get('a') ?? '';
  const b = params.get('b') ?? '';
  const period = params.get('period') ?? 'week';
  const maxLag = params.get('max_lag') ?? '4';
  const kpis = useApi<{ kpis: Kpi[] }>('/api/v1/kpis?limit=1000');
  const result = useApi<Correlation>(a && b ? '/api/v1/correlation' + query({ a, b, period, max_lag: maxLag }) : null);
  const set = (k: string) => (e: Event) => navigate(withParams({ [k]: (e.target as HTMLSelectElement).value }));
  const kpiName = (id: string) => kpis.data?.kpis.find((k) => k.id === id)?.name || id;
  const options = (kpis.data?.kpis ?? []).map((k) => (
    <option key={k.id} value={k.id}>
      {k.name || k.id}
    </option>
  ));
  const c = a && b ? result.data : undefined;
  const best = c?.best ? c.lags.find((l) => l.lag === c.best!.lag) : undefined;
  // The pairs at the best lag: A in period i against B in period i + lag.
  const pairs: { x: number; y: number }[] = [];
  if (c && best) {
    for (let i = 0; i + best.lag < c.series.length; ++i) {
      const x = c.series[i].a;
      const y = c.series[i + best.lag].b;
      if (x !== null && y !== null) pairs.push({ x, y });
    }
  }
  return (
    <section aria-labelledby="correlation-title">
      <h2 id="correlation-title">Correlation: does one KPI lead another?</h2>
      <div class="filters">
        <div class="field">
          <label for="corr-a">Leading KPI (A)</label>
          <select id="corr-a" value={a} onChange={set('a')}>
            <option value="">Choose a KPI</option>
            {options}
          </select>
        </div>
        <div class="field">
          <label for="corr-b">Following KPI (B)</label>
          <select id="corr-b" value={b} onChange={set('b')}>
            <option value="">Choose a KPI</option>
            {options}
          </select>
        </div>
        <div class="field">
          <label for="corr-period">Period</label>
          <select id="corr-period" value={period} onChange={set('period')}>
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </div>
        <div class="field">
          <label for="corr-lag">Largest lag</label>
          <select id="corr-lag" value={maxLag} onChange={set('max_lag')}>
            {[0, 1, 2, 3, 4, 5, 6, 8, 10, 12].map((l) => (
              <option key={l} value={String(l)}>
                {l} {l === 1 ? 'period' : 'periods'}
              </option>
            ))}
          </select>
        </div>
      </div>
      {!(a && b) ? (
        <p class="muted">Choose two KPIs to see whether the first leads the second.</p>
      ) : result.error ? (
        <p role="alert" class="error">
          {result.error.message}
        </p>
      ) : !c ? (
        <p aria-busy="true">Computing…</p>
      ) : (
        <>
          <p class="verdict">
            {best && best.r !== null ? (
              <>
                {kpiName(c.a)} and {kpiName(c.b)} move together most at a lag of <strong>{best.lag}</strong> {c.period}
                {best.lag === 1 ? '' : 's'}: r = <strong>{rText(best.r)}</strong> over {best.n} {c.period}s, {pInWords(best.p_value)}.
              </>
            ) : (
              'Too few periods with values of both KPIs to compute a correlation.'
            )}
          </p>
          <div class="plots">
            <figure>
              <BarPlot
                categories={c.lags.map((l) => `lag ${l.lag}`)}
                values={c.lags.map((l) => l.r ?? 0)}
                name="r"
                min={-1}
                max={1}
                label={`r by lag: ${c.lags.map((l) => `lag ${l.lag} ${rText(l.r)}`).join(', ')}`}
              />
              <figcaption>r by lag ({c.period}s)</figcaption>
            </figure>
            {best && pairs.length > 1 && (
              <figure>
                <ScatterPlot
                  xs={pairs.map((p) => p.x)}
                  ys={pairs.map((p) => p.y)}
                  xName={kpiName(c.a)}
                  yName={kpiName(c.b)}
                  label={`Scatter of ${pairs.length} pairs at lag ${best.lag}: ${kpiName(c.a)} across, ${kpiName(c.b)} up`}
                />
                <figcaption>
                  {kpiName(c.a)} (across) against {kpiName(c.b)} {best.lag} {c.period}
                  {best.lag === 1 ? '' : 's'} later (up)
                </figcaption>
              </figure>
            )}
          </div>
          <Scroll label="Correlation by lag">
            <table class="checkins lags">
              <caption>Correlation by lag</caption>
              <thead>
                <tr>
                  <th scope="col">Lag</th>
                  <th scope="col">Pairs</th>
                  <th scope="col">r</th>
                  <th scope="col">Chance?</th>
                </tr>
              </thead>
              <tbody>
                {c.lags.map((l) => (
                  <tr key={l.lag} aria-current={c.best?.lag === l.lag ? 'true' : undefined}>
                    <td class="num">
                      {l.lag}
                      {c.best?.lag === l.lag ? ' (best)' : ''}
                    </td>
                    <td class="num">{l.n}</td>
                    <td class="num">{rText(l.r)}</td>
                    <td>{pInWords(l.p_value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </>
      )}
    </section>
  );
}

function Funnels() {
  const funnels = useApi<{ funnels: { id: string; name: string }[] }>('/api/v1/funnels?limit=1000');
  const list = funnels.data?.funnels ?? [];
  const id = location.value.params.get('funnel') || list[0]?.id || '';
  const target = location.value.params.get('target') ?? '';
  const analysis = useApi<FunnelAnalysis>(id ? `/api/v1/funnels/${encodeURIComponent(id)}/analysis` + query({ target }) : null);
  const [typed, setTyped] = useState(target);
  useEffect(() => setTyped(target), [target]);
  const f = analysis.data;
  const targetError = analysis.error && (analysis.error as { field?: string }).field === 'target' ? analysis.error.message : '';
  return (
    <section aria-labelledby="funnels-title">
      <h2 id="funnels-title">Funnels</h2>
      {funnels.data && list.length === 0 ? (
        <p>The workspace has no funnel.</p>
      ) : (
        <form
          class="filters"
          onSubmit={(e) => {
            e.preventDefault();
            navigate(withParams({ target: typed.trim() }));
          }}
        >
          <div class="field">
            <label for="funnel-id">Funnel</label>
            <select id="funnel-id" value={id} onChange={(e) => navigate(withParams({ funnel: (e.target as HTMLSelectElement).value }))}>
              {list.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name || x.id}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="funnel-target">Target for the last stage</label>
            <input
              id="funnel-target"
              inputMode="decimal"
              value={typed}
              onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
              onChange={(e) => navigate(withParams({ target: (e.target as HTMLInputElement).value.trim() }))}
              aria-invalid={targetError ? true : undefined}
              aria-describedby={targetError ? 'funnel-target-error' : undefined}
            />
            {targetError && (
              <p id="funnel-target-error" class="field-error">
                {targetError}
              </p>
            )}
          </div>
          <button type="submit">Derive volumes</button>
        </form>
      )}
      {analysis.error && !targetError && (
        <p role="alert" class="error">
          {analysis.error.message}
        </p>
      )}
      {f && !targetError && (
        <>
          <p class="summary">
            {f.name}: overall conversion <strong>{percent(f.overall, 2)}</strong>
            {f.target !== null && f.target !== undefined ? `; volumes each stage must reach for ${number(f.target)} at the end:` : '.'}
          </p>
          <Scroll label={`Stages of ${f.name}`}>
            <table class="checkins funnel">
              <caption>Stages of {f.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Stage</th>
                  <th scope="col">Now</th>
                  <th scope="col">Rate from the stage before</th>
                  {f.target !== null && f.target !== undefined && (
                    <>
                      <th scope="col">Required</th>
                      <th scope="col">Gap</th>
                    </>
                  )}
                </tr>
              </thead>
              <tbody>
                {f.stages.map((s) => (
                  <tr key={s.kpi}>
                    <td>{s.name || s.kpi}</td>
                    <td class="num">{number(s.value, s.unit)}</td>
                    <td class="num">{s.rate === null ? '—' : percent(s.rate, 2)}</td>
                    {f.target !== null && f.target !== undefined && (
                      <>
                        <td class="num">{number(s.required === null || s.required === undefined ? null : Math.ceil(s.required - 1e-9), s.unit)}</td>
                        <td class="num">{number(s.gap === null || s.gap === undefined ? null : Math.ceil(s.gap - 1e-9), s.unit)}</td>
                      </>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </>
      )}
    </section>
  );
}

function AllocationView() {
  const budget = location.value.params.get('budget') ?? '';
  const [typed, setTyped] = useState(budget);
  useEffect(() => setTyped(budget), [budget]);
  const result = useApi<Allocation>(budget ? '/api/v1/allocation' + query({ budget }) : null);
  const goals = useApi<{ goals: { id: string; title: string }[] }>('/api/v1/goals?limit=1000');
  const title = (id: string) => goals.data?.goals.find((g) => g.id === id)?.title ?? id;
  const budgetError = budget && result.error ? result.error.message : '';
  const a = budget && !result.error ? result.data : undefined;
  const most = a ? Math.max(...a.allocations.map((x) => x.amount), 0) : 0;
  return (
    <section aria-labelledby="allocation-title">
      <h2 id="allocation-title">Allocation</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(withParams({ budget: typed.trim() }));
        }}
      >
        <div class="field">
          <label for="allocation-budget">Budget</label>
          <input
            id="allocation-budget"
            inputMode="decimal"
            value={typed}
            onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
            aria-invalid={budgetError ? true : undefined}
            aria-describedby={budgetError ? 'allocation-budget-error' : undefined}
          />
          {budgetError && (
            <p id="allocation-budget-error" class="field-error">
              {budgetError}
            </p>
          )}
        </div>
        <button type="submit">Split the budget</button>
      </form>
      {!budget && <p class="muted">Enter a budget to split it across the goals by their growth potential.</p>}
      {a && (
        <>
          <p class="summary">
            {number(a.budget)} split across {a.allocations.length} goals; expected uplift {number(a.total_uplift)}.
          </p>
          <ul class="hbars" aria-label="Amounts by goal">
            {[...a.allocations]
              .sort((x, y) => y.amount - x.amount)
              .map((x) => (
                <li key={x.goal}>
                  <span class="hbar-label">
                    <Link href={`/goal/${encodeURIComponent(x.goal)}`}>{title(x.goal)}</Link>
                  </span>
                  <span class="hbar-track" aria-hidden="true">
                    <span class="hbar-fill" style={{ width: `${most > 0 ? (x.amount / most) * 100 : 0}%` }} />
                  </span>
                  <span class="hbar-value">
                    {number(x.amount)} ({percent(x.share, 1)})
                    {x.bound ? <span class="muted"> at its {x.bound === 'min' ? 'minimum' : 'maximum'}</span> : null}
                  </span>
                </li>
              ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Experiments() {
  const list = useApi<{ experiments: Experiment[] }>('/api/v1/experiments?limit=1000');
  return (
    <section aria-labelledby="experiments-title">
      <h2 id="experiments-title">Experiments</h2>
      {!list.data ? (
        <p aria-busy="true">Loading…</p>
      ) : list.data.experiments.length === 0 ? (
        <p>The workspace has no experiment.</p>
      ) : (
        list.data.experiments.map((e) => <ExperimentRow key={e.id} id={e.id} />)
      )}
    </section>
  );
}

function ExperimentRow({ id }: { id: string }) {
  const r = useApi<ExperimentAnalysis>(`/api/v1/experiments/${encodeURIComponent(id)}/analysis`);
  if (r.error) return <p class="error">{r.error.message}</p>;
  const e = r.data;
  if (!e) return <p aria-busy="true">Loading {id}…</p>;
  const [lo, hi] = e.ci95;
  // The axis: from the lower of 0 and the interval's low end to the higher of 0 and its high end.
  const left = Math.min(0, lo);
  const right = Math.max(0, hi);
  const span = right - left || 1;
  const at = (v: number) => `${((v - left) / span) * 90 + 5}%`;
  const words =
    `Variant ${percent(e.p_variant, 2)} against control ${percent(e.p_control, 2)}: lift ${points(e.lift)} points ` +
    `(95% interval ${points(lo)} to ${points(hi)} points)` +
    (e.relative_lift !== null && e.relative_lift !== undefined ? `, ${e.relative_lift >= 0 ? '+' : ''}${percent(e.relative_lift, 1)} relative` : '') +
    `; ${pInWords(e.p_value)}.`;
  return (
    <div class="experiment">
      <h3>
        {e.name || e.id}
        {e.goal && (
          <span class="muted">
            {' '}
            for <Link href={`/goal/${encodeURIComponent(e.goal)}`}>{e.goal}</Link>
          </span>
        )}
      </h3>
      <p>{words}</p>
      <p class="muted">
        Control {number(e.control.conversions)} of {number(e.control.visitors)}; variant {number(e.variant.conversions)} of{' '}
        {number(e.variant.visitors)}.
      </p>
      <div class="whisker" role="img" aria-label={`Lift ${points(e.lift)} points, 95% interval ${points(lo)} to ${points(hi)}; zero marked`}>
        <span class="whisker-zero" style={{ left: at(0) }} />
        <span class="whisker-line" style={{ left: at(lo), width: `calc(${at(hi)} - ${at(lo)})` }} />
        <span class="whisker-end" style={{ left: at(lo) }} />
        <span class="whisker-end" style={{ left: at(hi) }} />
        <span class={e.significant ? 'whisker-dot significant' : 'whisker-dot'} style={{ left: at(e.lift) }} />
      </div>
    </div>
  );
}

// The fields GET /api/v1/breakdown groups by.
const breakdownFields = ['channel', 'segment', 'team', 'stage', 'cycle'];

function Breakdowns() {
  const asked = location.value.params.get('by') ?? '';
  const by = breakdownFields.includes(asked) ? asked : 'channel';
  const result = useApi<Breakdown>('/api/v1/breakdown' + query({ by }));
  const b = result.data?.by === by ? result.data : undefined;
  return (
    <section aria-labelledby="breakdowns-title">
      <h2 id="breakdowns-title">Breakdowns</h2>
      <div class="filters">
        <div class="field">
          <label for="breakdown-by">Group the active goals by</label>
          <select id="breakdown-by" value={by} onChange={(e) => navigate(withParams({ by: (e.target as HTMLSelectElement).value }))}>
            {breakdownFields.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
      </div>
      {result.error ? (
        <p role="alert" class="error">
          {result.error.message}
        </p>
      ) : !b ? (
        <p aria-busy="true">Computing…</p>
      ) : b.groups.length === 0 ? (
        <p>No active goal to group.</p>
      ) : (
        <Scroll label={`Active goals by ${b.by}`}>
          <table class="checkins breakdown">
            <caption>
              Active goals by {b.by} as of {b.as_of}
            </caption>
            <thead>
              <tr>
                <th scope="col">{b.by[0].toUpperCase() + b.by.slice(1)}</th>
                <th scope="col">Goals</th>
                <th scope="col">Progress</th>
                <th scope="col">By status</th>
                <th scope="col">Spent</th>
                <th scope="col">Cost per goal done</th>
              </tr>
            </thead>
            <tbody>
              {b.groups.map((g) => (
                <tr key={g.key ?? ''}>
                  <th scope="row">{g.key ?? `no ${b.by}`}</th>
                  <td class="num">{g.goals}</td>
                  <td class="num breakdown-progress">
                    <span class="bar breakdown-bar" aria-hidden="true">
                      {g.progress !== null && <span class="fill" style={{ width: `${Math.max(0, Math.min(1, g.progress)) * 100}%` }} />}
                    </span>
                    <span class="pct">{percent(g.progress)}</span>
                  </td>
                  <td>{countsInWords(g.counts)}</td>
                  <td class="num">{number(g.spent)}</td>
                  <td class="num">{number(g.cost_per_goal_done)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
    </section>
  );
}
