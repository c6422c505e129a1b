// Goal (spec §6): its details, each KPI's chart and check-ins, the check-in form (for roles that
// may check in), the actions, the comments and the history. A write here or anywhere else (live.ts)
// updates the page without a reload.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, query } from '../api';
import { Field, GeneralError, SubmitRow, useAddForm } from '../components/form';
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
import type { Checkin, ChildGoal, GoalDetail, Kpi, Person, StatusGoal, StatusKpi, Team } from '../types';
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
      <MadeOf status={status} kpis={kpis} childGoals={detail.data.child_goals ?? []} />
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
            <ChildGoals childGoals={detail.data.child_goals ?? []} titles={titles} asOf={asOf} />
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

// What the goal's percent is made of, when it is more than one number (spec §2 "Goal progress
// P"): its KPIs and its active child goals, each with its weight. Without it a goal at 21% beside
// its one KPI at 32% reads as a contradiction.
function MadeOf({ status, kpis, childGoals }: { status: StatusGoal; kpis: Kpi[]; childGoals: ChildGoal[] }) {
  const weightOf = new Map(kpis.map((k) => [k.id, k.weight ?? 1]));
  const counted = status.kpis.filter((k) => k.progress !== null).map((k) => ({ progress: k.progress, weight: weightOf.get(k.id) ?? 1 }));
  const children = childGoals.filter((c) => c.state === 'active' && c.progress !== null);
  if (counted.length + children.length < 2) return null;
  const weighted = new Set([...counted.map((k) => k.weight), ...children.map((c) => c.weight)]).size > 1;
  const part = (items: { progress: number | null; weight: number }[], one: string, many: string) =>
    items.length === 0
      ? null
      : items.length === 1
        ? `its ${one} (${percent(items[0].progress)}${weighted ? `, weight ${number(items[0].weight)}` : ''})`
        : `its ${items.length} ${many}`;
  const parts = [part(counted, 'KPI', 'KPIs'), part(children, 'child goal', 'child goals')].filter((p) => p !== null);
  const many = counted.length > 1 || children.length > 1;
  return (
    <p class="made-of muted">
      {percent(status.progress)} is the {weighted ? 'weighted ' : ''}mean of {parts.join(' and ')}
      {weighted && many ? ', each by its weight' : ''}
      {children.length < childGoals.length ? '; drafts, cancelled and unmeasured child goals do not count' : ''}.
    </p>
  );
}

// The child goals, each with its progress and status (what it adds to this goal's).
function ChildGoals({ childGoals, titles, asOf }: { childGoals: ChildGoal[]; titles: Record<string, string>; asOf: string | null }) {
  return (
    <ul class="goal-links child-goals">
      {childGoals.map((c) => (
        <li key={c.id}>
          <Link href={`/goal/${encodeURIComponent(c.id)}` + query({ as_of: asOf })}>{titles[c.id] ?? c.id}</Link>{' '}
          <span class="child-pct">{percent(c.progress)}</span> <StatusBadge status={c.status} />
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
// The check-in form: the KPI and the date stay for the next entry; a refusal goes beside the
// field the API names.
function CheckinForm(props: { kpis: Kpi[]; onDone: () => void }) {
  const form = useAddForm(
    'checkin',
    { kpi: props.kpis[0].id, value: '', date: todayUtc(), note: '', confidence: '' },
    async (body, v) => {
      await api('POST', '/api/v1/checkins', body);
      props.onDone();
      const k = props.kpis.find((x) => x.id === v.kpi);
      return `Recorded ${v.value} for ${k?.name || v.kpi} on ${v.date}.`;
    },
    (v) => {
      const body: Record<string, unknown> = { kpi: v.kpi, date: v.date };
      // The value goes as typed when it is not a number, so that the API's message says why.
      if (v.value.trim() !== '') body.value = Number.isFinite(Number(v.value)) ? Number(v.value) : v.value;
      if (v.note.trim()) body.note = v.note.trim();
      if (v.confidence) body.confidence = v.confidence;
      return body;
    },
    ['kpi', 'date'],
  );
  const { values, set, errors } = form;

  return (
    <section aria-labelledby="checkin-title" class="form-section">
      <h2 id="checkin-title">Record a check-in</h2>
      <form onSubmit={form.onSubmit} noValidate class="checkin-form">
        <GeneralError text={errors.general} />
        <Field id="checkin-kpi" label="KPI" error={errors.fields.kpi}>
          {(aria) => (
            <select {...aria} value={values.kpi} onChange={set('kpi')}>
              {props.kpis.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name || k.id}
                  {k.unit ? ` (${k.unit})` : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="checkin-value" label="Value" error={errors.fields.value}>
          {(aria) => <input {...aria} inputMode="decimal" autoComplete="off" value={values.value} onInput={set('value')} />}
        </Field>
        <Field id="checkin-date" label="Date" error={errors.fields.date}>
          {(aria) => <input {...aria} type="date" value={values.date} onInput={set('date')} />}
        </Field>
        <Field id="checkin-note" label="Note" error={errors.fields.note} grow>
          {(aria) => <input {...aria} value={values.note} onInput={set('note')} />}
        </Field>
        <Field id="checkin-confidence" label="Confidence" error={errors.fields.confidence}>
          {(aria) => (
            <select {...aria} value={values.confidence} onChange={set('confidence')}>
              <option value="">No judgement</option>
              <option value="on_track">On track</option>
              <option value="at_risk">At risk</option>
              <option value="off_track">Off track</option>
            </select>
          )}
        </Field>
        <SubmitRow busy={form.busy} text="Record check-in" busyText="Recording…" done={form.done} />
      </form>
    </section>
  );
}
