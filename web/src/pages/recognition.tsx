// Recognition (spec §6): the leaderboard and check-in streaks of GET /api/v1/scorecards, and the
// goals achieved since the last review (the review agenda's wins).
import { number, percent } from '../format';
import { useApi } from '../load';
import { Link } from '../router';
import { Scroll } from '../components/scroll';

interface Entry {
  rank: number;
  id: string;
  name: string;
  points: number;
  goal_points: number;
  achieved: number;
  missed: number;
  checkins: number;
  goals_owned: number;
  kpis: number;
  kpis_not_stale: number;
  mean_progress: number | null;
  streak: number;
  streak_cadence_days: number;
}

function cadence(days: number): string {
  if (days === 1) return 'day';
  if (days === 7) return 'week';
  if (days === 14) return 'fortnight';
  return `${days} days`;
}

export function RecognitionPage() {
  const board = useApi<{ as_of: string; leaderboard: Entry[] }>('/api/v1/scorecards');
  const agenda = useApi<{ since: { seq: number; date: string } | null; achieved: { goal: string; title: string; owner: string | null }[] }>('/api/v1/review');
  const entries = board.data?.leaderboard ?? [];
  const streaks = entries.filter((e) => e.streak > 0).sort((x, y) => y.streak - x.streak || x.name.localeCompare(y.name));
  return (
    <section aria-labelledby="recognition-title">
      <h1 id="recognition-title">Recognition</h1>
      {board.error && (
        <p role="alert" class="error">
          {board.error.message}
        </p>
      )}
      <section aria-labelledby="leaderboard-title">
        <h2 id="leaderboard-title">Leaderboard</h2>
        {!board.data ? (
          !board.error && <p aria-busy="true">Loading…</p>
        ) : (
          <Scroll label="Leaderboard">
            <table class="checkins leaderboard">
              <caption>Points as of {board.data.as_of}, from goals achieved and check-ins</caption>
              <thead>
                <tr>
                  <th scope="col">Rank</th>
                  <th scope="col">Person</th>
                  <th scope="col">Points</th>
                  <th scope="col">Achieved</th>
                  <th scope="col">Missed</th>
                  <th scope="col">Check-ins</th>
                  <th scope="col">Mean progress</th>
                  <th scope="col">KPIs up to date</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => (
                  <tr key={e.id}>
                    <td class="num">{e.rank}</td>
                    <th scope="row">{e.name || e.id}</th>
                    <td class="num">{number(e.points)}</td>
                    <td class="num">{e.achieved}</td>
                    <td class="num">{e.missed}</td>
                    <td class="num">{e.checkins}</td>
                    <td class="num">{percent(e.mean_progress)}</td>
                    <td class="num">{percent(e.kpis_not_stale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        )}
      </section>
      <section aria-labelledby="streaks-title">
        <h2 id="streaks-title">Streaks</h2>
        {board.data && streaks.length === 0 && <p>No one has a check-in streak running.</p>}
        <ol class="streaks">
          {streaks.map((e) => (
            <li key={e.id}>
              <strong>{e.name || e.id}</strong>: {e.streak} {cadence(e.streak_cadence_days)}
              {e.streak === 1 ? '' : e.streak_cadence_days === 1 || e.streak_cadence_days === 7 || e.streak_cadence_days === 14 ? 's' : ''} in a row
              with a check-in on time
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="wins-title">
        <h2 id="wins-title">Achieved since the last review</h2>
        {agenda.data && (
          <p class="muted">{agenda.data.since ? `Since review #${agenda.data.since.seq} of ${agenda.data.since.date}.` : 'No review recorded yet: every goal achieved.'}</p>
        )}
        {agenda.data && agenda.data.achieved.length === 0 && <p>No goal achieved since then.</p>}
        <ul class="agenda">
          {(agenda.data?.achieved ?? []).map((g) => (
            <li key={g.goal}>
              <span aria-hidden="true">★ </span>
              <Link href={`/goal/${encodeURIComponent(g.goal)}`}>{g.title}</Link> <span class="muted">— {g.owner ? entries.find((e) => e.id === g.owner)?.name || g.owner : 'no owner'}</span>
            </li>
          ))}
        </ul>
      </section>
    </section>
  );
}
