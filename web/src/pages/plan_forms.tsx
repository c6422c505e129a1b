// The Plan page's editing forms (spec §6): edit a goal or a KPI (PATCH with the version it was
// read at, so that someone else's change in between is a 409 said plainly, never overwritten),
// add teams and people (admins). Each API error goes next to the field it names.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Field, GeneralError, inputValue as value, Options, SubmitRow, useAddForm, useSubmit } from '../components/form';
import { clearCache, useApi } from '../load';
import type { Goal, Kpi, Person, Team } from '../types';

// The goals, KPIs, people and teams the forms offer; reload() after a write brings in what it added.
export interface Choices {
  goals: { id: string; title: string }[];
  kpis: Kpi[];
  people: Person[];
  teams: Team[];
  reload: () => void;
}

export function useChoices(edit: boolean): Choices {
  const goals = useApi<{ goals: { id: string; title: string }[] }>(edit ? '/api/v1/goals?limit=1000' : null);
  const kpis = useApi<{ kpis: Kpi[] }>(edit ? '/api/v1/kpis?limit=1000' : null);
  const people = useApi<{ people: Person[] }>(edit ? '/api/v1/people?limit=1000' : null);
  const teams = useApi<{ teams: Team[] }>(edit ? '/api/v1/teams?limit=1000' : null);
  return {
    goals: goals.data?.goals ?? [],
    kpis: kpis.data?.kpis ?? [],
    people: people.data?.people ?? [],
    teams: teams.data?.teams ?? [],
    reload: () => {
      clearCache();
      goals.reload();
      kpis.reload();
      people.reload();
      teams.reload();
    },
  };
}


// A 409: someone saved the same entity after this form read it.
function Conflict(props: { what: string; message: string; onReload: () => void }) {
  return (
    <div class="conflict" role="alert">
      <p>
        <strong>Not saved: someone else changed this {props.what} while you were editing it.</strong> {props.message}
      </p>
      <button type="button" onClick={props.onReload}>
        Load their version
      </button>
    </div>
  );
}

// The fields of a goal the form edits, as text (empty: none).
const goalFields = ['title', 'description', 'parent', 'owner', 'team', 'start', 'due', 'priority', 'state', 'channel', 'tags'] as const;
type GoalForm = Record<(typeof goalFields)[number], string>;

function goalForm(g: Goal): GoalForm {
  return {
    title: g.title,
    description: g.description ?? '',
    parent: g.parent ?? '',
    owner: g.owner ?? '',
    team: g.team ?? '',
    start: g.start ?? '',
    due: g.due ?? '',
    priority: g.priority ?? 'medium',
    state: g.state ?? 'active',
    channel: g.channel ?? '',
    tags: (g.tags ?? []).join(', '),
  };
}

// What changed between `before` and `after`, as the PATCH body's fields.
function goalChanges(before: GoalForm, after: GoalForm): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of goalFields) {
    if (before[f] === after[f]) continue;
    const v = after[f].trim();
    if (f === 'tags') body.tags = v ? v.split(',').map((t) => t.trim()).filter(Boolean) : [];
    else if (f === 'parent' || f === 'owner' || f === 'team' || f === 'start' || f === 'due') body[f] = v || null;
    else body[f] = v;
  }
  return body;
}

// Edits one goal: loaded fresh, saved with the version it was loaded at.
export function EditGoal(props: { id: string; choices: Choices; onSaved?: (title: string) => void; prefix?: string }) {
  const prefix = props.prefix ?? 'edit-goal';
  const [loaded, setLoaded] = useState<{ goal: Goal; form: GoalForm } | null>(null);
  const [form, setForm] = useState<GoalForm | null>(null);
  const [loadError, setLoadError] = useState('');
  const [conflict, setConflict] = useState('');
  const [round, setRound] = useState(0);
  const save = useSubmit(prefix, [...goalFields], async () => {
    setConflict('');
    if (!loaded || !form) return null;
    const body = goalChanges(loaded.form, form);
    if (Object.keys(body).length === 0) return 'Nothing to save: no field changed.';
    body.version = loaded.goal.version;
    try {
      const saved = await api<Goal>('PATCH', `/api/v1/goals/${encodeURIComponent(props.id)}`, body);
      const f = goalForm(saved);
      setLoaded({ goal: saved, form: f });
      setForm(f);
      clearCache();
      props.onSaved?.(saved.title);
      return `Saved ${saved.title} (version ${saved.version}).`;
    } catch (err) {
      // A stale version: said above the form with a way to load the goal afresh.
      if (!(err instanceof ApiError && err.status === 409)) throw err;
      setConflict(err.message);
      return null;
    }
  });
  const errors = save.errors;

  useEffect(() => {
    let live = true;
    setLoadError('');
    api<{ goal: Goal }>('GET', `/api/v1/goals/${encodeURIComponent(props.id)}`)
      .then((d) => {
        if (!live) return;
        const f = goalForm(d.goal);
        setLoaded({ goal: d.goal, form: f });
        setForm(f);
      })
      .catch((e: Error) => live && setLoadError(e.message));
    return () => {
      live = false;
    };
  }, [props.id, round]);

  if (loadError) return <p role="alert">The goal could not be loaded: {loadError}</p>;
  if (!loaded || !form) return <p aria-busy="true">Loading the goal…</p>;
  const set = (k: keyof GoalForm) => (e: Event) => setForm({ ...form, [k]: value(e) });
  const id = (f: string) => `${prefix}-${f}`;

  const others = props.choices.goals.filter((g) => g.id !== props.id);
  return (
    <form onSubmit={save.onSubmit} noValidate class="checkin-form" aria-label={`Edit ${loaded.goal.title}`}>
      {conflict && (
        <Conflict
          what="goal"
          message={conflict}
          onReload={() => {
            setConflict('');
            setRound((r) => r + 1);
          }}
        />
      )}
      <GeneralError text={errors.general} />
      <Field id={id('title')} label="Title" error={errors.fields.title} grow>
        {(aria) => <input {...aria} value={form.title} onInput={set('title')} />}
      </Field>
      <Field id={id('description')} label="Description" error={errors.fields.description} grow>
        {(aria) => <textarea {...aria} rows={2} value={form.description} onInput={set('description')} />}
      </Field>
      <Field id={id('parent')} label="Parent goal" error={errors.fields.parent}>
        {(aria) => (
          <select {...aria} value={form.parent} onChange={set('parent')}>
            <Options none="None" items={others} />
          </select>
        )}
      </Field>
      <Field id={id('owner')} label="Owner" error={errors.fields.owner}>
        {(aria) => (
          <select {...aria} value={form.owner} onChange={set('owner')}>
            <Options none="None" items={props.choices.people} />
          </select>
        )}
      </Field>
      <Field id={id('team')} label="Team" error={errors.fields.team}>
        {(aria) => (
          <select {...aria} value={form.team} onChange={set('team')}>
            <Options none="None" items={props.choices.teams} />
          </select>
        )}
      </Field>
      <Field id={id('start')} label="Start" error={errors.fields.start}>
        {(aria) => <input {...aria} type="date" value={form.start} onInput={set('start')} />}
      </Field>
      <Field id={id('due')} label="Due" error={errors.fields.due}>
        {(aria) => <input {...aria} type="date" value={form.due} onInput={set('due')} />}
      </Field>
      <Field id={id('priority')} label="Priority" error={errors.fields.priority}>
        {(aria) => (
          <select {...aria} value={form.priority} onChange={set('priority')}>
            {['high', 'medium', 'low'].map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={id('state')} label="State" error={errors.fields.state}>
        {(aria) => (
          <select {...aria} value={form.state} onChange={set('state')}>
            {['active', 'draft', 'cancelled'].map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={id('channel')} label="Channel" error={errors.fields.channel}>
        {(aria) => <input {...aria} value={form.channel} onInput={set('channel')} />}
      </Field>
      <Field id={id('tags')} label="Tags (comma-separated)" error={errors.fields.tags}>
        {(aria) => <input {...aria} value={form.tags} onInput={set('tags')} />}
      </Field>
      <SubmitRow busy={save.busy} text="Save goal" busyText="Saving…" done={save.done} />
    </form>
  );
}

export function EditGoalSection({ choices }: { choices: Choices }) {
  const [id, setId] = useState('');
  return (
    <section aria-labelledby="edit-goal-heading" class="form-section">
      <h2 id="edit-goal-heading">Edit a goal</h2>
      <div class="field pick">
        <label for="edit-goal-pick">Goal to edit</label>
        <select id="edit-goal-pick" value={id} onChange={(e) => setId(value(e))}>
          <option value="">Choose a goal</option>
          {choices.goals.map((g) => (
            <option key={g.id} value={g.id}>
              {g.title}
            </option>
          ))}
        </select>
      </div>
      {id && <EditGoal key={id} id={id} choices={choices} onSaved={() => choices.reload()} />}
    </section>
  );
}

const kpiFields = ['name', 'unit', 'kind', 'baseline', 'target', 'direction', 'cadence_days', 'source'] as const;
type KpiForm = Record<(typeof kpiFields)[number], string>;
export const numericKpi = new Set(['baseline', 'target', 'cadence_days']);

function kpiForm(k: Kpi & { cadence_days?: number; source?: string }): KpiForm {
  return {
    name: k.name ?? '',
    unit: k.unit ?? '',
    kind: k.kind,
    baseline: k.baseline === null || k.baseline === undefined ? '' : String(k.baseline),
    target: String(k.target ?? ''),
    direction: k.direction ?? '',
    cadence_days: k.cadence_days === undefined ? '' : String(k.cadence_days),
    source: k.source ?? '',
  };
}

function EditKpi(props: { kpi: Kpi; onSaved: () => void }) {
  const [loaded, setLoaded] = useState<Kpi>(props.kpi);
  const [form, setForm] = useState<KpiForm>(kpiForm(props.kpi));
  const [conflict, setConflict] = useState('');
  const save = useSubmit('edit-kpi', [...kpiFields], async () => {
    setConflict('');
    const before = kpiForm(loaded);
    const body: Record<string, unknown> = {};
    for (const f of kpiFields) {
      if (before[f] === form[f]) continue;
      const t = form[f].trim();
      if (numericKpi.has(f)) body[f] = t === '' ? null : Number.isFinite(Number(t)) ? Number(t) : t;
      else if (f === 'direction') body[f] = t || null;
      else body[f] = t;
    }
    if (Object.keys(body).length === 0) return 'Nothing to save: no field changed.';
    body.version = loaded.version;
    try {
      const saved = await api<Kpi>('PATCH', `/api/v1/kpis/${encodeURIComponent(props.kpi.id)}`, body);
      setLoaded(saved);
      setForm(kpiForm(saved));
      props.onSaved();
      return `Saved KPI ${saved.name || saved.id} (version ${saved.version}).`;
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 409)) throw err;
      setConflict(err.message);
      return null;
    }
  });
  const errors = save.errors;
  const set = (k: keyof KpiForm) => (e: Event) => setForm({ ...form, [k]: value(e) });

  async function reload() {
    setConflict('');
    const k = await api<Kpi>('GET', `/api/v1/kpis/${encodeURIComponent(props.kpi.id)}`);
    setLoaded(k);
    setForm(kpiForm(k));
  }

  return (
    <form onSubmit={save.onSubmit} noValidate class="checkin-form" aria-label={`Edit KPI ${loaded.name || loaded.id}`}>
      {conflict && <Conflict what="KPI" message={conflict} onReload={() => void reload()} />}
      <GeneralError text={errors.general} />
      <Field id="edit-kpi-name" label="Name" error={errors.fields.name} grow>
        {(aria) => <input {...aria} value={form.name} onInput={set('name')} />}
      </Field>
      <Field id="edit-kpi-unit" label="Unit" error={errors.fields.unit}>
        {(aria) => <input {...aria} value={form.unit} onInput={set('unit')} />}
      </Field>
      <Field id="edit-kpi-kind" label="Kind" error={errors.fields.kind}>
        {(aria) => (
          <select {...aria} value={form.kind} onChange={set('kind')}>
            {['level', 'cumulative', 'milestone', 'threshold'].map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="edit-kpi-baseline" label="Baseline" error={errors.fields.baseline}>
        {(aria) => <input {...aria} inputMode="decimal" value={form.baseline} onInput={set('baseline')} />}
      </Field>
      <Field id="edit-kpi-target" label="Target" error={errors.fields.target}>
        {(aria) => <input {...aria} inputMode="decimal" value={form.target} onInput={set('target')} />}
      </Field>
      <Field id="edit-kpi-direction" label="Direction (threshold)" error={errors.fields.direction}>
        {(aria) => (
          <select {...aria} value={form.direction} onChange={set('direction')}>
            <option value="">None</option>
            <option value="above">above</option>
            <option value="below">below</option>
          </select>
        )}
      </Field>
      <Field id="edit-kpi-cadence_days" label="Check in every (days)" error={errors.fields.cadence_days}>
        {(aria) => <input {...aria} inputMode="numeric" value={form.cadence_days} onInput={set('cadence_days')} />}
      </Field>
      <Field id="edit-kpi-source" label="Source" error={errors.fields.source}>
        {(aria) => <input {...aria} value={form.source} onInput={set('source')} />}
      </Field>
      <SubmitRow busy={save.busy} text="Save KPI" busyText="Saving…" done={save.done} />
    </form>
  );
}

export function EditKpiSection({ choices }: { choices: Choices }) {
  const [id, setId] = useState('');
  const kpi = choices.kpis.find((k) => k.id === id);
  return (
    <section aria-labelledby="edit-kpi-heading" class="form-section">
      <h2 id="edit-kpi-heading">Edit a KPI</h2>
      <div class="field pick">
        <label for="edit-kpi-pick">KPI to edit</label>
        <select id="edit-kpi-pick" value={id} onChange={(e) => setId(value(e))}>
          <option value="">Choose a KPI</option>
          {choices.kpis
            .filter((k) => k.kind !== 'formula')
            .map((k) => (
              <option key={k.id} value={k.id}>
                {k.name || k.id} ({k.goal})
              </option>
            ))}
        </select>
      </div>
      {kpi && <EditKpi key={kpi.id} kpi={kpi} onSaved={() => choices.reload()} />}
    </section>
  );
}

export function AddTeam({ choices }: { choices: Choices }) {
  const form = useAddForm('team', { id: '', name: '', parent: '' }, async (body, t) => {
    await api('POST', '/api/v1/teams', body);
    choices.reload();
    return `Added the team ${t.name.trim() || t.id.trim()}.`;
  });
  const { values: t, set, errors } = form;
  return (
    <section aria-labelledby="add-team-title" class="form-section">
      <h2 id="add-team-title">Add a team</h2>
      <form onSubmit={form.onSubmit} noValidate class="checkin-form">
        <GeneralError text={errors.general} />
        <Field id="team-id" label="Team id" error={errors.fields.id}>
          {(aria) => <input {...aria} autoComplete="off" value={t.id} onInput={set('id')} />}
        </Field>
        <Field id="team-name" label="Team name" error={errors.fields.name} grow>
          {(aria) => <input {...aria} value={t.name} onInput={set('name')} />}
        </Field>
        <Field id="team-parent" label="Part of" error={errors.fields.parent}>
          {(aria) => (
            <select {...aria} value={t.parent} onChange={set('parent')}>
              <Options none="No parent team" items={choices.teams} />
            </select>
          )}
        </Field>
        <SubmitRow busy={form.busy} text="Add team" busyText="Adding…" done={form.done} />
      </form>
    </section>
  );
}

export function AddPerson({ choices }: { choices: Choices }) {
  const form = useAddForm('person', { id: '', name: '', email: '', team: '', role: 'member' }, async (body, p) => {
    await api('POST', '/api/v1/people', body);
    choices.reload();
    return `Added ${p.name.trim() || p.id.trim()}.`;
  });
  const { values: p, set, errors } = form;
  return (
    <section aria-labelledby="add-person-title" class="form-section">
      <h2 id="add-person-title">Add a person</h2>
      <form onSubmit={form.onSubmit} noValidate class="checkin-form">
        <GeneralError text={errors.general} />
        <Field id="person-id" label="Person id" error={errors.fields.id}>
          {(aria) => <input {...aria} autoComplete="off" value={p.id} onInput={set('id')} />}
        </Field>
        <Field id="person-name" label="Full name" error={errors.fields.name} grow>
          {(aria) => <input {...aria} autoComplete="off" value={p.name} onInput={set('name')} />}
        </Field>
        <Field id="person-email" label="Email" error={errors.fields.email}>
          {(aria) => <input {...aria} type="email" autoComplete="off" value={p.email} onInput={set('email')} />}
        </Field>
        <Field id="person-team" label="Team" error={errors.fields.team}>
          {(aria) => (
            <select {...aria} value={p.team} onChange={set('team')}>
              <Options none="No team" items={choices.teams} />
            </select>
          )}
        </Field>
        <Field id="person-role" label="Role" error={errors.fields.role}>
          {(aria) => (
            <select {...aria} value={p.role} onChange={set('role')}>
              {['admin', 'lead', 'member', 'viewer'].map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
          )}
        </Field>
        <SubmitRow busy={form.busy} text="Add person" busyText="Adding…" done={form.done} />
      </form>
    </section>
  );
}
