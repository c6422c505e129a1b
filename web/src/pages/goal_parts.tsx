// The goal page's actions (with owners, due dates and dependencies; added and ticked off by those
// whose role allows) and its history (who changed the goal, its KPIs and actions, and when).
import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../api';
import { Dialog } from '../components/dialog';
import { Field, GeneralError, Options, SubmitRow, useAddForm } from '../components/form';
import { fieldValue as show, todayUtc } from '../format';
import { liveTick } from '../live';
import type { Action, HistoryEntry, Person } from '../types';
import { EditGoal, useChoices } from './plan_forms';

type Name = (id: string | null | undefined) => string;

// An id from a title: "Brief the agency!" → "brief-the-agency".
export function slug(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

export function Actions(props: {
  goal: string;
  actions: Action[];
  edit: boolean;
  people: Person[];
  name: Name;
  onDone: () => void;
}) {
  const { actions, name } = props;
  const byId = new Map(actions.map((a) => [a.id, a]));
  const [error, setError] = useState<{ id: string; text: string } | null>(null);
  const [busy, setBusy] = useState('');
  // A ticked box shows ticked at once; the next answer from the server replaces the guess.
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  useEffect(() => setTicked({}), [actions]);
  const today = todayUtc();

  async function toggle(a: Action) {
    setBusy(a.id);
    setError(null);
    setTicked((t) => ({ ...t, [a.id]: !a.done }));
    try {
      await api('PATCH', `/api/v1/actions/${encodeURIComponent(a.id)}`, { done: !a.done, version: a.version });
      props.onDone();
    } catch (err) {
      setTicked((t) => ({ ...t, [a.id]: a.done }));
      setError({ id: a.id, text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy('');
    }
  }

  const open = actions.filter((a) => !a.done).length;
  return (
    <section aria-labelledby="actions-title">
      <h2 id="actions-title">
        Actions{' '}
        {actions.length > 0 && (
          <span class="muted">
            ({open} open of {actions.length})
          </span>
        )}
      </h2>
      {actions.length === 0 && <p>No action yet.</p>}
      {actions.length > 0 && (
        <ul class="action-list">
          {actions.map((a) => {
            const waiting = a.depends_on.filter((d) => !byId.get(d)?.done);
            const late = !a.done && a.due !== null && a.due < today;
            return (
              <li key={a.id} class={a.done ? 'action done-action' : 'action'}>
                {props.edit ? (
                  <input
                    type="checkbox"
                    id={`done-${a.id}`}
                    checked={ticked[a.id] ?? a.done}
                    disabled={busy === a.id}
                    onChange={() => void toggle(a)}
                    aria-describedby={error?.id === a.id ? `done-${a.id}-error` : undefined}
                  />
                ) : (
                  <span class="action-mark" aria-hidden="true">
                    {a.done ? '☑' : '☐'}
                  </span>
                )}
                <div class="action-body">
                  {props.edit ? (
                    <label for={`done-${a.id}`} class="action-title">
                      {a.title}
                      <span class="visually-hidden">{a.done ? ' (done)' : ' (open)'}</span>
                    </label>
                  ) : (
                    <span class="action-title">
                      <span class="visually-hidden">{a.done ? 'Done: ' : 'Open: '}</span>
                      {a.title}
                    </span>
                  )}
                  <span class="action-facts">
                    {name(a.owner)} · {a.due ? (late ? <strong class="late">overdue since {a.due}</strong> : `due ${a.due}`) : 'no due date'}
                    {a.depends_on.length > 0 && (
                      <>
                        {' · '}
                        {waiting.length > 0 ? 'waits for ' : 'after '}
                        {a.depends_on.map((d) => byId.get(d)?.title ?? d).join(', ')}
                      </>
                    )}
                  </span>
                  {error?.id === a.id && (
                    <p id={`done-${a.id}-error`} class="field-error">
                      {error.text}
                    </p>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {props.edit && <AddAction goal={props.goal} actions={actions} people={props.people} onDone={props.onDone} />}
    </section>
  );
}

function AddAction(props: { goal: string; actions: Action[]; people: Person[]; onDone: () => void }) {
  const form = useAddForm(
    'action',
    { title: '', id: '', owner: '', due: '', depends_on: '' },
    async (body, a) => {
      await api('POST', '/api/v1/actions', body);
      props.onDone();
      return `Added the action ${a.title.trim()}.`;
    },
    (a) => {
      const body: Record<string, unknown> = { goal: props.goal };
      const id = a.id.trim() || slug(a.title);
      if (id) body.id = id;
      if (a.title.trim()) body.title = a.title.trim();
      if (a.owner) body.owner = a.owner;
      if (a.due) body.due = a.due;
      if (a.depends_on) body.depends_on = [a.depends_on];
      return body;
    },
  );
  const { values: a, set, errors } = form;
  return (
    <form onSubmit={form.onSubmit} noValidate class="checkin-form add-action" aria-labelledby="add-action-title">
      <h3 id="add-action-title" class="form-title">
        Add an action
      </h3>
      <GeneralError text={errors.general} />
      <Field id="action-title" label="Action" error={errors.fields.title} grow>
        {(aria) => <input {...aria} value={a.title} onInput={set('title')} />}
      </Field>
      <Field id="action-id" label="Id (from the title if empty)" error={errors.fields.id}>
        {(aria) => <input {...aria} autoComplete="off" placeholder={slug(a.title)} value={a.id} onInput={set('id')} />}
      </Field>
      <Field id="action-owner" label="Owner" error={errors.fields.owner}>
        {(aria) => (
          <select {...aria} value={a.owner} onChange={set('owner')}>
            <Options none="Nobody yet" items={props.people} />
          </select>
        )}
      </Field>
      <Field id="action-due" label="Due" error={errors.fields.due}>
        {(aria) => <input {...aria} type="date" value={a.due} onInput={set('due')} />}
      </Field>
      {props.actions.length > 0 && (
        <Field id="action-depends_on" label="After" error={errors.fields.depends_on}>
          {(aria) => (
            <select {...aria} value={a.depends_on} onChange={set('depends_on')}>
              <Options none="No other action" items={props.actions} />
            </select>
          )}
        </Field>
      )}
      <SubmitRow busy={form.busy} text="Add action" busyText="Adding…" done={form.done} />
    </form>
  );
}

const kindWords: Record<string, string> = {
  goal: 'the goal',
  kpi: 'KPI',
  action: 'action',
  checkin: 'check-in',
  comment: 'comment',
};


// One history entry in words: "Ava checked in 5 on tracker-share for 2026-12-04".
export function describe(e: HistoryEntry, kpiName: (id: string) => string): string {
  const after = e.after ?? {};
  const before = e.before ?? {};
  const what = e.kind === 'goal' ? 'the goal' : `${kindWords[e.kind] ?? e.kind} ${e.kind === 'kpi' ? kpiName(e.entity ?? '') : e.entity ?? ''}`.trim();
  if (e.kind === 'checkin' && e.op === 'create') {
    return `checked in ${show(after.value)} on ${kpiName(String(after.kpi ?? e.entity ?? ''))} for ${show(after.date)}` + (after.note ? ` (“${String(after.note)}”)` : '');
  }
  if (e.kind === 'checkin' && e.op === 'import') return `imported ${show(after.count)} check-ins`;
  if (e.kind === 'comment' && e.op === 'create') return `commented: “${String(after.text ?? '')}”`;
  if (e.op === 'create') return e.kind === 'action' ? `added the action “${String(after.title ?? e.entity)}”` : `created ${what}`;
  if (e.op === 'delete') return `deleted ${what}`;
  if (e.op === 'update') {
    const changed = Object.keys({ ...before, ...after }).filter(
      (k) => k !== 'version' && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
    );
    if (e.kind === 'action' && changed.length === 1 && changed[0] === 'done') {
      return `${after.done ? 'completed' : 'reopened'} the action “${String(after.title ?? e.entity)}”`;
    }
    if (changed.length === 0) return `saved ${what} unchanged`;
    return `changed ${what}: ` + changed.map((k) => `${k} ${show(before[k])} → ${show(after[k])}`).join('; ');
  }
  return `${e.op} ${what}`;
}

// The history of the goal, its KPIs and its actions, newest first.
export function History(props: { goal: string; kpis: { id: string; name: string }[]; actions: string[]; name: Name }) {
  const ids = [props.goal, ...props.kpis.map((k) => k.id), ...props.actions];
  const key = ids.join(',');
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null);
  const [failed, setFailed] = useState('');
  const [all, setAll] = useState(false);
  const tick = liveTick.value;

  useEffect(() => {
    let live = true;
    Promise.all(ids.map((id) => api<{ history: HistoryEntry[] }>('GET', '/api/v1/history' + query({ id }))))
      .then((lists) => {
        if (!live) return;
        const seen = new Set<number>();
        const merged = lists
          .flatMap((l) => l.history)
          .filter((e) => !seen.has(e.seq) && seen.add(e.seq))
          .sort((a, b) => b.seq - a.seq);
        setEntries(merged);
        setFailed('');
      })
      .catch((err: Error) => {
        if (live) setFailed(err.message);
      });
    return () => {
      live = false;
    };
  }, [key, tick]);

  const names = new Map(props.kpis.map((k) => [k.id, k.name || k.id]));
  const kpiName = (id: string) => names.get(id) ?? id;
  const shown = entries ? (all ? entries : entries.slice(0, 10)) : [];
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {failed && <p role="alert">The history could not be loaded: {failed}</p>}
      {!entries && !failed && <p aria-busy="true">Loading the history…</p>}
      {entries && entries.length === 0 && <p>No change recorded yet.</p>}
      {entries && entries.length > 0 && (
        <>
          <ol class="history">
            {shown.map((e) => (
              <li key={e.seq}>
                <time dateTime={e.at} class="muted">
                  {e.at.slice(0, 16).replace('T', ' ')}
                </time>{' '}
                <strong>{props.name(e.actor)}</strong> {describe(e, kpiName)}
              </li>
            ))}
          </ol>
          {entries.length > shown.length && (
            <button type="button" class="link" onClick={() => setAll(true)}>
              Show all {entries.length} changes
            </button>
          )}
        </>
      )}
    </section>
  );
}

// "Edit goal" on the goal page: the Plan page's goal form in a dialog (Escape closes it).
export function EditGoalButton(props: { id: string; title: string; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" class="secondary" onClick={() => setOpen(true)}>
        Edit goal
      </button>
      {open && (
        <Dialog id="edit-goal-dialog" title={`Edit ${props.title}`} onClose={() => setOpen(false)}>
          <EditGoalInDialog id={props.id} onSaved={props.onSaved} />
        </Dialog>
      )}
    </>
  );
}

function EditGoalInDialog(props: { id: string; onSaved: () => void }) {
  const choices = useChoices(true);
  return <EditGoal id={props.id} choices={choices} prefix="dialog-goal" onSaved={props.onSaved} />;
}
