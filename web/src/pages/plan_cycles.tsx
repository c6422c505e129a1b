// The Plan page's cycles (spec §6): every planning period with its dates, state, score (the
// weighted mean progress of its top goals, as `cycle show` has it: a closed cycle's as of its end)
// and its active goals by status, all from GET /api/v1/cycles; for admins and leads, a form to add
// one, buttons to close or reopen one, each asked to be confirmed first, and "Carry over…": a
// dialog that copies chosen unfinished top goals of a cycle into an open one (`goal copy`, POST
// /api/v1/goals/{id}/copy) and shows the drafts it made.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, query } from '../api';
import { Dialog } from '../components/dialog';
import { Field, GeneralError, inputValue, Options, SubmitRow, useAddForm, useFormErrors } from '../components/form';
import { Scroll } from '../components/scroll';
import { countsInWords, number, percent, statusLabels } from '../format';

// A cycle's drafts after its active goals: ", 2 drafts" (nothing when it has none).
function draftsInWords(n: number): string {
  return n === 0 ? '' : `, ${n} draft${n === 1 ? '' : 's'}`;
}
import { clearCache, useApi } from '../load';
import { Link } from '../router';
import type { CycleDetail, GoalCopy, GoalStatus, StatusGoal } from '../types';

const kCyclesUrl = '/api/v1/cycles?limit=1000';

// What carry-over offers: goals begun and not done with. Achieved and cancelled goals are done; a
// draft was never begun (carried-over goals are drafts: offering them again would copy a copy).
const notToCarry = new Set<GoalStatus>(['achieved', 'cancelled', 'draft']);
const isUnfinished = (s: GoalStatus) => !notToCarry.has(s);

export function CyclesSection(props: { edit: boolean }) {
  const list = useApi<{ cycles: CycleDetail[] }>(kCyclesUrl);
  // The cycle whose close or reopen waits for the user's yes.
  const [asking, setAsking] = useState<CycleDetail | null>(null);
  // The cycle whose unfinished goals the carry-over dialog offers.
  const [carrying, setCarrying] = useState<CycleDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState('');
  const [failed, setFailed] = useState('');
  const cycles = list.data?.cycles ?? [];

  function reload() {
    clearCache();
    list.reload();
  }

  async function change(c: CycleDetail) {
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
          <table class="checkins cycles" role="table">
            <caption>Cycles: score and active goals by status (a closed cycle's as of its end)</caption>
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">Cycle</th>
                <th scope="col" role="columnheader">Dates</th>
                <th scope="col" role="columnheader">State</th>
                <th scope="col" role="columnheader">Score</th>
                <th scope="col" role="columnheader">Goals</th>
                {props.edit && <th scope="col" role="columnheader">Change</th>}
              </tr>
            </thead>
            <tbody role="rowgroup">
              {cycles.map((c) => (
                <CycleRow key={c.id} cycle={c} edit={props.edit} busy={busy} onAsk={() => setAsking(c)} onCarry={() => setCarrying(c)} />
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
      {carrying && <CarryOver cycle={carrying} cycles={cycles} onCopied={reload} onClose={() => setCarrying(null)} />}
      {failed && (
        <p class="error" role="alert">
          {failed}
        </p>
      )}
      <p role="status" class="done">
        {done}
      </p>
      {props.edit && <AddCycle onDone={reload} />}
    </section>
  );
}

function cycleButtonId(id: string): string {
  return `cycle-change-${id}`;
}

// Whether the cycle has active goals not yet achieved (its counts are by status).
function hasUnfinished(c: CycleDetail): boolean {
  return Object.entries(c.counts).some(([s, n]) => isUnfinished(s as GoalStatus) && (n ?? 0) > 0);
}

function CycleRow(props: { cycle: CycleDetail; edit: boolean; busy: boolean; onAsk: () => void; onCarry: () => void }) {
  const c = props.cycle;
  const name = c.name || c.id;
  // The roles are written out: on a phone the rows are shown as cards (display: block), which
  // would otherwise take the table's meaning away from assistive technology.
  return (
    <tr role="row">
      <th scope="row" role="rowheader">
        {name}
        {c.name && c.name !== c.id && <span class="muted cycle-id"> ({c.id})</span>}
      </th>
      <td role="cell" data-label="Dates">
        <span class="date">{c.start}</span> to <span class="date">{c.end}</span>
      </td>
      <td role="cell" data-label="State">{c.state}</td>
      <td role="cell" data-label="Score" class="num">{percent(c.score)}</td>
      <td role="cell" data-label="Goals">{`${c.goals} active${c.goals ? ': ' + countsInWords(c.counts) : ''}${draftsInWords(c.drafts ?? 0)}`}</td>
      {props.edit && (
        <td role="cell" class="row-buttons">
          <button type="button" id={cycleButtonId(c.id)} disabled={props.busy} aria-label={`${c.state === 'open' ? 'Close' : 'Reopen'} ${name}…`} onClick={props.onAsk}>
            {c.state === 'open' ? 'Close…' : 'Reopen…'}
          </button>
          {hasUnfinished(c) && (
            <>
              {' '}
              <button type="button" aria-label={`Carry over goals of ${name}…`} onClick={props.onCarry}>
                Carry over…
              </button>
            </>
          )}
        </td>
      )}
    </tr>
  );
}

function Confirm(props: { cycle: CycleDetail; busy: boolean; onYes: () => void; onNo: () => void }) {
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

// Carry-over: the cycle's unfinished top goals (those whose parent is not in it), as of its end
// when closed (the numbers its close recorded), each with a checkbox, and the open cycle to copy
// them into. A goal already carried into that cycle (its default copy `{id}-{cycle}`, as `goal
// copy` names it, is there) says so and starts unchecked; the others start checked. Each chosen
// goal is copied in turn; a refusal of one goal (gone, not the user's to copy) is shown beside it
// and the rest are still copied; a refusal of the target cycle stops there, beside the field. The
// drafts made (and their KPIs, baseline and target) are listed with links.
function CarryOver(props: { cycle: CycleDetail; cycles: CycleDetail[]; onCopied: () => void; onClose: () => void }) {
  const c = props.cycle;
  const name = c.name || c.id;
  const goals = useApi<{ goals: StatusGoal[] }>(
    '/api/v1/goals' + query({ cycle: c.id, limit: '1000', as_of: c.state === 'closed' ? c.end : null }),
  );
  const inCycle = new Set((goals.data?.goals ?? []).map((g) => g.id));
  const unfinished = (goals.data?.goals ?? []).filter((g) => !(g.parent && inCycle.has(g.parent)) && isUnfinished(g.status));
  // The open cycles as the dialog opened: one closed since is refused by the server, beside the field.
  const [targets] = useState(() => props.cycles.filter((x) => x.state === 'open' && x.id !== c.id));
  const [target, setTarget] = useState(targets[0]?.id ?? '');
  const there = useApi<{ goals: StatusGoal[] }>(target ? '/api/v1/goals' + query({ cycle: target, limit: '1000' }) : null);
  const thereIds = new Set((there.data?.goals ?? []).map((g) => g.id));
  // The id of the goal's earlier copy in the target cycle, or null.
  const carried = (id: string) => (thereIds.has(`${id}-${target}`) ? `${id}-${target}` : null);
  // What the user ticked; null until they tick anything: every goal not carried yet.
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const chosen = picked ?? new Set(unfinished.filter((g) => !carried(g.id)).map((g) => g.id));
  const [busy, setBusy] = useState(false);
  const [made, setMade] = useState<GoalCopy[]>([]);
  // The refusals of single goals, by goal id.
  const [refused, setRefused] = useState<Record<string, string>>({});
  const errors = useFormErrors('carry', ['cycle', 'goals']);

  function toggle(id: string) {
    const next = new Set(chosen);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  }

  async function submit(e: Event) {
    e.preventDefault();
    errors.clear();
    setRefused({});
    if (chosen.size === 0) {
      errors.show(new ApiError(0, 'invalid', 'Choose at least one goal to carry over.', 'goals'));
      return;
    }
    if (!target) {
      errors.show(new ApiError(0, 'invalid', `No other cycle is open: add the cycle to copy into first.`, 'cycle'));
      return;
    }
    setBusy(true);
    const left = new Set(chosen);
    const copies: GoalCopy[] = [];
    const refusals: Record<string, string> = {};
    // In the order the goals are listed (the tree's order).
    for (const g of unfinished.filter((x) => chosen.has(x.id))) {
      try {
        copies.push(await api<GoalCopy>('POST', `/api/v1/goals/${encodeURIComponent(g.id)}/copy`, { cycle: target }));
        left.delete(g.id);
      } catch (err) {
        // A refusal of the goal itself belongs beside it, and the next goal is tried; one of the
        // target cycle (or no answer at all) would meet every goal alike: said once, beside the field.
        if (err instanceof ApiError && err.status !== 0 && err.field !== 'cycle') refusals[g.id] = err.message;
        else {
          errors.show(err);
          break;
        }
      }
    }
    setBusy(false);
    setPicked(left);
    setRefused(refusals);
    if (copies.length) {
      setMade([...made, ...copies]);
      props.onCopied();
      there.reload();  // the copies now mark their goals as carried over
    }
    const first = Object.keys(refusals)[0];
    if (first) setTimeout(() => document.getElementById(`carry-goal-${first}`)?.focus(), 0);
  }

  const into = (id: string) => props.cycles.find((x) => x.id === id)?.name || id;
  const copiedGoals = made.flatMap((m) => m.goals);
  const nRefused = Object.keys(refused).length;
  let done = made.length ? `Carried ${goalCount(made.length)} over into ${into(made[made.length - 1].cycle)}.` : '';
  if (nRefused) done += `${done ? ' ' : ''}${goalCount(nRefused)} could not be carried over: the reason is beside ${nRefused === 1 ? 'it' : 'each'}.`;
  return (
    <Dialog id="carry" title={`Carry over goals of ${name}`} onClose={props.onClose}>
      {(goals.error || there.error) && <p role="alert">The goals could not be loaded: {(goals.error ?? there.error)!.message}</p>}
      {(!goals.data || (target && !there.data)) && !goals.error && !there.error && <p aria-busy="true">Loading the goals…</p>}
      {goals.data && (!target || there.data) && (
        <form onSubmit={submit} noValidate class="carry-form">
          <GeneralError text={errors.general} />
          <p class="muted">
            Each goal chosen is copied with its KPIs (baseline: the value today, target kept) and its sub-goals, as drafts in the cycle
            chosen.
          </p>
          <fieldset id="carry-goals" tabIndex={-1} aria-describedby={errors.fields.goals ? 'carry-goals-error' : undefined}>
            <legend>Unfinished goals of {name}</legend>
            {unfinished.length === 0 && <p>None: every top goal of {name} is achieved, cancelled or a draft.</p>}
            {unfinished.map((g) => {
              const copy = carried(g.id);
              const box = `carry-goal-${g.id}`;
              return (
                <div class="check" key={g.id}>
                  <input
                    type="checkbox"
                    id={box}
                    checked={chosen.has(g.id)}
                    onChange={() => toggle(g.id)}
                    aria-invalid={refused[g.id] ? true : undefined}
                    aria-describedby={refused[g.id] ? `${box}-error` : undefined}
                  />
                  <label for={box}>
                    {g.title}{' '}
                    <span class="muted">
                      ({statusLabels[g.status]}
                      {copy && `; already carried over as ${copy}`})
                    </span>
                  </label>
                  {refused[g.id] && (
                    <p id={`${box}-error`} class="field-error">
                      {refused[g.id]}
                    </p>
                  )}
                </div>
              );
            })}
            {errors.fields.goals && (
              <p id="carry-goals-error" class="field-error">
                {errors.fields.goals}
              </p>
            )}
          </fieldset>
          <Field id="carry-cycle" label="Copy into" error={errors.fields.cycle}>
            {(aria) => (
              <select
                {...aria}
                value={target}
                onChange={(e) => {
                  setTarget(inputValue(e));
                  setPicked(null);
                  setRefused({});
                }}
              >
                <Options none={targets.length ? undefined : 'No other open cycle'} items={targets} />
              </select>
            )}
          </Field>
          <SubmitRow busy={busy} text={`Carry over ${goalCount(chosen.size)}`} busyText="Copying…" done={done} />
        </form>
      )}
      {copiedGoals.length > 0 && (
        <section aria-labelledby="carry-made-title">
          <h3 id="carry-made-title">Drafts created</h3>
          <ul class="carry-made">
            {copiedGoals.map((g) => (
              <li key={g.id}>
                <Link href={`/goal/${encodeURIComponent(g.id)}`}>{g.title}</Link> <span class="muted">({g.id})</span>
                <ul>
                  {made
                    .flatMap((m) => m.kpis)
                    .filter((k) => k.goal === g.id)
                    .map((k) => (
                      <li key={k.id}>
                        {k.name}: baseline {number(k.baseline, k.unit)}, target {number(k.target, k.unit)}
                      </li>
                    ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Dialog>
  );
}

function goalCount(n: number): string {
  return n === 1 ? '1 goal' : `${n} goals`;
}

function AddCycle(props: { onDone: () => void }) {
  const form = useAddForm('cycle', { id: '', name: '', start: '', end: '' }, async (body, c) => {
    await api('POST', '/api/v1/cycles', body);
    props.onDone();
    return `Added cycle ${c.name.trim() || c.id.trim()}.`;
  });
  const { values: c, set, errors } = form;
  return (
    <section aria-labelledby="add-cycle-title" class="form-section">
      <h3 id="add-cycle-title">Add a cycle</h3>
      <form onSubmit={form.onSubmit} noValidate class="checkin-form">
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
        <SubmitRow busy={form.busy} text="Add cycle" busyText="Adding…" done={form.done} />
      </form>
    </section>
  );
}
