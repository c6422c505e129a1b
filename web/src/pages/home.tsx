// Cascade, the home page (spec §6): the goal tree from GET /api/v1/status, macro → micro, each row
// with owner, progress against the expected mark, status, forecast, and its KPIs on expansion;
// counts by status; filters, search and the as-of date kept in the URL.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { query } from '../api';
import { ProgressBar, StatusBadge } from '../components/status';
import { WindowedList } from '../components/windowed';
import { dateToDay, dayToDate, isDate, number, percent, statusLabels, statusOrder, todayUtc } from '../format';
import { useApi } from '../load';
import { Link, location, navigate, withParams } from '../router';
import type { GoalDetail, GoalStatus, Kpi, Person, StatusGoal, StatusReport, Team } from '../types';

interface Row {
  goal: StatusGoal;
  depth: number;
  context: boolean;  // shown only as the ancestor of a goal that matches the filters
}

const ROW_HEIGHT_WIDE = 56;
const ROW_HEIGHT_NARROW = 110;  // title, then owner, bar, percent and status, then forecast
const KPI_LINE = 28;
const narrowQuery = window.matchMedia('(max-width: 640px)');

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(narrowQuery.matches);
  useEffect(() => {
    const on = () => setNarrow(narrowQuery.matches);
    narrowQuery.addEventListener('change', on);
    return () => narrowQuery.removeEventListener('change', on);
  }, []);
  return narrow;
}

// The team and every team under it.
function teamAndBelow(teams: Team[], root: string): Set<string> {
  const out = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of teams) {
      if (t.parent && out.has(t.parent) && !out.has(t.id)) {
        out.add(t.id);
        grew = true;
      }
    }
  }
  return out;
}

// The page's own timing for `make bench` (bench/dashboard_bench): "cascade-tree" when the tree's
// first rows are in the document, "cascade-interactive" once they are painted and the event loop
// is free again to answer input. Set once per page load.
let marked = false;
function markTreeShown() {
  if (marked || typeof performance === 'undefined') return;
  marked = true;
  performance.mark('cascade-tree');
  requestAnimationFrame(() => setTimeout(() => performance.mark('cascade-interactive'), 0));
}

export function HomePage() {
  const params = location.value.params;
  const asOfParam = params.get('as_of');
  const asOf = isDate(asOfParam) ? asOfParam : null;
  const filters = {
    team: params.get('team') ?? '',
    owner: params.get('owner') ?? '',
    status: params.get('status') ?? '',
    level: params.get('level') ?? '',
    q: params.get('q') ?? '',
  };

  const report = useApi<StatusReport>('/api/v1/status' + query({ as_of: asOf }));
  const teams = useApi<{ teams: Team[] }>('/api/v1/teams?limit=1000');
  const people = useApi<{ people: Person[] }>('/api/v1/people?limit=1000');
  const [open, setOpen] = useState<Set<string>>(new Set());
  const narrow = useNarrow();

  const personName = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of people.data?.people ?? []) m.set(p.id, p.name || p.id);
    return (id: string | null) => (id ? m.get(id) ?? id : 'no owner');
  }, [people.data]);

  const goals = report.data?.goals ?? [];
  useEffect(() => {
    if (goals.length > 0) markTreeShown();
  }, [goals.length > 0]);

  const { rows, counts, matched } = useMemo(() => {
    const depth = new Map<string, number>();
    const byId = new Map<string, StatusGoal>();
    for (const g of goals) {
      byId.set(g.id, g);
      depth.set(g.id, g.parent && depth.has(g.parent) ? depth.get(g.parent)! + 1 : 0);
    }
    const teamSet = filters.team ? teamAndBelow(teams.data?.teams ?? [], filters.team) : null;
    const q = filters.q.trim().toLowerCase();
    const matches = (g: StatusGoal) =>
      (!teamSet || (g.team !== null && teamSet.has(g.team))) &&
      (!filters.owner || g.owner === filters.owner || (g.contributors ?? []).includes(filters.owner)) &&
      (!filters.status || g.status === filters.status) &&
      (!filters.level || g.level === filters.level) &&
      (!q || g.title.toLowerCase().includes(q) || g.id.includes(q));
    const counts: Partial<Record<GoalStatus, number>> = {};
    const shown = new Set<string>();
    const hit = new Set<string>();
    for (const g of goals) {
      if (!matches(g)) continue;
      hit.add(g.id);
      counts[g.status] = (counts[g.status] ?? 0) + 1;
      // Its ancestors come along, as context, so that the tree still reads top-down.
      for (let p: StatusGoal | undefined = g; p && !shown.has(p.id); p = p.parent ? byId.get(p.parent) : undefined) {
        shown.add(p.id);
      }
    }
    const rows: Row[] = goals
      .filter((g) => shown.has(g.id))
      .map((g) => ({ goal: g, depth: depth.get(g.id) ?? 0, context: !hit.has(g.id) }));
    return { rows, counts, matched: hit.size };
  }, [goals, teams.data, filters.team, filters.owner, filters.status, filters.level, filters.q]);

  const height = useMemo(() => {
    const base = narrow ? ROW_HEIGHT_NARROW : ROW_HEIGHT_WIDE;
    return (r: Row) => base + (open.has(r.goal.id) ? Math.max(1, r.goal.kpis.length) * KPI_LINE + 16 : 0);
  }, [narrow, open]);

  function toggle(id: string) {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  }

  const anyFilter = Object.values(filters).some((v) => v);
  const controls = (
    <>
      <Filters filters={filters} teams={teams.data?.teams ?? []} people={people.data?.people ?? []} />
      <AsOf asOf={report.data?.as_of ?? asOf ?? todayUtc()} explicit={!!asOf} goals={goals} />
    </>
  );

  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">Goals</h1>
      {narrow ? (
        // On a phone the controls fold away, so that the first screen shows goals; they are open
        // while a filter or a date is set.
        <details class="more-filters" open={anyFilter || !!asOf}>
          <summary>
            Search, filters and date
            {anyFilter || asOf ? ` (${Object.values(filters).filter((v) => v).length + (asOf ? 1 : 0)} set)` : ''}
          </summary>
          {controls}
        </details>
      ) : (
        controls
      )}

      {report.error && (
        <p class="error" role="alert">
          The goals could not be loaded: {report.error.message}{' '}
          <button type="button" onClick={report.reload}>
            Try again
          </button>
        </p>
      )}
      {!report.data && !report.error && <p aria-busy="true">Loading the goals…</p>}

      {report.data && (
        <>
          <h2 class="visually-hidden">Counts by status</h2>
          <ul class="counts" aria-label="Goals by status">
            {statusOrder
              .filter((s) => counts[s])
              .map((s) => (
                <li key={s}>
                  <Link
                    href={withParams({ status: filters.status === s ? null : s })}
                    aria-current={filters.status === s ? 'true' : undefined}
                    aria-label={`${counts[s]} ${statusLabels[s]}${filters.status === s ? ' (showing only these; press to show all)' : ''}`}
                  >
                    <StatusBadge status={s} /> <strong>{counts[s]}</strong>
                  </Link>
                </li>
              ))}
          </ul>
          <p class="summary" aria-live="polite">
            {anyFilter ? `${matched} of ${goals.length} goals match` : `${goals.length} goals`} as of{' '}
            {report.data.as_of}
            {report.loading ? ' (updating…)' : ''}
          </p>
          {rows.length === 0 ? (
            <p>No goal matches these filters.</p>
          ) : (
            <WindowedList
              class="tree"
              label="Goal tree"
              items={rows}
              height={height}
              render={(r) => (
                <GoalRow
                  row={r}
                  open={open.has(r.goal.id)}
                  onToggle={() => toggle(r.goal.id)}
                  owner={personName(r.goal.owner)}
                  asOf={asOf}
                />
              )}
            />
          )}
        </>
      )}
    </section>
  );
}

function GoalRow(props: { row: Row; open: boolean; onToggle: () => void; owner: string; asOf: string | null }) {
  const { goal, depth, context } = props.row;
  const panel = `kpis-${goal.id}`;
  return (
    <div class={`goal-row level-${goal.level}${context ? ' context' : ''}`}>
      <div class="goal-main" style={{ paddingLeft: `${Math.min(depth, 8) * 1.25}rem` }}>
        <button
          type="button"
          class="toggle"
          aria-expanded={props.open ? 'true' : 'false'}
          aria-controls={panel}
          aria-label={`${props.open ? 'Hide' : 'Show'} the KPIs of ${goal.title}`}
          onClick={props.onToggle}
        >
          <span aria-hidden="true">{props.open ? '▾' : '▸'}</span>
        </button>
        <Link class="goal-title" href={`/goal/${encodeURIComponent(goal.id)}${query({ as_of: props.asOf })}`} title={goal.title}>
          {goal.title}
        </Link>
        <span class="level">{goal.level}</span>
      </div>
      <div class="goal-facts">
        <span class="owner" title="Owner">
          {props.owner}
        </span>
        <ProgressBar progress={goal.progress} expected={goal.expected} status={goal.status} />
        <span class="pct">{percent(goal.progress)}</span>
        <StatusBadge status={goal.status} />
        <span class="forecast">forecast {percent(goal.forecast)}</span>
      </div>
      {props.open && <KpiLines id={panel} goal={goal} asOf={props.asOf} />}
    </div>
  );
}

// A goal's KPI values, with their names, units and targets from the goal's detail (asked for
// when the row opens: the tree itself carries only the numbers).
function KpiLines(props: { id: string; goal: StatusGoal; asOf: string | null }) {
  const { goal } = props;
  const detail = useApi<GoalDetail>(`/api/v1/goals/${encodeURIComponent(goal.id)}` + query({ as_of: props.asOf }));
  const defs = new Map<string, Kpi>((detail.data?.kpis ?? []).map((k) => [k.id, k]));
  return (
    <ul id={props.id} class="kpi-lines" aria-label={`KPIs of ${goal.title}`}>
      {goal.kpis.length === 0 && <li>No KPI of its own: its progress comes from its child goals.</li>}
      {goal.kpis.map((k) => {
        const def = defs.get(k.id);
        const unit = def?.unit ?? '';
        return (
          <li key={k.id}>
            <span class="kpi-name">{def?.name || k.id}</span>{' '}
            <span class="kpi-value">
              {number(k.value, unit)}
              {def && def.kind !== 'threshold' ? ` of ${number(def.target, unit)}` : ''}
              {def && def.kind === 'threshold' ? ` (${def.direction === 'below' ? 'at most' : 'at least'} ${number(def.target, unit)})` : ''}
            </span>{' '}
            <span>{def?.benchmark_for ? `benchmark for ${def.benchmark_for}` : percent(k.progress)}</span>
            {k.last_checkin && <span class="muted"> · last {k.last_checkin}</span>}
            {k.stale && <span class="stale"> · stale</span>}
          </li>
        );
      })}
    </ul>
  );
}

function Filters(props: {
  filters: Record<'team' | 'owner' | 'status' | 'level' | 'q', string>;
  teams: Team[];
  people: Person[];
}) {
  const { filters } = props;
  const [q, setQ] = useState(filters.q);
  useEffect(() => setQ(filters.q), [filters.q]);
  // The search box rewrites the URL as one types (replace: no history entry per letter).
  useEffect(() => {
    if (q === filters.q) return;
    const t = setTimeout(() => navigate(withParams({ q: q.trim() ? q : null }), true), 200);
    return () => clearTimeout(t);
  }, [q]);

  const select = (name: 'team' | 'owner' | 'status' | 'level', label: string, options: [string, string][]) => (
    <div class="field">
      <label for={`filter-${name}`}>{label}</label>
      <select id={`filter-${name}`} value={filters[name]} onChange={(e) => navigate(withParams({ [name]: (e.target as HTMLSelectElement).value }))}>
        <option value="">All</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <form class="filters" role="search" aria-label="Filter the goals" onSubmit={(e) => e.preventDefault()}>
      <div class="field grow">
        <label for="filter-q">Search</label>
        <input id="filter-q" type="search" placeholder="Title or id" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
      </div>
      {select('team', 'Team', props.teams.map((t) => [t.id, t.name || t.id]))}
      {select('owner', 'Owner', props.people.map((p) => [p.id, p.name || p.id]))}
      {select('status', 'Status', statusOrder.map((s) => [s, statusLabels[s]]))}
      {select('level', 'Level', [
        ['macro', 'macro'],
        ['micro', 'micro'],
      ])}
      {Object.values(filters).some((v) => v) && (
        <Link class="clear" href={withParams({ team: null, owner: null, status: null, level: null, q: null })}>
          Clear filters
        </Link>
      )}
    </form>
  );
}

// Time travel: every number as of another day. The slider spans the goals' windows; the date
// field takes any day.
function AsOf(props: { asOf: string; explicit: boolean; goals: StatusGoal[] }) {
  const range = useMemo(() => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const g of props.goals) {
      if (g.start) lo = Math.min(lo, dateToDay(g.start));
      if (g.due) hi = Math.max(hi, dateToDay(g.due));
    }
    const today = dateToDay(todayUtc());
    if (!Number.isFinite(lo)) lo = today - 90;
    if (!Number.isFinite(hi)) hi = today + 90;
    return { lo: Math.min(lo, today), hi: Math.max(hi, today) };
  }, [props.goals]);
  const [day, setDay] = useState(dateToDay(props.asOf));
  useEffect(() => setDay(dateToDay(props.asOf)), [props.asOf]);
  useEffect(() => {
    if (dayToDate(day) === props.asOf) return;
    const t = setTimeout(() => navigate(withParams({ as_of: dayToDate(day) }), true), 150);
    return () => clearTimeout(t);
  }, [day]);

  return (
    <div class="as-of">
      <div class="field">
        <label for="as-of-date">As of</label>
        <input
          id="as-of-date"
          type="date"
          value={dayToDate(day)}
          onChange={(e) => {
            const v = (e.target as HTMLInputElement).value;
            if (isDate(v)) navigate(withParams({ as_of: v }));
          }}
        />
      </div>
      <div class="field grow">
        <label for="as-of-slider">Replay the cascade day by day</label>
        <input
          id="as-of-slider"
          type="range"
          min={range.lo}
          max={range.hi}
          step={1}
          value={day}
          aria-valuetext={dayToDate(day)}
          onInput={(e) => setDay(Number((e.target as HTMLInputElement).value))}
        />
      </div>
      {props.explicit && (
        <Link class="clear" href={withParams({ as_of: null })}>
          Back to today
        </Link>
      )}
    </div>
  );
}
