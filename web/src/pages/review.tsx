// Review (spec §6): the agenda of GET /api/v1/review (off track, at risk, missed, stale KPIs, wins
// to celebrate, lint errors, change since the last review, comments), "record review" with notes
// for the roles that may, and the past reviews of GET /api/v1/reviews.
import { api, query } from '../api';
import { Field, GeneralError, Options, SubmitRow, useAddForm } from '../components/form';
import { StatusBadge } from '../components/status';
import { percent, pointsChange, statusGlyphs } from '../format';
import { clearCache, useApi } from '../load';
import { KindMark } from './goal_records';
import { Scroll } from '../components/scroll';
import { Link, location, navigate, withParams } from '../router';
import { mayRecordReview, me } from '../session';
import type { GoalStatus, Person, Team } from '../types';

interface AgendaGoal {
  goal: string;
  title: string;
  owner: string | null;
  team: string | null;
  progress?: number | null;
  expected?: number | null;
  gap?: number | null;
  due?: string | null;
}

interface Agenda {
  as_of: string;
  team: string | null;
  since: { seq: number; date: string; team: string | null; notes: string } | null;
  off_track: AgendaGoal[];
  at_risk: AgendaGoal[];
  missed: AgendaGoal[];
  achieved: AgendaGoal[];
  stale: { kpi: string; name: string; goal: string; owner: string | null; last_checkin: string | null; days_since: number | null; cadence_days: number }[];
  lint_errors: { message?: string; code?: string; id?: string; [k: string]: unknown }[];
  progress_changes: { goal: string; title: string; before: number | null; after: number | null; change: number | null; status: GoalStatus; status_before: GoalStatus | null }[];
  comments: { seq: number; goal: string; author: string | null; date: string; text: string }[];
  lessons?: { seq: number; goal: string; author: string | null; date: string; text: string; kind: 'lesson' | 'decision' }[];
  disagreements?: { goal: string; confidence: GoalStatus; status: GoalStatus; disagreement: number; author: string | null; text: string }[];
}

interface PastReview {
  seq: number;
  date: string;
  team: string | null;
  notes: string;
  goals: number;
}

type Names = (id: string | null) => string;

// The agenda's parts that are a status wear its shape and colour beside the word.
const partStatus: Record<string, GoalStatus | undefined> = { 'off-track': 'off_track', 'at-risk': 'at_risk', missed: 'missed', wins: 'achieved' };

function GoalList(props: { id: string; title: string; items: AgendaGoal[]; empty: string; detail: (g: AgendaGoal) => string; name: Names }) {
  return (
    <section aria-labelledby={props.id} class="agenda-part">
      <h2 id={props.id} class={partStatus[props.id] ? `status-${partStatus[props.id]}` : undefined}>
        {partStatus[props.id] && (
          <span class="part-glyph" aria-hidden="true">
            {statusGlyphs[partStatus[props.id]!]}
          </span>
        )}
        {props.title} <span class="muted">({props.items.length})</span>
      </h2>
      {props.items.length === 0 ? (
        <p class="muted">{props.empty}</p>
      ) : (
        <ul class="agenda">
          {props.items.map((g) => (
            <li key={g.goal}>
              <Link href={`/goal/${encodeURIComponent(g.goal)}`}>{g.title}</Link> <span class="muted">— {props.name(g.owner)}</span>
              <br />
              <span class="agenda-detail">{props.detail(g)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ReviewPage() {
  const team = location.value.params.get('team') ?? '';
  const agenda = useApi<Agenda>('/api/v1/review' + query({ team }));
  const past = useApi<{ reviews: PastReview[] }>('/api/v1/reviews');
  const teams = useApi<{ teams: Team[] }>('/api/v1/teams?limit=1000');
  const people = useApi<{ people: Person[] }>('/api/v1/people?limit=1000');
  const who = me.value;
  const name: Names = (id) => (id ? people.data?.people.find((p) => p.id === id)?.name || id : 'no owner');
  const refresh = () => {
    clearCache();
    agenda.reload();
    past.reload();
  };
  const teamName = (id: string | null) => (id ? teams.data?.teams.find((t) => t.id === id)?.name ?? id : 'the whole company');

  return (
    <section aria-labelledby="review-title">
      <h1 id="review-title">Review</h1>
      <div class="filters">
        <div class="field">
          <label for="review-team">Team</label>
          <select id="review-team" value={team} onChange={(e) => navigate(withParams({ team: (e.target as HTMLSelectElement).value }))}>
            <option value="">All teams</option>
            {(teams.data?.teams ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name || t.id}
              </option>
            ))}
          </select>
        </div>
      </div>
      {agenda.error && <p role="alert" class="error">{agenda.error.message}</p>}
      {!agenda.data ? (
        !agenda.error && <p aria-busy="true">Loading the agenda…</p>
      ) : (
        <AgendaView a={agenda.data} teamName={teamName} name={name} />
      )}
      {who && mayRecordReview(who.role) && (
        <RecordReview team={team || (who.role === 'lead' ? who.team ?? '' : '')} teams={teams.data?.teams ?? []} onDone={refresh} />
      )}
      <section aria-labelledby="past-title">
        <h2 id="past-title">Past reviews</h2>
        {!past.data ? (
          <p aria-busy="true">Loading…</p>
        ) : past.data.reviews.length === 0 ? (
          <p>No review recorded yet.</p>
        ) : (
          <Scroll label="Recorded reviews">
            <table class="checkins past-reviews">
              <caption>Recorded reviews, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">#</th>
                  <th scope="col">Date</th>
                  <th scope="col">Team</th>
                  <th scope="col">Goals</th>
                  <th scope="col">Notes</th>
                </tr>
              </thead>
              <tbody>
                {[...past.data.reviews].reverse().map((r) => (
                  <tr key={r.seq}>
                    <td class="num">{r.seq}</td>
                    <td>{r.date}</td>
                    <td>{teamName(r.team)}</td>
                    <td class="num">{r.goals}</td>
                    <td class="notes">{r.notes}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        )}
      </section>
    </section>
  );
}

// A goal's title from the agenda (its table of changes lists every goal in scope), else its id.
function titleOf(a: Agenda, goal: string): string {
  return a.progress_changes.find((c) => c.goal === goal)?.title ?? goal;
}

// Goals whose owner's judgement and numbers differ, largest difference first, in the API's words.
function Disagreements({ a }: { a: Agenda }) {
  const list = a.disagreements ?? [];
  return (
    <section aria-labelledby="disagreements" class="agenda-part">
      <h2 id="disagreements">
        <span class="part-glyph" aria-hidden="true">
          ⚠
        </span>
        Judgement and numbers disagree <span class="muted">({list.length})</span>
      </h2>
      {list.length === 0 ? (
        <p class="muted">Every judgement given agrees with the numbers.</p>
      ) : (
        <ul class="agenda">
          {list.map((d) => (
            <li key={d.goal}>
              <Link href={`/goal/${encodeURIComponent(d.goal)}`}>{titleOf(a, d.goal)}</Link>
              <br />
              <span class="agenda-detail">
                {d.text} ({d.disagreement === 2 ? 'two steps apart' : 'one step apart'})
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AgendaView({ a, teamName, name }: { a: Agenda; teamName: (id: string | null) => string; name: Names }) {
  const gap = (g: AgendaGoal) => `${percent(g.progress)} done, ${percent(g.expected)} expected by now`;
  return (
    <>
      <p class="summary">
        Agenda for {teamName(a.team)} as of {a.as_of}
        {a.since ? `, since review #${a.since.seq} of ${a.since.date}` : ', no review recorded before'}.
      </p>
      <GoalList id="off-track" title="Off track" items={a.off_track} empty="No goal is off track." detail={gap} name={name} />
      <GoalList id="at-risk" title="At risk" items={a.at_risk} empty="No goal is at risk." detail={gap} name={name} />
      <Disagreements a={a} />
      <GoalList id="missed" title="Missed" items={a.missed} empty="No goal was missed." detail={(g) => `${percent(g.progress)} done by ${g.due ?? '—'}`} name={name} />
      <section aria-labelledby="stale" class="agenda-part">
        <h2 id="stale">
          Stale KPIs <span class="muted">({a.stale.length})</span>
        </h2>
        {a.stale.length === 0 ? (
          <p class="muted">Every KPI is up to date.</p>
        ) : (
          <ul class="agenda">
            {a.stale.map((s) => (
              <li key={s.kpi}>
                <Link href={`/goal/${encodeURIComponent(s.goal)}`}>{s.name || s.kpi}</Link> <span class="muted">— {name(s.owner)}</span>
                <br />
                <span class="agenda-detail">
                  {s.last_checkin ? `last check-in ${s.last_checkin}, ${s.days_since} days ago` : 'never checked in'}; expected every {s.cadence_days} days
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <GoalList id="wins" title="Wins to celebrate" items={a.achieved} empty="No goal achieved since the last review." detail={() => 'achieved'} name={name} />
      <section aria-labelledby="lint" class="agenda-part">
        <h2 id="lint">
          Lint errors <span class="muted">({a.lint_errors.length})</span>
        </h2>
        {a.lint_errors.length === 0 ? (
          <p class="muted">The plan has no lint error.</p>
        ) : (
          <ul class="agenda">
            {a.lint_errors.map((e, i) => (
              <li key={i}>{String(e.message ?? JSON.stringify(e))}</li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="review-comments" class="agenda-part">
        <h2 id="review-comments">
          Comments since the last review <span class="muted">({a.comments.length})</span>
        </h2>
        {a.comments.length === 0 ? (
          <p class="muted">No comment since the last review.</p>
        ) : (
          <ul class="agenda">
            {a.comments.map((c) => (
              <li key={c.seq}>
                <strong>{c.author ? name(c.author) : '—'}</strong> <span class="muted">{c.date}</span> on{' '}
                <Link href={`/goal/${encodeURIComponent(c.goal)}`}>{c.goal}</Link>
                <br />
                <span class="agenda-detail notes">{c.text}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="lessons" class="agenda-part">
        <h2 id="lessons">
          Lessons and decisions since the last review <span class="muted">({(a.lessons ?? []).length})</span>
        </h2>
        {(a.lessons ?? []).length === 0 ? (
          <p class="muted">No lesson or decision recorded since the last review.</p>
        ) : (
          <ul class="agenda">
            {(a.lessons ?? []).map((c) => (
              <li key={c.seq} class={`marked kind-${c.kind}`}>
                <KindMark kind={c.kind} /> <strong>{c.author ? name(c.author) : '—'}</strong> <span class="muted">{c.date}</span> on{' '}
                <Link href={`/goal/${encodeURIComponent(c.goal)}`}>{titleOf(a, c.goal)}</Link>
                <br />
                <span class="agenda-detail notes">{c.text}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="changes" class="agenda-part">
        <h2 id="changes">Change since the last review</h2>
        {a.progress_changes.length === 0 ? (
          <p class="muted">No change to show.</p>
        ) : (
          <Scroll label="Progress then and now">
            <table class="checkins changes">
              <caption>Progress then and now, by goal</caption>
              <thead>
                <tr>
                  <th scope="col">Goal</th>
                  <th scope="col">Then</th>
                  <th scope="col">Now</th>
                  <th scope="col">Change</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {a.progress_changes.map((c) => (
                  <tr key={c.goal}>
                    <td>
                      <Link href={`/goal/${encodeURIComponent(c.goal)}`}>{c.title}</Link>
                    </td>
                    <td class="num">{percent(c.before)}</td>
                    <td class="num">{percent(c.after)}</td>
                    <td class="num">{pointsChange(c.change)}</td>
                    <td>
                      <StatusBadge status={c.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        )}
      </section>
    </>
  );
}

function RecordReview(props: { team: string; teams: Team[]; onDone: () => void }) {
  const form = useAddForm(
    'record',
    { team: props.team, notes: '' },
    async (body) => {
      const r = await api<{ recorded: { seq: number; date: string } }>('POST', '/api/v1/reviews', body);
      props.onDone();
      return `Recorded review #${r.recorded.seq} of ${r.recorded.date}.`;
    },
    (r) => ({ team: r.team || null, notes: r.notes }),
    ['team'],
  );
  const { values: r, set, errors } = form;
  return (
    <section aria-labelledby="record-title" class="form-section">
      <h2 id="record-title">Record this review</h2>
      <form onSubmit={form.onSubmit} noValidate class="comment-form">
        <GeneralError text={errors.general} />
        <Field id="record-team" label="Team reviewed" error={errors.fields.team}>
          {(aria) => (
            <select {...aria} value={r.team} onChange={set('team')}>
              <Options none="The whole company" items={props.teams} />
            </select>
          )}
        </Field>
        <Field id="record-notes" label="Notes" error={errors.fields.notes} grow>
          {(aria) => <textarea {...aria} rows={3} value={r.notes} onInput={set('notes')} />}
        </Field>
        <SubmitRow busy={form.busy} text="Record review" busyText="Recording…" done={form.done} />
      </form>
    </section>
  );
}
