#include "analytics/review.h"

#include <algorithm>
#include <unordered_map>

#include "analytics/team_scope.h"
#include "analytics/todo.h"
#include "core/goal_team.h"

namespace cascade {

std::string TrackWords(std::string_view s) {
  std::string out(s);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::optional<Disagreement> DisagreementOf(const Workspace& ws, const Rollup& rollup, int g) {
  const GoalResult& r = rollup.goals[static_cast<size_t>(g)];
  if (!r.disagrees || !r.disagreement || r.confidence_kpi < 0 ||
      static_cast<size_t>(r.confidence_kpi) >= ws.kpis.size()) {
    return std::nullopt;
  }
  Disagreement d;
  d.goal = g;
  d.disagreement = *r.disagreement;
  d.confidence = r.confidence;
  d.status = r.status;
  // The judging check-in: of that KPI, date and seq, the last in workspace order (the roll-up's
  // pick among equals). Only check-ins carrying a confidence are compared further.
  const std::string& kpi = ws.kpis[static_cast<size_t>(r.confidence_kpi)].id;
  const Checkin* judged = nullptr;
  for (const Checkin& c : ws.checkins) {
    if (c.confidence != Confidence::kNone && c.seq == r.confidence_seq &&
        c.date == r.confidence_date && c.kpi == kpi) {
      judged = &c;
    }
  }
  const std::string author = judged ? judged->author : std::string();
  d.author = author;
  for (const Person& p : ws.people) {
    if (p.id == author && !p.name.empty()) d.author = p.name;
  }
  // A check-in by nobody (an account or actor that is no person) speaks for no one in particular.
  d.text = (d.author.empty() ? std::string("A check-in") : d.author) + " says " +
           TrackWords(ToString(d.confidence)) + "; the numbers say " +
           TrackWords(ToString(d.status));
  return d;
}

std::optional<int> LastReview(const Workspace& ws, const std::string& team, Date as_of) {
  const TeamScope scope(ws, team);
  std::optional<int> last;
  for (size_t i = 0; i < ws.reviews.size(); ++i) {
    const Review& r = ws.reviews[i];
    if (r.date > as_of) continue;
    if (!scope.everything() && !scope.CoveredBy(r.team)) continue;
    if (!last) {
      last = static_cast<int>(i);
      continue;
    }
    const Review& l = ws.reviews[static_cast<size_t>(*last)];
    if (r.date > l.date || (r.date == l.date && r.seq >= l.seq)) last = static_cast<int>(i);
  }
  return last;
}

Result<ReviewAgenda> BuildReviewAgenda(const Workspace& ws, const Rollup& rollup,
                                       const std::string& team, const std::vector<char>* goals) {
  if (!team.empty() &&
      std::none_of(ws.teams.begin(), ws.teams.end(), [&](const Team& t) { return t.id == team; })) {
    return Error::NotFound("team '" + team + "' does not exist", "team", team, "team");
  }
  const TeamScope scope(ws, team);
  ReviewAgenda out;
  out.as_of = rollup.as_of;
  out.team = team;
  out.since = LastReview(ws, team, rollup.as_of);
  const Review* since = out.since ? &ws.reviews[static_cast<size_t>(*out.since)] : nullptr;
  std::unordered_map<std::string, const ReviewEntry*> before;
  if (since != nullptr) {
    for (const ReviewEntry& e : since->snapshot) before.emplace(e.goal, &e);
  }

  std::vector<char> in_scope(ws.goals.size(), 0);
  std::unordered_map<std::string, int> goal_pos;
  const std::vector<std::string_view> holding = HoldingTeams(ws);
  for (size_t g = 0; g < ws.goals.size(); ++g) {
    in_scope[g] = scope.Contains(std::string(holding[g])) && (goals == nullptr || (*goals)[g]);
    goal_pos.emplace(ws.goals[g].id, static_cast<int>(g));
  }
  auto scoped = [&](const std::string& goal) {
    const auto it = goal_pos.find(goal);
    return it != goal_pos.end() && in_scope[static_cast<size_t>(it->second)];
  };

  for (const int g : rollup.order) {
    if (!in_scope[static_cast<size_t>(g)]) continue;
    const GoalResult& r = rollup.goals[static_cast<size_t>(g)];
    const std::string& id = ws.goals[static_cast<size_t>(g)].id;
    const double gap = r.expected.value_or(0) - r.progress.value_or(0);
    const auto was = before.find(id);
    const ReviewEntry* entry = was == before.end() ? nullptr : was->second;
    switch (r.status) {
      case GoalStatus::kOffTrack:
        out.off_track.push_back({g, gap});
        break;
      case GoalStatus::kAtRisk:
        out.at_risk.push_back({g, gap});
        break;
      case GoalStatus::kMissed:
        out.missed.push_back(g);
        break;
      case GoalStatus::kAchieved:
        if (entry == nullptr || entry->status != ToString(GoalStatus::kAchieved)) {
          out.achieved.push_back(g);
        }
        break;
      default:
        break;
    }
    ProgressChange c;
    c.goal = g;
    c.after = r.progress;
    if (entry != nullptr) {
      c.before = entry->progress;
      c.status_before = entry->status;
    }
    if (c.before && c.after) c.change = *c.after - *c.before;
    out.changes.push_back(c);
  }
  const auto by_gap = [](const GoalGap& a, const GoalGap& b) { return a.gap > b.gap; };
  std::stable_sort(out.off_track.begin(), out.off_track.end(), by_gap);
  std::stable_sort(out.at_risk.begin(), out.at_risk.end(), by_gap);

  // Stale KPIs in cascade order: KPIs grouped under their goals.
  std::unordered_map<std::string, std::vector<int>> kpis_of;
  for (size_t k = 0; k < ws.kpis.size(); ++k)
    kpis_of[ws.kpis[k].goal].push_back(static_cast<int>(k));
  for (const int g : rollup.order) {
    if (!in_scope[static_cast<size_t>(g)]) continue;
    const GoalResult& gr = rollup.goals[static_cast<size_t>(g)];
    for (const int k : kpis_of[ws.goals[static_cast<size_t>(g)].id]) {
      const KpiResult& kr = rollup.kpis[static_cast<size_t>(k)];
      if (!kr.stale) continue;
      const std::optional<Date> from = kr.last_checkin ? kr.last_checkin : gr.start;
      out.stale.push_back({k, from ? rollup.as_of - *from : 0});
    }
  }

  for (Finding& f : LintWorkspace(ws, rollup)) {
    if (f.severity != Severity::kError) continue;
    if (f.goal.empty() ? scope.everything() && goals == nullptr : scoped(f.goal))
      out.lint_errors.push_back(std::move(f));
  }

  for (size_t i = 0; i < ws.comments.size(); ++i) {
    const Comment& c = ws.comments[i];
    if (c.date > rollup.as_of || !scoped(c.goal)) continue;
    if (since != nullptr && c.date <= since->date) continue;
    (c.kind == CommentKind::kComment ? out.comments : out.lessons).push_back(static_cast<int>(i));
  }
  // Oldest first; comments of the same day in the order they were made.
  const auto by_date = [&ws](int a, int b) {
    return ws.comments[static_cast<size_t>(a)].date < ws.comments[static_cast<size_t>(b)].date;
  };
  std::stable_sort(out.comments.begin(), out.comments.end(), by_date);
  std::stable_sort(out.lessons.begin(), out.lessons.end(), by_date);

  for (const int g : rollup.order) {
    if (!in_scope[static_cast<size_t>(g)]) continue;
    if (auto d = DisagreementOf(ws, rollup, g)) out.disagreements.push_back(std::move(*d));
  }
  std::stable_sort(out.disagreements.begin(), out.disagreements.end(),
                   [](const Disagreement& a, const Disagreement& b) {
                     return a.disagreement > b.disagreement;
                   });

  for (size_t i = 0; i < ws.actions.size(); ++i) {
    const Action& a = ws.actions[i];
    if (IsOverdue(a, rollup.as_of) && scoped(a.goal)) out.overdue_actions.push_back(static_cast<int>(i));
  }
  std::stable_sort(out.overdue_actions.begin(), out.overdue_actions.end(), [&ws](int a, int b) {
    return *ws.actions[static_cast<size_t>(a)].due < *ws.actions[static_cast<size_t>(b)].due;
  });
  return out;
}

Review SnapshotReview(const Workspace& ws, const Rollup& rollup, const std::string& team,
                      const std::string& notes) {
  Review r;
  r.date = rollup.as_of;
  r.team = team;
  r.notes = notes;
  for (size_t g = 0; g < ws.goals.size(); ++g) {
    r.snapshot.push_back(
        {ws.goals[g].id, rollup.goals[g].progress, std::string(ToString(rollup.goals[g].status))});
  }
  return r;
}

}  // namespace cascade
