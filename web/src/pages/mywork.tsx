// My work (spec §6): the signed-in person's to-do list (GET /api/v1/me/todo, `todo` on the CLI) —
// check-ins due, goals at risk, overdue and upcoming actions, reviews due — each item one click
// from being done: the goal's check-in form, the action's "Mark done", the review page.
// ?person= shows another person's list (everyone reads everything).
import { useMemo, useState } from 'preact/hooks';
import { api, ApiError, query } from '../api';
import { kTeamsUrl, kTreeUrl } from '../early';
import { clearCache, useApi } from '../load';
import { Link, location, navigate } from '../router';
import { me } from '../session';
import { percent, statusGlyphs, statusLabels } from '../format';
import { treeModel, type TreeReport } from '../tree';
import type { GoalStatus, Team } from '../types';

interface Todo {
  as_of: string;
  person: string;
  checkins_due: { kpi: string; goal: string; last_checkin: string | null; days_since: number; cadence_days: number }[];
  goals_at_risk: { goal: string; status: GoalStatus }[];
  disagreements: { goal: string; confidence: GoalStatus; status: GoalStatus }[];
  overdue_actions: TodoAction[];
  upcoming_actions: TodoAction[];
  reviews_due: { team: string; last_review: string | null }[];
}
interface TodoAction {
  action: string;
  goal: string;
  title: string;
  due: string;
}

// A status or a judgement as a shape and a word (never colour alone).
function TrackWords({ status }: { status: GoalStatus }) {
  return (
    <span class={`status status-${status}`}>
      <span aria-hidden="true">{statusGlyphs[status]} </span>
      {statusLabels[status]}
    </span>
  );
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function dayDiff(a: string, b: string): number {
  return Math.round((Date.parse(a + 'T00:00:00Z') - Date.parse(b + 'T00:00:00Z')) / 86400000);
}

export function MyWorkPage() {
  const asked = location.value.params.get('person') ?? '';
  const todo = useApi<Todo>('/api/v1/me/todo' + query({ person: asked || undefined }));
  // Titles and numbers of goals from the tree the Cascade page reads (and keeps: often no request).
  const status = useApi<TreeReport>(kTreeUrl);
  const people = useApi<{ people: { id: string; name: string }[] }>('/api/v1/people?limit=1000');
  const [done, setDone] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<{ id: string; message: string } | null>(null);
  const role = me.value?.role;
  const mayEditActions = role === 'admin' || role === 'lead';
  const goals = useMemo(() => new Map((status.data ? treeModel(status.data).goals : []).map((g) => [g.id, g])), [status.data]);
  const title = (id: string) => goals.get(id)?.title ?? id;
  const name = (id: string) => people.data?.people.find((p) => p.id === id)?.name ?? id;
  const teams = useApi<{ teams: Team[] }>(kTeamsUrl);
  const teamName = (id: string) => teams.data?.teams.find((x) => x.id === id)?.name || id;

  async function markDone(a: TodoAction) {
    setError(null);
    setDone((d) => ({ ...d, [a.action]: true }));
    try {
      const stored = await api<{ version: number }>('GET', `/api/v1/actions/${encodeURIComponent(a.action)}`);
      await api('PATCH', `/api/v1/actions/${encodeURIComponent(a.action)}`, { done: true, version: stored.version });
      clearCache();
    } catch (e) {
      setDone((d) => ({ ...d, [a.action]: false }));
      setError({ id: a.action, message: e instanceof ApiError ? e.message : String(e) });
    }
  }

  const t = todo.data;
  const empty =
    t &&
    t.checkins_due.length +
      t.goals_at_risk.length +
      (t.disagreements ?? []).length +
      t.overdue_actions.length +
      t.upcoming_actions.length +
      t.reviews_due.length ===
      0;

  const actionList = (list: TodoAction[], overdue: boolean) => (
    <ul class="agenda todo-actions">
      {list.map((a) => {
        const d = dayDiff(t!.as_of, a.due);
        return (
          <li key={a.action}>
            <Link href={`/goal/${encodeURIComponent(a.goal)}`}>{a.title || a.action}</Link>{' '}
            <span class={overdue ? 'late' : 'muted'}>
              due {a.due} ({overdue ? `${days(d)} overdue` : d === 0 ? 'today' : `in ${days(-d)}`})
            </span>{' '}
            {mayEditActions &&
              (done[a.action] ? (
                <span role="status">Done ✓</span>
              ) : (
                <button
                  type="button"
                  class="secondary"
                  onClick={() => markDone(a)}
                  aria-label={`Mark done: ${a.title || a.action}`}
                  aria-describedby={error?.id === a.action ? `todo-${a.action}-error` : undefined}
                >
                  Mark done
                </button>
              ))}
            {error?.id === a.action && (
              <span id={`todo-${a.action}-error`} role="alert" class="error">
                {' '}
                {error.message}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );

  return (
    <section aria-labelledby="mywork-title">
      <h1 id="mywork-title">{asked && asked !== me.value?.person ? `Work of ${name(asked)}` : 'My work'}</h1>
      <form
        class="todo-person"
        onSubmit={(e) => e.preventDefault()}
      >
        <label for="todo-person">Whose list</label>
        <select
          id="todo-person"
          value={asked || me.value?.person || ''}
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            navigate('/my-work' + query({ person: v && v !== me.value?.person ? v : undefined }));
          }}
        >
          {!me.value?.person && !asked && <option value="">Choose a person</option>}
          {(people.data?.people ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name || p.id}
              {p.id === me.value?.person ? ' (you)' : ''}
            </option>
          ))}
        </select>
      </form>
      {todo.error && (
        <p role="alert" class="error">
          {todo.error.message}
        </p>
      )}
      {!t && !todo.error && <p aria-busy="true">Loading…</p>}
      {t && <p class="muted">As of {t.as_of}.</p>}
      {empty && <p>Nothing to do: every check-in is up to date, no goal is at risk, no action is due within a week.</p>}

      {t && t.checkins_due.length > 0 && (
        <section aria-labelledby="due-title">
          <h2 id="due-title">Check-ins due ({t.checkins_due.length})</h2>
          <ul class="agenda">
            {t.checkins_due.map((c) => {
              const late = c.days_since - c.cadence_days;
              return (
                <li key={c.kpi}>
                  <strong>{c.kpi}</strong> of <Link href={`/goal/${encodeURIComponent(c.goal)}#checkin-title`}>{title(c.goal)}</Link>{' '}
                  <span class={late > 0 ? 'late' : 'muted'}>
                    {c.last_checkin ? `last check-in ${c.last_checkin}, ${days(c.days_since)} ago` : `no check-in in the ${days(c.days_since)} since the start`}
                    {late > 0 ? `: ${days(late)} late` : late === 0 ? ': due today' : ': due tomorrow'}
                  </span>{' '}
                  <Link href={`/goal/${encodeURIComponent(c.goal)}#checkin-title`} class="button-link">
                    Check in {c.kpi}
                  </Link>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {t && t.goals_at_risk.length > 0 && (
        <section aria-labelledby="risk-title">
          <h2 id="risk-title">Goals at risk ({t.goals_at_risk.length})</h2>
          <ul class="agenda">
            {t.goals_at_risk.map((g) => (
              <li key={g.goal}>
                <span class={`status status-${g.status}`}>
                  <span aria-hidden="true">{statusGlyphs[g.status]} </span>
                  {statusLabels[g.status]}
                </span>{' '}
                <Link href={`/goal/${encodeURIComponent(g.goal)}`}>{title(g.goal)}</Link>{' '}
                <span class="muted">
                  {percent(goals.get(g.goal)?.progress)} of {percent(goals.get(g.goal)?.expected)} expected
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {t && (t.disagreements ?? []).length > 0 && (
        <section aria-labelledby="disagree-title">
          <h2 id="disagree-title">Judgement and numbers disagree ({t.disagreements.length})</h2>
          <ul class="agenda">
            {t.disagreements.map((d) => (
              <li key={d.goal}>
                <Link href={`/goal/${encodeURIComponent(d.goal)}`}>{title(d.goal)}</Link>:{' '}
                judged <TrackWords status={d.confidence} />; the numbers say <TrackWords status={d.status} />
              </li>
            ))}
          </ul>
        </section>
      )}

      {t && t.overdue_actions.length > 0 && (
        <section aria-labelledby="overdue-title">
          <h2 id="overdue-title">Overdue actions ({t.overdue_actions.length})</h2>
          {actionList(t.overdue_actions, true)}
        </section>
      )}
      {t && t.upcoming_actions.length > 0 && (
        <section aria-labelledby="upcoming-title">
          <h2 id="upcoming-title">Actions due within a week ({t.upcoming_actions.length})</h2>
          {actionList(t.upcoming_actions, false)}
        </section>
      )}
      {t && t.reviews_due.length > 0 && (
        <section aria-labelledby="reviews-due-title">
          <h2 id="reviews-due-title">Reviews due ({t.reviews_due.length})</h2>
          <ul class="agenda">
            {t.reviews_due.map((r) => (
              <li key={r.team}>
                Team <strong>{teamName(r.team)}</strong>:{' '}
                {r.last_review ? `last review ${r.last_review} (${days(dayDiff(t.as_of, r.last_review))} ago)` : 'never reviewed'}{' '}
                <Link href={`/review?team=${encodeURIComponent(r.team)}`}>Hold the review</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
