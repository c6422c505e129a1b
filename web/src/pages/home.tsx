// Cascade, the home page (spec §6): the goal tree from GET /api/v1/tree (../tree.ts), macro →
// micro, each row with owner, progress against the expected mark, status, forecast, and its KPIs
// on expansion (from the goal's own endpoint, asked for then); counts by status; filters, search
// and the as-of date kept in the URL, every filter applied to the tree's own columns (the cycle's
// too, as `goal list --cycle` filters). A long tree is drawn a window at a time (WindowedList).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { query } from '../api';
import { ProgressBar, StatusBadge } from '../components/status';
import { WindowedList } from '../components/windowed';
import { dateToDay, dayToDate, isDate, number, percent, statusLabels, statusOrder, todayUtc } from '../format';
import { kPeopleUrl, kTeamsUrl, kTreeUrl } from '../early';
import { useApi } from '../load';
import { Link, location, navigate, withParams } from '../router';
import { filterTree, treeModel, type FilteredTree, type TreeGoal, type TreeReport } from '../tree';
import type { Cycle, GoalDetail, Kpi, Person, Team } from '../types';

// The tree's URL (early.ts asks for it before the page does, for a returning visitor).
function treeUrl(asOf: string | null): string {
  return kTreeUrl + query({ as_of: asOf });
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
  const filters: Record<FilterName | 'q', string> = {
    team: params.get('team') ?? '',
    owner: params.get('owner') ?? '',
    status: params.get('status') ?? '',
    level: params.get('level') ?? '',
    priority: params.get('priority') ?? '',
    channel: params.get('channel') ?? '',
    segment: params.get('segment') ?? '',
    stage: params.get('stage') ?? '',
    cycle: params.get('cycle') ?? '',
    tag: params.get('tag') ?? '',
    q: params.get('q') ?? '',
  };

  const report = useApi<TreeReport>(treeUrl(asOf));
  const teams = useApi<{ teams: Team[] }>(kTeamsUrl);
  const people = useApi<{ people: Person[] }>(kPeopleUrl);
  const cycles = useApi<{ cycles: Cycle[] }>('/api/v1/cycles?limit=1000');
  const [open, setOpen] = useState<Set<string>>(new Set());
  const narrow = useNarrow();

  const personName = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of people.data?.people ?? []) m.set(p.id, p.name || p.id);
    return (id: string | null) => (id ? m.get(id) ?? id : 'no owner');
  }, [people.data]);

  const model = useMemo(() => (report.data ? treeModel(report.data) : null), [report.data]);
  const goals = model?.goals ?? [];
  useEffect(() => {
    if (goals.length > 0) markTreeShown();
  }, [goals.length > 0]);

  const { rows, context, counts, matched } = useMemo((): FilteredTree => {
    if (!model) return { rows: [], context: null, counts: {}, matched: 0 };
    return filterTree(model, {
      teams: filters.team ? teamAndBelow(teams.data?.teams ?? [], filters.team) : null,
      owner: filters.owner,
      status: filters.status,
      level: filters.level,
      priority: filters.priority,
      channel: filters.channel,
      segment: filters.segment,
      stage: filters.stage,
      tag: filters.tag,
      cycle: filters.cycle,
      q: filters.q.trim().toLowerCase(),
    });
  }, [model, teams.data, ...Object.values(filters)]);

  // The channels, segments and tags the goals use, for their filters' choices.
  const used = useMemo(() => {
    const channel = new Set<string>();
    const segment = new Set<string>();
    const tag = new Set<string>();
    for (const g of goals) {
      if (g.channel) channel.add(g.channel);
      if (g.segment) segment.add(g.segment);
      for (const t of g.tags) tag.add(t);
    }
    const sorted = (s: Set<string>) => [...s].sort();
    return { channel: sorted(channel), segment: sorted(segment), tag: sorted(tag) };
  }, [goals]);

  const height = useMemo(() => {
    const base = narrow ? ROW_HEIGHT_NARROW : ROW_HEIGHT_WIDE;
    return (g: TreeGoal) => base + (open.has(g.id) ? Math.max(1, g.kpis) * KPI_LINE + 16 : 0);
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
      <Filters filters={filters} teams={teams.data?.teams ?? []} people={people.data?.people ?? []} cycles={cycles.data?.cycles ?? []} used={used} />
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
                  >
                    <StatusBadge status={s} /> <strong>{counts[s]}</strong>
                    {filters.status === s && <span class="visually-hidden"> (showing only these; press to show all)</span>}
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
              render={(g, i) => (
                <GoalRow
                  goal={g}
                  context={context !== null && context[i] === 1}
                  open={open.has(g.id)}
                  onToggle={() => toggle(g.id)}
                  owner={personName(g.owner)}
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

function GoalRow(props: { goal: TreeGoal; context: boolean; open: boolean; onToggle: () => void; owner: string; asOf: string | null }) {
  const { goal, context } = props;
  const depth = goal.depth;
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

// A goal's KPI values, with their names, units and targets, from the goal's detail (asked for
// when the row opens: the tree carries only how many KPIs a goal has).
function KpiLines(props: { id: string; goal: TreeGoal; asOf: string | null }) {
  const { goal } = props;
  const detail = useApi<GoalDetail>(`/api/v1/goals/${encodeURIComponent(goal.id)}` + query({ as_of: props.asOf }));
  const defs = new Map<string, Kpi>((detail.data?.kpis ?? []).map((k) => [k.id, k]));
  const values = detail.data?.status.kpis;
  return (
    <ul id={props.id} class="kpi-lines" aria-label={`KPIs of ${goal.title}`} aria-busy={!values && !detail.error ? 'true' : undefined}>
      {goal.kpis === 0 && <li>No KPI of its own: its progress comes from its child goals.</li>}
      {goal.kpis > 0 && !values && <li>{detail.error ? `The KPIs could not be loaded: ${detail.error.message}` : 'Loading the KPIs…'}</li>}
      {(values ?? []).map((k) => {
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

type FilterName = 'team' | 'owner' | 'status' | 'level' | 'priority' | 'channel' | 'segment' | 'stage' | 'cycle' | 'tag';

// The filters folded behind "More filters".
const rareFilters: FilterName[] = ['level', 'priority', 'channel', 'segment', 'stage', 'tag'];
const priorities = ['high', 'medium', 'low'];
const stages = ['awareness', 'consideration', 'conversion', 'retention'];

function Filters(props: {
  filters: Record<FilterName | 'q', string>;
  teams: Team[];
  people: Person[];
  cycles: Cycle[];
  used: { channel: string[]; segment: string[]; tag: string[] };
}) {
  const { filters, used } = props;
  const [q, setQ] = useState(filters.q);
  useEffect(() => setQ(filters.q), [filters.q]);
  // The search box rewrites the URL as one types (replace: no history entry per letter).
  useEffect(() => {
    if (q === filters.q) return;
    const t = setTimeout(() => navigate(withParams({ q: q.trim() ? q : null }), true), 200);
    return () => clearTimeout(t);
  }, [q]);

  const select = (name: FilterName, label: string, options: [string, string][]) => {
    // A value from the URL that no goal uses still shows as chosen (and matches nothing).
    const all = filters[name] && !options.some(([v]) => v === filters[name]) ? [...options, [filters[name], filters[name]] as [string, string]] : options;
    return (
      <div class="field">
        <label for={`filter-${name}`}>{label}</label>
        <select id={`filter-${name}`} value={filters[name]} onChange={(e) => navigate(withParams({ [name]: (e.target as HTMLSelectElement).value }))}>
          <option value="">All</option>
          {all.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      </div>
    );
  };
  const same = (list: string[]) => list.map((v): [string, string] => [v, v]);
  // The filters people reach for every day stay in view; the rest fold behind "More filters",
  // which opens when one of them gets set (a shared link shows what it filters by) and says how
  // many are set while it is closed.
  const set = rareFilters.filter((name) => filters[name]).length;
  const [showMore, setMore] = useState(set > 0);
  useEffect(() => {
    if (set > 0) setMore(true);
  }, [set]);

  return (
    <form class="filters" role="search" aria-label="Filter the goals" onSubmit={(e) => e.preventDefault()}>
      <div class="field grow">
        <label for="filter-q">Search</label>
        <input id="filter-q" type="search" placeholder="Title or id" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
      </div>
      {select('team', 'Team', props.teams.map((t) => [t.id, t.name || t.id]))}
      {select('owner', 'Owner', props.people.map((p) => [p.id, p.name || p.id]))}
      {select('status', 'Status', statusOrder.map((s) => [s, statusLabels[s]]))}
      {select('cycle', 'Cycle', props.cycles.map((c) => [c.id, c.name || c.id]))}
      <button
        type="button"
        class="secondary more-toggle"
        aria-expanded={showMore ? 'true' : 'false'}
        aria-controls="filters-more"
        onClick={() => setMore(!showMore)}
      >
        More filters{set > 0 ? ` (${set} set)` : ''}
      </button>
      {Object.values(filters).some((v) => v) && (
        <Link
          class="clear"
          href={withParams({ team: null, owner: null, status: null, level: null, priority: null, channel: null, segment: null, stage: null, cycle: null, tag: null, q: null })}
        >
          Clear filters
        </Link>
      )}
      <div id="filters-more" class="filters-more" hidden={!showMore}>
        {select('level', 'Level', same(['macro', 'micro']))}
        {select('priority', 'Priority', same(priorities))}
        {select('channel', 'Channel', same(used.channel))}
        {select('segment', 'Segment', same(used.segment))}
        {select('stage', 'Stage', same(stages))}
        {select('tag', 'Tag', same(used.tag))}
      </div>
    </form>
  );
}

// Time travel: every number as of another day. The slider spans the goals' windows; the date
// field takes any day.
function AsOf(props: { asOf: string; explicit: boolean; goals: TreeGoal[] }) {
  const range = useMemo(() => {
    // ISO dates compare as strings: one pass without parsing any.
    let first: string | null = null;
    let last: string | null = null;
    for (const g of props.goals) {
      if (g.start && (first === null || g.start < first)) first = g.start;
      if (g.due && (last === null || g.due > last)) last = g.due;
    }
    const today = dateToDay(todayUtc());
    const lo = first === null ? today - 90 : dateToDay(first);
    const hi = last === null ? today + 90 : dateToDay(last);
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
