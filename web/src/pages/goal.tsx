// Goal (spec §6): its details, each KPI's chart and check-ins, the check-in form (for roles that
// may check in), the actions, the comments and the history. A write here or anywhere else (live.ts)
// updates the page without a reload.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, query } from '../api';
import { KpiChart, valueSeries } from '../components/kpi_chart';
import { Scroll } from '../components/scroll';
import { ProgressBar, StatusBadge } from '../components/status';
import { isDate, number, percent, todayUtc } from '../format';
import { clearCache, useApi } from '../load';
import { liveTick } from '../live';
import { Link, location } from '../router';
import { mayCheckIn, mayEditPlan, me } from '../session';
import { Actions, EditGoalButton, History } from './goal_parts';
import { Comments, ConfidenceLine, ConfidenceWords, SpendSection } from './goal_records';
import type { Checkin, GoalDetail, Kpi, Person, StatusKpi, Team } from '../types';
import { kTeamsUrl } from '../early';

export function GoalPage({ id }: { id: string }) {
  const asOfParam = location.value.params.get('as_of');
  const asOf = isDate(asOfParam) ? asOfParam : null;
  const detail = useApi<GoalDetail>(`/api/v1/goals/${encodeURIComponent(id)}` + query({ as_of: asOf }));
  const people = useApi<{ people: Person[] }>('/api/v1/people?limit=1000');
  const teams = useApi<{ teams: Team[] }>(kTeamsUrl);
  // Check-ins by KPI, loaded for the goal's KPIs (and reloaded after a check-in).
  const [checkins, setCheckins] = useState<Record<string, Checkin[]>>({});
  const [round, setRound] = useState(0);

  const kpis = detail.data?.kpis ?? [];
  const kpiKey = kpis.map((k) => k.id).join(',');
  // Benchmarks of this goal's KPIs kept on other goals (a benchmark may sit anywhere: spec §1).
  const [foreign, setForeign] = useState<Kpi[]>([]);
  useEffect(() => {
    const measured = kpis.filter((k) => !k.benchmark_for && k.kind !== 'formula');
    if (!measured.length) {
      setForeign([]);
      return;
    }
    let live = true;
    Promise.all(
      measured.map((k) =>
        api<{ kpis: Kpi[] }>('GET', '/api/v1/kpis' + query({ benchmark_for: k.id, limit: '100' }))
          .then((r) => r.kpis.filter((b) => b.goal !== id))
          .catch(() => [] as Kpi[]),
      ),
    ).then((lists) => {
      if (live) setForeign(lists.flat());
    });
    return () => {
      live = false;
    };
  }, [kpiKey, round, liveTick.value]);
  const foreignKey = foreign.map((k) => k.id).join(',');
  useEffect(() => {
    const all = [...kpis, ...foreign].filter((k) => k.kind !== 'formula');
    if (!all.length) return;
    let live = true;
    Promise.all(
      all.map((k) =>
        api<{ checkins: Checkin[] }>('GET', '/api/v1/checkins' + query({ kpi: k.id, to: asOf, limit: '1000' }))
          .then((r) => [k.id, r.checkins] as const)
          .catch(() => [k.id, [] as Checkin[]] as const),
      ),
    ).then((pairs) => {
      if (live) setCheckins(Object.fromEntries(pairs));
    });
    return () => {
      live = false;
    };
  }, [kpiKey, foreignKey, asOf, round, liveTick.value]);

  const name = useMemo(() => {
    const m = new Map<string, string>();
    for (const p of people.data?.people ?? []) m.set(p.id, p.name || p.id);
    return (pid: string | null | undefined) => (pid ? m.get(pid) ?? pid : '—');
  }, [people.data]);

  useEffect(() => {
    if (detail.data) document.title = `${detail.data.goal.title} · Cascade`;
  }, [detail.data]);

  if (detail.error) {
    const missing = detail.error instanceof ApiError && detail.error.status === 404;
    return (
      <section>
        <h1>{missing ? 'No such goal' : 'The goal could not be loaded'}</h1>
        <p role="alert">{missing ? `There is no goal '${id}'.` : detail.error.message}</p>
        <p>
          <Link href="/">Back to the goals</Link>
        </p>
      </section>
    );
  }
  if (!detail.data) return <p aria-busy="true">Loading the goal…</p>;

  const { goal, status } = detail.data;
  const titles = detail.data.titles ?? {};
  const teamName = (t: string) => teams.data?.teams.find((x) => x.id === t)?.name ?? t;
  const statusKpi = new Map<string, StatusKpi>(status.kpis.map((k) => [k.id, k]));
  // Benchmarks are drawn beside the KPI they measure against, not as KPIs of their own.
  const measured = kpis.filter((k) => !k.benchmark_for);
  const benchmarksOf = (kpi: string) => [...kpis, ...foreign].filter((b) => b.benchmark_for === kpi);
  const stray = kpis.filter((k) => k.benchmark_for && !measured.some((m) => m.id === k.benchmark_for));
  const who = me.value;
  const refresh = () => {
    clearCache();
    detail.reload();
    setRound((r) => r + 1);
  };

  return (
    <article aria-labelledby="goal-title">
      <p class="crumbs">
        <Link href={'/' + query({ as_of: asOf })}>Goals</Link>
        {goal.parent && (
          <>
            {' › '}
            <Link href={`/goal/${encodeURIComponent(goal.parent)}` + query({ as_of: asOf })}>{titles[goal.parent] ?? goal.parent}</Link>
          </>
        )}
      </p>
      <div class="title-row">
        <h1 id="goal-title">{goal.title}</h1>
        {who && mayEditPlan(who.role) && <EditGoalButton id={goal.id} title={goal.title} onSaved={refresh} />}
      </div>
      <div class="goal-head">
        <StatusBadge status={status.status} />
        <ProgressBar progress={status.progress} expected={status.expected} status={status.status} />
        <span>
          <strong>{percent(status.progress)}</strong> done, {percent(status.expected)} expected, forecast{' '}
          {percent(status.forecast)}
        </span>
      </div>
      <ConfidenceLine status={status} asOf={asOf} />
      {goal.description && <p class="description">{goal.description}</p>}
      <dl class="facts">
        <Fact label="Owner">{name(goal.owner)}</Fact>
        <Fact label="Team">{goal.team ? teamName(goal.team) : '—'}</Fact>
        <Fact label="Window">
          <span class="date">{status.start ?? '—'}</span> to <span class="date">{status.due ?? '—'}</span>
        </Fact>
        <Fact label="Level">{goal.level}</Fact>
        <Fact label="State">{goal.state}</Fact>
        <Fact label="Priority">{goal.priority}</Fact>
        {goal.channel && <Fact label="Channel">{goal.channel}</Fact>}
        {goal.segment && <Fact label="Segment">{goal.segment}</Fact>}
        {goal.stage && <Fact label="Stage">{goal.stage}</Fact>}
        {goal.tags.length > 0 && <Fact label="Tags">{goal.tags.join(', ')}</Fact>}
        <Fact label="As of">{asOf ?? `today (${todayUtc()})`}</Fact>
        {(status.contributors ?? []).length > 0 && <Fact label="Contributors">{(status.contributors ?? []).map(name).join(', ')}</Fact>}
        {(status.supports ?? []).length > 0 && (
          <Fact label="Supports">
            <GoalLinks ids={status.supports ?? []} titles={titles} asOf={asOf} />
          </Fact>
        )}
        {(status.supported_by ?? []).length > 0 && (
          <Fact label="Supported by">
            <GoalLinks ids={status.supported_by ?? []} titles={titles} asOf={asOf} />
          </Fact>
        )}
        {detail.data.children.length > 0 && (
          <Fact label="Child goals" wide>
            <GoalLinks ids={detail.data.children} titles={titles} asOf={asOf} />
          </Fact>
        )}
      </dl>

      <section aria-labelledby="kpis-title">
        <h2 id="kpis-title">KPIs</h2>
        {measured.length === 0 && <p>This goal has no KPI of its own: its progress comes from its child goals.</p>}
        {measured.map((k) => (
          <KpiSection
            key={k.id}
            kpi={k}
            result={statusKpi.get(k.id)}
            checkins={checkins[k.id]}
            benchmarks={benchmarksOf(k.id).map((b) => ({ kpi: b, checkins: checkins[b.id], value: statusKpi.get(b.id)?.value }))}
            start={status.start}
            due={status.due}
            name={name}
          />
        ))}
        {stray.length > 0 && (
          <>
            <h3>Benchmarks kept here for other goals' KPIs</h3>
            <ul class="stray-benchmarks">
              {stray.map((b) => (
                <li key={b.id}>
                  <strong>{b.name || b.id}</strong>: {number(statusKpi.get(b.id)?.value, b.unit)}, a benchmark for the KPI {b.benchmark_for} (drawn on its chart)
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {who && mayCheckIn(who.role) && kpis.some((k) => k.kind !== 'formula') && (
        <CheckinForm kpis={kpis.filter((k) => k.kind !== 'formula')} onDone={refresh} />
      )}

      <Actions
        goal={goal.id}
        actions={detail.data.actions}
        edit={!!who && mayEditPlan(who.role)}
        people={people.data?.people ?? []}
        name={name}
        onDone={refresh}
      />

      <SpendSection
        goal={goal}
        status={status}
        spend={detail.data.spend ?? []}
        asOf={asOf}
        edit={!!who && mayCheckIn(who.role)}
        name={name}
        onDone={refresh}
      />

      <Comments goal={goal.id} comments={detail.data.comments} name={name} onDone={refresh} />

      <History goal={goal.id} kpis={kpis} actions={detail.data.actions.map((a) => a.id)} name={name} />
    </article>
  );
}

// One fact of the goal: a term and its value, kept together in the grid of facts.
function Fact(props: { label: string; wide?: boolean; children: ComponentChildren }) {
  return (
    <div class={props.wide ? 'fact wide' : 'fact'}>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

// Goals named by id, each shown by its title (its id when the title is not known).
function GoalLinks({ ids, titles, asOf }: { ids: string[]; titles: Record<string, string>; asOf: string | null }) {
  return (
    <ul class="goal-links">
      {ids.map((g) => (
        <li key={g}>
          <Link href={`/goal/${encodeURIComponent(g)}` + query({ as_of: asOf })}>{titles[g] ?? g}</Link>
        </li>
      ))}
    </ul>
  );
}

interface Benchmark {
  kpi: Kpi;
  checkins: Checkin[] | undefined;
}

// A KPI's value as of its last check-in (for a benchmark kept on another goal, whose status this
// page does not load).
function lastValue(b: Benchmark, start: string | null): number | null {
  const s = valueSeries(b.kpi, b.checkins ?? [], start);
  return s.values.length ? s.values[s.values.length - 1] : null;
}

function KpiSection(props: {
  kpi: Kpi;
  result: StatusKpi | undefined;
  checkins: Checkin[] | undefined;
  benchmarks: (Benchmark & { value: number | null | undefined })[];
  start: string | null;
  due: string | null;
  name: (id: string | null) => string;
}) {
  const { kpi, result, checkins } = props;
  const title = kpi.name || kpi.id;
  const benchmarks = props.benchmarks.map((b) => ({ ...b, value: b.value ?? lastValue(b, props.start) }));
  const benchWords = benchmarks.map((b) => `benchmark ${b.kpi.name || b.kpi.id} ${number(b.value, b.kpi.unit)}`);
  const chartLabel =
    `Chart of ${title}: value ${number(result?.value, kpi.unit)}, target ${number(kpi.target, kpi.unit)}` +
    (result?.forecast !== null && result?.forecast !== undefined ? `, forecast ${percent(result.forecast)} of target` : '') +
    benchWords.map((w) => ', ' + w).join('');
  return (
    <section class="kpi" aria-labelledby={`kpi-${kpi.id}`}>
      <h3 id={`kpi-${kpi.id}`}>
        {title} <span class="muted">({kpi.kind})</span>
      </h3>
      <p class="kpi-numbers">
        Value <strong>{number(result?.value, kpi.unit)}</strong>{' '}
        {kpi.kind === 'threshold'
          ? `holding ${kpi.direction === 'below' ? 'at most' : 'at least'} ${number(kpi.target, kpi.unit)}`
          : `of target ${number(kpi.target, kpi.unit)}`}
        {kpi.baseline !== null && <> from {number(kpi.baseline, kpi.unit)}</>} · progress {percent(result?.progress)} · forecast{' '}
        {percent(result?.forecast)}
        {result?.last_checkin && <> · last check-in {result.last_checkin}</>}
        {result?.stale && <strong class="stale"> · stale</strong>}
      </p>
      {benchmarks.length > 0 && (
        <p class="kpi-benchmarks">
          {benchmarks.map((b, i) => (
            <span key={b.kpi.id}>
              {i > 0 && ' · '}
              Benchmark <strong>{b.kpi.name || b.kpi.id}</strong> {number(b.value, b.kpi.unit)}
            </span>
          ))}
        </p>
      )}
      {kpi.kind === 'formula' ? (
        <p class="formula">
          Computed by the formula <code>{kpi.formula ?? '—'}</code>; it takes no check-ins.
        </p>
      ) : checkins === undefined ? (
        <p aria-busy="true">Loading check-ins…</p>
      ) : (
        <>
          <KpiChart
            kpi={kpi}
            checkins={checkins}
            benchmarks={benchmarks.map((b) => ({ kpi: b.kpi, checkins: b.checkins ?? [] }))}
            start={props.start}
            due={props.due}
            label={chartLabel}
          />
          <CheckinTable title={title} unit={kpi.unit} checkins={checkins} name={props.name} />
          {benchmarks.map((b) =>
            b.checkins && b.checkins.length > 0 ? (
              <CheckinTable key={b.kpi.id} title={`${b.kpi.name || b.kpi.id} (benchmark)`} unit={b.kpi.unit} checkins={b.checkins} name={props.name} />
            ) : null,
          )}
        </>
      )}
    </section>
  );
}

function CheckinTable(props: { title: string; unit: string; checkins: Checkin[]; name: (id: string | null) => string }) {
  const { checkins, title } = props;
  const recent = checkins.slice(-8).reverse();
  if (recent.length === 0) return <p>No check-in yet.</p>;
  return (
    <Scroll label={`Check-ins of ${title}`}>
      <table class="checkins">
        <caption>
          {checkins.length > recent.length ? `The latest ${recent.length} of ${checkins.length} check-ins` : 'Check-ins'} of {title}, newest first
        </caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Value</th>
            <th scope="col">By</th>
            <th scope="col">Note</th>
            <th scope="col">Confidence</th>
          </tr>
        </thead>
        <tbody>
          {recent.map((c, i) => (
            <tr key={`${c.seq ?? i}-${c.date}`}>
              <td>{c.date}</td>
              <td class="num">{number(c.value, props.unit)}</td>
              <td>{props.name(c.author)}</td>
              <td>{c.note}</td>
              <td>{c.confidence ? <ConfidenceWords confidence={c.confidence} /> : <span class="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

// The API names the field an error is about ("value", "date", "checkins[0].value", …): the
// message goes next to that field, else above the form.
function fieldOf(e: ApiError, fields: string[]): string | null {
  const f = e.field?.replace(/^.*\./, '') ?? null;
  return f && fields.includes(f) ? f : null;
}

function CheckinForm(props: { kpis: Kpi[]; onDone: () => void }) {
  const [kpi, setKpi] = useState(props.kpis[0].id);
  const [value, setValue] = useState('');
  const [date, setDate] = useState(todayUtc());
  const [note, setNote] = useState('');
  const [confidence, setConfidence] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const fields = ['kpi', 'value', 'date', 'note', 'confidence'];

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    setGeneral('');
    setDone('');
    const body: Record<string, unknown> = { kpi, date };
    // The value goes as typed when it is not a number, so that the API's message says why.
    if (value.trim() !== '') body.value = Number.isFinite(Number(value)) ? Number(value) : value;
    if (note.trim()) body.note = note.trim();
    if (confidence) body.confidence = confidence;
    try {
      await api('POST', '/api/v1/checkins', body);
      const k = props.kpis.find((x) => x.id === kpi);
      setDone(`Recorded ${value} for ${k?.name || kpi} on ${date}.`);
      setValue('');
      setNote('');
      setConfidence('');
      props.onDone();
    } catch (err) {
      if (err instanceof ApiError) {
        const f = fieldOf(err, fields);
        if (f) {
          setErrors({ [f]: err.message });
          setTimeout(() => form.current?.querySelector<HTMLElement>(`#checkin-${f}`)?.focus(), 0);
        } else setGeneral(err.message);
      } else setGeneral(String(err));
    } finally {
      setBusy(false);
    }
  }

  const described = (f: string) => (errors[f] ? { 'aria-invalid': true as const, 'aria-describedby': `checkin-${f}-error` } : {});
  const error = (f: string) =>
    errors[f] && (
      <p id={`checkin-${f}-error`} class="field-error">
        {errors[f]}
      </p>
    );

  return (
    <section aria-labelledby="checkin-title" class="form-section">
      <h2 id="checkin-title">Record a check-in</h2>
      <form ref={form} onSubmit={submit} noValidate class="checkin-form">
        {general && (
          <p class="error" role="alert">
            {general}
          </p>
        )}
        <div class="field">
          <label for="checkin-kpi">KPI</label>
          <select id="checkin-kpi" value={kpi} onChange={(e) => setKpi((e.target as HTMLSelectElement).value)} {...described('kpi')}>
            {props.kpis.map((k) => (
              <option key={k.id} value={k.id}>
                {k.name || k.id}
                {k.unit ? ` (${k.unit})` : ''}
              </option>
            ))}
          </select>
          {error('kpi')}
        </div>
        <div class="field">
          <label for="checkin-value">Value</label>
          <input
            id="checkin-value"
            inputMode="decimal"
            autoComplete="off"
            value={value}
            onInput={(e) => setValue((e.target as HTMLInputElement).value)}
            {...described('value')}
          />
          {error('value')}
        </div>
        <div class="field">
          <label for="checkin-date">Date</label>
          <input id="checkin-date" type="date" value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} {...described('date')} />
          {error('date')}
        </div>
        <div class="field grow">
          <label for="checkin-note">Note</label>
          <input id="checkin-note" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} {...described('note')} />
          {error('note')}
        </div>
        <div class="field">
          <label for="checkin-confidence">Confidence</label>
          <select
            id="checkin-confidence"
            value={confidence}
            onChange={(e) => setConfidence((e.target as HTMLSelectElement).value)}
            {...described('confidence')}
          >
            <option value="">No judgement</option>
            <option value="on_track">On track</option>
            <option value="at_risk">At risk</option>
            <option value="off_track">Off track</option>
          </select>
          {error('confidence')}
        </div>
        <div class="actions-row">
          <button type="submit" disabled={busy}>
            {busy ? 'Recording…' : 'Record check-in'}
          </button>
        </div>
        <p role="status" class="done">
          {done}
        </p>
      </form>
    </section>
  );
}
