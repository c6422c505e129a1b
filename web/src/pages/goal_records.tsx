// The goal page's judgement and records: the owner's confidence and, when it disagrees with the
// numbers, the review's words for it; spend against the budget with the spend records and a form to
// add one; comments, lessons and decisions with a form to post one of each kind.
import { api, query } from '../api';
import { Field, GeneralError, SubmitRow, useAddForm } from '../components/form';
import { number, percent, statusGlyphs, statusLabels, todayUtc } from '../format';
import { useApi } from '../load';
import type { Comment, Confidence, Goal, Spend, StatusGoal } from '../types';

type Name = (id: string | null | undefined) => string;

// "▲ at risk": a judgement as the status it names reads, shape and word.
export function ConfidenceWords({ confidence }: { confidence: Confidence }) {
  return (
    <span class={`status status-${confidence}`}>
      <span class="glyph" aria-hidden="true">
        {statusGlyphs[confidence]}
      </span>
      {statusLabels[confidence]}
    </span>
  );
}

interface ReviewDisagreement {
  goal: string;
  text: string;
}

// The goal's confidence (its latest judged check-in's) and, when the numbers say otherwise, the
// sentence the review agenda uses for it ("Dana Lee says on track; the numbers say off track").
export function ConfidenceLine(props: { status: StatusGoal; asOf: string | null }) {
  const { status } = props;
  const review = useApi<{ disagreements: ReviewDisagreement[] }>(status.disagrees ? '/api/v1/review' + query({ as_of: props.asOf }) : null);
  if (!status.confidence) {
    // Only a goal's own KPIs' check-ins carry a judgement (spec §2, Confidence).
    return status.kpis.length > 0 ? <p class="confidence muted">No confidence given yet: a check-in can carry the owner's judgement.</p> : null;
  }
  const agrees = status.confidence === status.status;
  const said = review.data?.disagreements.find((d) => d.goal === status.id)?.text;
  return (
    <div class="confidence">
      <p>
        Confidence: <ConfidenceWords confidence={status.confidence} />
        {agrees && (
          <>
            {' '}
            <span class="muted">(agrees with the numbers)</span>
          </>
        )}
      </p>
      {status.disagrees && (
        <p class="disagreement">
          <span class="glyph" aria-hidden="true">
            ⚠{' '}
          </span>
          <strong>Judgement and numbers disagree:</strong>{' '}
          {said ?? (review.data ? `the judgement says ${statusLabels[status.confidence]}; the numbers say ${statusLabels[status.status]}` : '…')}
        </p>
      )}
    </div>
  );
}

// A spend record counts when dated in [start, min(as of, due)] (spec §2, Spend).
function counted(s: Spend, start: string | null, end: string): boolean {
  return (start === null || s.date >= start) && s.date <= end;
}

export function SpendSection(props: {
  goal: Goal;
  status: StatusGoal;
  spend: Spend[];
  asOf: string | null;
  edit: boolean;
  name: Name;
  onDone: () => void;
}) {
  const { goal, status } = props;
  const spent = status.spent ?? 0;
  const max = goal.budget_max ?? null;
  const left = status.budget_left ?? null;
  const over = left !== null && left < 0;
  const asOf = props.asOf ?? todayUtc();
  const end = status.due && status.due < asOf ? status.due : asOf;
  const rows = [...props.spend].sort((a, b) => (a.date === b.date ? b.seq - a.seq : a.date < b.date ? 1 : -1));
  const share = max ? spent / max : null;
  const label = max === null ? '' : `spent ${percent(share)} of the budget${over ? ', over budget' : ''}`;
  return (
    <section aria-labelledby="spend-title">
      <h2 id="spend-title">Spend</h2>
      <p class="spend-summary">
        Spent <strong>{number(spent)}</strong>
        {max !== null ? (
          <>
            {' '}
            of a budget of {number(max)} ·{' '}
            {over ? <strong class="late">over budget by {number(-left!)}</strong> : <>{number(left)} left</>}
          </>
        ) : (
          ' · no budget limit set'
        )}
        {(goal.budget_min ?? 0) > 0 && <span class="muted"> · at least {number(goal.budget_min)} planned</span>}
      </p>
      {max !== null && (
        <span class={`bar spend-bar${over ? ' over' : ''}`} role="img" aria-label={label} title={label}>
          <span class="fill" style={{ width: `${Math.max(0, Math.min(1, share ?? 0)) * 100}%` }} />
        </span>
      )}
      {rows.length === 0 ? (
        <p>No spend recorded yet.</p>
      ) : (
        <table class="checkins spend">
          <caption>Spend on this goal, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Amount</th>
              <th scope="col">By</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((s) => (
              <tr key={s.seq}>
                <td>{s.date}</td>
                <td class="num">{number(s.amount)}</td>
                <td>{props.name(s.author)}</td>
                <td>
                  {s.note}
                  {!counted(s, status.start, end) && <span class="muted"> (not counted: outside the goal's window)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.edit && <AddSpend goal={goal.id} onDone={props.onDone} />}
    </section>
  );
}

function AddSpend(props: { goal: string; onDone: () => void }) {
  const form = useAddForm(
    'spend',
    { amount: '', date: todayUtc(), note: '' },
    async (body, s) => {
      await api('POST', '/api/v1/spend', body);
      props.onDone();
      return `Recorded ${s.amount.trim()} spent on ${s.date}.`;
    },
    (s) => {
      const body: Record<string, unknown> = { goal: props.goal, date: s.date };
      // The amount goes as typed when it is not a number, so that the API's message says why.
      const amount = s.amount.trim();
      if (amount !== '') body.amount = Number.isFinite(Number(amount)) ? Number(amount) : amount;
      if (s.note.trim()) body.note = s.note.trim();
      return body;
    },
    ['date'],
  );
  const { values: s, set, errors } = form;
  return (
    <form onSubmit={form.onSubmit} noValidate class="checkin-form" aria-labelledby="add-spend-title">
      <h3 id="add-spend-title" class="form-title">
        Record spend
      </h3>
      <GeneralError text={errors.general} />
      <Field id="spend-amount" label="Amount" error={errors.fields.amount}>
        {(aria) => <input {...aria} inputMode="decimal" autoComplete="off" value={s.amount} onInput={set('amount')} />}
      </Field>
      <Field id="spend-date" label="Spent on" error={errors.fields.date}>
        {(aria) => <input {...aria} type="date" value={s.date} onInput={set('date')} />}
      </Field>
      <Field id="spend-note" label="What for" error={errors.fields.note} grow>
        {(aria) => <input {...aria} value={s.note} onInput={set('note')} />}
      </Field>
      <SubmitRow busy={form.busy} text="Record spend" busyText="Recording…" done={form.done} />
    </form>
  );
}

type CommentKind = 'comment' | 'lesson' | 'decision';
const kindWords = { comment: 'Comment', lesson: 'Lesson', decision: 'Decision' } as const;
const kindGlyphs = { comment: '', lesson: '✦', decision: '⚑' } as const;

// A lesson or decision is marked by a word and a shape, never by colour alone.
export function KindMark({ kind }: { kind: Comment['kind'] }) {
  if (!kind || kind === 'comment') return null;
  return (
    <span class={`kind kind-${kind}`}>
      <span aria-hidden="true">{kindGlyphs[kind]} </span>
      {kindWords[kind]}
    </span>
  );
}

export function Comments(props: { goal: string; comments: Comment[]; name: Name; onDone: () => void }) {
  const form = useAddForm(
    'comment',
    { text: '', kind: 'comment' as CommentKind },
    async (body, c) => {
      await api('POST', '/api/v1/comments', body);
      props.onDone();
      return c.kind === 'comment' ? 'Comment added.' : `${kindWords[c.kind]} recorded.`;
    },
    (c) => ({ goal: props.goal, text: c.text, kind: c.kind }),
  );
  const { values: c, set, errors } = form;

  return (
    <section aria-labelledby="comments-title">
      <h2 id="comments-title">Comments, lessons and decisions</h2>
      {props.comments.length === 0 ? (
        <p>No comment yet.</p>
      ) : (
        <ol class="comments">
          {props.comments.map((c, i) => (
            <li key={c.seq ?? i} class={c.kind && c.kind !== 'comment' ? `marked kind-${c.kind}` : undefined}>
              <p class="meta">
                <KindMark kind={c.kind} /> <strong>{props.name(c.author)}</strong> <span class="muted">{c.date}</span>
              </p>
              <p class="text">{c.text}</p>
            </li>
          ))}
        </ol>
      )}
      <form onSubmit={form.onSubmit} noValidate class="comment-form">
        <GeneralError text={errors.general} />
        <Field id="comment-kind" label="Kind" error={errors.fields.kind}>
          {(aria) => (
            <select {...aria} value={c.kind} onChange={set('kind')}>
              <option value="comment">Comment</option>
              <option value="lesson">Lesson learned</option>
              <option value="decision">Decision</option>
            </select>
          )}
        </Field>
        <Field id="comment-text" label="Add a comment, lesson or decision" error={errors.fields.text} grow>
          {(aria) => <textarea {...aria} rows={3} value={c.text} onInput={set('text')} />}
        </Field>
        <SubmitRow busy={form.busy} text={c.kind === 'comment' ? 'Post comment' : `Record ${c.kind}`} busyText="Posting…" done={form.done} />
      </form>
    </section>
  );
}
