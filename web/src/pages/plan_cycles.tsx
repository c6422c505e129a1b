// The Plan page's cycles (spec §6): every planning period with its dates, state, score (the
// weighted mean progress of its top goals, as `cycle show` has it: a closed cycle's as of its end)
// and its active goals by status; for admins and leads, a form to add one and buttons to close or
// reopen one, each asked to be confirmed first. Carrying a goal over (`goal copy`) has no API
// route yet, so the section names the command instead.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { Field, GeneralError, useFormErrors } from '../components/form';
import { Scroll } from '../components/scroll';
import { countsInWords, percent } from '../format';
import { clearCache, useApi } from '../load';
import type { Cycle, CycleDetail } from '../types';

const kCyclesUrl = '/api/v1/cycles?limit=1000';

export function CyclesSection(props: { edit: boolean }) {
  const list = useApi<{ cycles: Cycle[] }>(kCyclesUrl);
  // The cycle whose close or reopen waits for the user's yes.
  const [asking, setAsking] = useState<Cycle | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [failed, setFailed] = useState('');
  const [round, setRound] = useState(0);
  const cycles = list.data?.cycles ?? [];

  function reload() {
    clearCache();
    list.reload();
    setRound((r) => r + 1);
  }

  async function change(c: Cycle) {
    const close = c.state === 'open';
    setBusy(true);
    setFailed('');
    setDone('');
    try {
      await api('POST', `/api/v1/cycles/${encodeURIComponent(c.id)}/${close ? 'close' : 'reopen'}`);
      setDone(`${close ? 'Closed' : 'Reopened'} ${c.name || c.id}.`);
      reload();
    } catch (err) {
      setFailed((err as Error).message);
    } finally {
      setBusy(false);
      setAsking(null);
      // Focus goes back to the row's button (now saying the other thing), never to <body>.
      setTimeout(() => document.getElementById(cycleButtonId(c.id))?.focus(), 0);
    }
  }

  return (
    <section aria-labelledby="cycles-title">
      <h2 id="cycles-title">Cycles</h2>
      {list.error && (
        <p class="error" role="alert">
          The cycles could not be loaded: {list.error.message}
        </p>
      )}
      {!list.data && !list.error && <p aria-busy="true">Loading the cycles…</p>}
      {list.data && cycles.length === 0 && <p>The workspace has no cycle yet.</p>}
      {cycles.length > 0 && (
        <Scroll label="Cycles">
          <table class="checkins cycles">
            <caption>Cycles: score and active goals by status (a closed cycle's as of its end)</caption>
            <thead>
              <tr>
                <th scope="col">Cycle</th>
                <th scope="col">Dates</th>
                <th scope="col">State</th>
                <th scope="col">Score</th>
                <th scope="col">Goals</th>
                {props.edit && <th scope="col">Change</th>}
              </tr>
            </thead>
            <tbody>
              {cycles.map((c) => (
                <CycleRow key={`${c.id}-${round}`} cycle={c} edit={props.edit} busy={busy} onAsk={() => setAsking(c)} />
              ))}
            </tbody>
          </table>
        </Scroll>
      )}
      {asking && <Confirm cycle={asking} busy={busy} onYes={() => void change(asking)} onNo={() => {
        const id = asking.id;
        setAsking(null);
        setTimeout(() => document.getElementById(cycleButtonId(id))?.focus(), 0);
      }} />}
      {failed && (
        <p class="error" role="alert">
          {failed}
        </p>
      )}
      <p role="status" class="done">
        {done}
      </p>
      {props.edit && (
        <>
          <p class="muted">
            To carry an unfinished goal over into another cycle, run <code>cascade goal copy GOAL --cycle NEXT</code>: the dashboard cannot
            yet (the API has no route for it).
          </p>
          <AddCycle onDone={reload} />
        </>
      )}
    </section>
  );
}

function cycleButtonId(id: string): string {
  return `cycle-change-${id}`;
}

function CycleRow(props: { cycle: Cycle; edit: boolean; busy: boolean; onAsk: () => void }) {
  const c = props.cycle;
  const detail = useApi<CycleDetail>(`/api/v1/cycles/${encodeURIComponent(c.id)}`);
  const d = detail.data;
  const name = c.name || c.id;
  return (
    <tr>
      <th scope="row">
        {name}
        {c.name && c.name !== c.id && <span class="muted"> ({c.id})</span>}
      </th>
      <td>
        {c.start} to {c.end}
      </td>
      <td>{c.state}</td>
      <td class="num">{d ? percent(d.score) : detail.error ? '—' : '…'}</td>
      <td>{d ? `${d.goals} active${d.goals ? ': ' + countsInWords(d.counts) : ''}` : detail.error ? detail.error.message : '…'}</td>
      {props.edit && (
        <td>
          <button type="button" id={cycleButtonId(c.id)} disabled={props.busy} aria-label={`${c.state === 'open' ? 'Close' : 'Reopen'} ${name}…`} onClick={props.onAsk}>
            {c.state === 'open' ? 'Close…' : 'Reopen…'}
          </button>
        </td>
      )}
    </tr>
  );
}

function Confirm(props: { cycle: Cycle; busy: boolean; onYes: () => void; onNo: () => void }) {
  const c = props.cycle;
  const close = c.state === 'open';
  const name = c.name || c.id;
  const yes = useRef<HTMLButtonElement>(null);
  useEffect(() => yes.current?.focus(), [c.id]);
  return (
    <div class="confirm cycle-confirm" role="group" aria-labelledby="cycle-confirm-text">
      <p id="cycle-confirm-text">
        {close
          ? `Close ${name}? Each of its goals' progress and status as of ${c.end} is recorded, and its goals change only after it is reopened.`
          : `Reopen ${name}? Its goals can change again.`}
      </p>
      <button type="button" ref={yes} disabled={props.busy} onClick={props.onYes}>
        {props.busy ? (close ? 'Closing…' : 'Reopening…') : `${close ? 'Close' : 'Reopen'} ${name}`}
      </button>
      <button type="button" class="link" onClick={props.onNo}>
        Cancel
      </button>
    </div>
  );
}

const value = (e: Event) => (e.target as HTMLInputElement).value;

function AddCycle(props: { onDone: () => void }) {
  const empty = { id: '', name: '', start: '', end: '' };
  const [c, setC] = useState(empty);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const errors = useFormErrors('cycle', Object.keys(empty));
  const set = (k: keyof typeof empty) => (e: Event) => setC({ ...c, [k]: value(e) });

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setDone('');
    errors.clear();
    const body: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c)) if (v.trim()) body[k] = v.trim();
    try {
      await api('POST', '/api/v1/cycles', body);
      setDone(`Added cycle ${c.name.trim() || c.id.trim()}.`);
      setC(empty);
      props.onDone();
    } catch (err) {
      errors.show(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="add-cycle-title" class="form-section">
      <h3 id="add-cycle-title">Add a cycle</h3>
      <form onSubmit={submit} noValidate class="checkin-form">
        <GeneralError text={errors.general} />
        <Field id="cycle-id" label="Cycle id" error={errors.fields.id}>
          {(aria) => <input {...aria} autoComplete="off" value={c.id} onInput={set('id')} />}
        </Field>
        <Field id="cycle-name" label="Cycle name" error={errors.fields.name} grow>
          {(aria) => <input {...aria} value={c.name} onInput={set('name')} />}
        </Field>
        <Field id="cycle-start" label="First day" error={errors.fields.start}>
          {(aria) => <input {...aria} type="date" value={c.start} onInput={set('start')} />}
        </Field>
        <Field id="cycle-end" label="Last day" error={errors.fields.end}>
          {(aria) => <input {...aria} type="date" value={c.end} onInput={set('end')} />}
        </Field>
        <div class="actions-row">
          <button type="submit" disabled={busy}>
            {busy ? 'Adding…' : 'Add cycle'}
          </button>
        </div>
        <p role="status" class="done">
          {done}
        </p>
      </form>
    </section>
  );
}
