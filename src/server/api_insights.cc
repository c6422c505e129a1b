// Insights over HTTP: the review agenda and recorded reviews, correlation, funnel and experiment
// analyses, allocation and scorecards. Each answers exactly what the CLI's --json prints for the
// same command (io/insight_json.h), and each computed one takes ?as_of=.
#include <algorithm>
#include <initializer_list>

#include "analytics/allocation.h"
#include "analytics/breakdown.h"
#include "analytics/correlation.h"
#include "analytics/experiment.h"
#include "analytics/funnel.h"
#include "analytics/recognition.h"
#include "analytics/review.h"
#include "analytics/todo.h"
#include "io/entity_json.h"
#include "io/insight_json.h"
#include "server/api_internal.h"

namespace cascade {
namespace {

using nlohmann::json;

// Refuses (400, naming it) a query parameter the route does not read.
Result<void> OnlyParams(const HttpRequest& req, std::initializer_list<std::string_view> allowed) {
  for (const auto& [name, value] : req.query) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return Error::Invalid("'" + name + "' is not a parameter here; use " + list, "", "", name);
    }
  }
  return Ok();
}

// A unknown id named in a query parameter keeps its 404; one named in a body is a 422.
Error AsInvalid(Error e) {
  if (e.code == ErrorCode::kNotFound) e.code = ErrorCode::kInvalid;
  return e;
}

// The workspace as stored and its roll-up as of ?as_of=.
struct Computed {
  std::shared_ptr<const WorkspaceSnapshot> snap;
  std::shared_ptr<const Rollup> rollup;
  Date as_of;
  const Workspace& ws() const { return snap->ws(); }
};

// The snapshot and roll-up, or a ready refusal.
std::optional<Computed> Compute(Call& call, HttpResponse& refusal) {
  auto as_of = AsOfParam(call.req, call.Today());
  if (!as_of) {
    refusal = ErrorResponse(as_of.error(), true);
    return std::nullopt;
  }
  auto snap = call.Snapshot();
  if (!snap) {
    refusal = ErrorResponse(snap.error());
    return std::nullopt;
  }
  auto rollup = (*snap)->RollupAsOf(*as_of);
  return Computed{std::move(*snap), std::move(rollup), *as_of};
}

// GET /api/v1/review?team=&as_of=: `review --json`, the agenda.
HttpResponse GetReviewAgenda(Call& call) {
  if (auto r = OnlyParams(call.req, {"team", "as_of"}); !r) return ErrorResponse(r.error(), true);
  HttpResponse refusal;
  auto c = Compute(call, refusal);
  if (!c) return refusal;
  auto agenda = BuildReviewAgenda(c->ws(), *c->rollup, call.req.Query("team").value_or(""));
  if (!agenda) return ErrorResponse(agenda.error());
  return JsonResponse(200, ReviewAgendaToJson(c->ws(), *c->rollup, *agenda));
}

// GET /api/v1/reviews?team=: `review list --json`.
HttpResponse ListReviews(Call& call) {
  // as_of: accepted everywhere, unused here (as by `review list --as-of`).
  if (auto r = OnlyParams(call.req, {"team", "as_of"}); !r) return ErrorResponse(r.error(), true);
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const auto team = call.req.Query("team");
  std::vector<Review> reviews;
  for (const Review& r : (*snap)->entities().reviews) {
    if (!team || r.team == *team) reviews.push_back(r);
  }
  return JsonResponse(200, ReviewListToJson(reviews));
}

// GET /api/v1/reviews/{seq}: `review show N --json`, with its snapshot.
HttpResponse GetReview(Call& call) {
  const std::string number = call.req.Param("seq");
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  for (const Review& r : (*snap)->entities().reviews) {
    if (std::to_string(r.seq) == number) return JsonResponse(200, ToJson(r));
  }
  return ErrorResponse(
      Error::NotFound("review #" + number + " does not exist", "review", number, "seq"));
}

// POST /api/v1/reviews?as_of= {"team", "notes"}: records a review held as of ?as_of= (default
// today) with every goal's progress, and answers as `review --record --json` prints: the agenda
// and {"recorded": {seq, date, team, notes}}.
HttpResponse PostReview(Call& call) {
  HttpResponse refusal;
  auto body = JsonBody(call.req, refusal);
  if (!body) return refusal;
  if (!body->is_object()) return ErrorResponse(400, "invalid", "the body must be a JSON object");
  if (auto r = OnlyParams(call.req, {"as_of"}); !r) return ErrorResponse(r.error(), true);
  std::string team, notes;
  for (const auto& [key, value] : body->items()) {
    if (key != "team" && key != "notes") {
      return ErrorResponse(400, "invalid",
                           "unknown field '" + key + "'; the fields are: team, notes", key);
    }
    if (key == "team" && !value.is_null() && !value.is_string()) {
      return ErrorResponse(400, "invalid", "'team' must be a team id or null", key);
    }
    if (key == "notes" && !value.is_string()) {
      return ErrorResponse(400, "invalid", "'notes' must be a string", key);
    }
    if (value.is_string()) (key == "team" ? team : notes) = value.get<std::string>();
  }
  auto c = Compute(call, refusal);
  if (!c) return refusal;
  auto agenda = BuildReviewAgenda(c->ws(), *c->rollup, team);
  if (!agenda) return ErrorResponse(AsInvalid(agenda.error()));
  const Review snapshot = SnapshotReview(c->ws(), *c->rollup, team, notes);
  auto changes =
      call.Commit([&](const OperationContext& at) { return RecordReview(at, snapshot); });
  if (!changes) return ErrorResponse(changes.error());
  const int64_t seq = changes->reviews.at(0).seq;  // the store numbers it
  json out = ReviewAgendaToJson(c->ws(), *c->rollup, *agenda);
  out["recorded"] = {{"seq", seq},
                     {"date", snapshot.date.ToString()},
                     {"team", team.empty() ? json(nullptr) : json(team)},
                     {"notes", notes}};
  HttpResponse res = JsonResponse(201, out);
  res.AddHeader("Location", "/api/v1/reviews/" + std::to_string(seq));
  return res;
}

// GET /api/v1/correlation?a=&b=&period=&max_lag=&as_of=: `correlate A B --json`.
HttpResponse GetCorrelation(Call& call) {
  if (auto r = OnlyParams(call.req, {"a", "b", "period", "max_lag", "as_of"}); !r) {
    return ErrorResponse(r.error(), true);
  }
  const auto a = call.req.Query("a");
  const auto b = call.req.Query("b");
  for (const auto& [name, value] : {std::pair{"a", a}, std::pair{"b", b}}) {
    if (!value || value->empty()) {
      return ErrorResponse(
          Error::Invalid(std::string("'") + name + "' is required: a KPI id", "", "", name), true);
    }
  }
  const std::string period_text = call.req.Query("period").value_or("week");
  const auto period = ParsePeriod(period_text);
  if (!period) {
    return ErrorResponse(
        Error::Invalid("period '" + period_text + "' is not allowed; use day, week or month", "",
                       "", "period"),
        true);
  }
  auto max_lag = IntParam(call.req, "max_lag", 0, kMaxCorrelationLag);
  if (!max_lag) return ErrorResponse(max_lag.error(), true);
  HttpResponse refusal;
  auto c = Compute(call, refusal);
  if (!c) return refusal;
  auto result =
      Correlate(c->ws(), *a, *b, *period, static_cast<int>(max_lag->value_or(4)), c->as_of);
  if (!result) return ErrorResponse(result.error(), true);
  return JsonResponse(200, CorrelationToJson(*result, *a, *b, c->as_of));
}

// GET /api/v1/funnels/{id}/analysis?target=&as_of=: `funnel ID [--target N] --json`.
HttpResponse FunnelAnalysis(Call& call) {
  if (auto r = OnlyParams(call.req, {"target", "as_of"}); !r) return ErrorResponse(r.error(), true);
  auto target = NumberParam(call.req, "target");
  if (!target) return ErrorResponse(target.error(), true);
  HttpResponse refusal;
  auto c = Compute(call, refusal);
  if (!c) return refusal;
  const std::string id = call.req.Param("id");
  auto result = AnalyzeFunnel(c->ws(), *c->rollup, id, *target);
  if (!result) return ErrorResponse(result.error());
  for (const Funnel& f : c->ws().funnels) {
    if (f.id == id) return JsonResponse(200, FunnelToJson(c->ws(), f, *result, c->as_of));
  }
  return ErrorResponse(Error::NotFound("funnel '" + id + "' does not exist", "funnel", id, "id"));
}

// GET /api/v1/allocation?budget=&goal=…&as_of=: `allocate --budget B [--goal ID]… --json`.
HttpResponse GetAllocation(Call& call) {
  if (auto r = OnlyParams(call.req, {"budget", "goal", "as_of"}); !r) {
    return ErrorResponse(r.error(), true);
  }
  auto budget = NumberParam(call.req, "budget");
  if (!budget) return ErrorResponse(budget.error(), true);
  if (!*budget) {
    return ErrorResponse(
        Error::Invalid("'budget' is required: the amount to split", "", "", "budget"), true);
  }
  std::vector<std::string> goals;
  auto [begin, end] = call.req.query.equal_range("goal");
  for (auto it = begin; it != end; ++it) goals.push_back(it->second);
  HttpResponse refusal;
  auto c = Compute(call, refusal);
  if (!c) return refusal;
  auto result = AllocateWorkspaceBudget(c->ws(), *c->rollup, **budget, goals);
  if (!result) return ErrorResponse(result.error());
  return JsonResponse(200, AllocationToJson(*result));
}

// GET /api/v1/breakdown?by=&as_of=: `breakdown --by FIELD --json`.
HttpResponse GetBreakdown(Call& call) {
  if (auto r = OnlyParams(call.req, {"by", "as_of"}); !r) return ErrorResponse(r.error(), true);
  const std::string by = call.req.Query("by").value_or("");
  const auto field = ParseBreakdownField(by);
  if (!field) {
    const std::string what = by.empty() ? std::string("'by' is required")
                                        : "by '" + by + "' is not a field a breakdown groups by";
    return ErrorResponse(
        Error::Invalid(what + "; use " + BreakdownFieldsText(), "", "", "by"), true);
  }
  HttpResponse refusal;
  auto c = Compute(call, refusal);
  if (!c) return refusal;
  return JsonResponse(200,
                      BreakdownToJson(ComputeBreakdown(c->ws(), *c->rollup, *field), c->as_of));
}

// ?from= or ?to=: a date, or nullopt when absent.
Result<std::optional<Date>> DateQuery(const HttpRequest& req, const std::string& name) {
  auto text = req.Query(name);
  if (!text) return std::optional<Date>();
  const std::optional<Date> d = Date::Parse(*text);
  if (!d || !IsEntryDate(*d)) {
    return Error::Invalid(name + " '" + *text + "' is not a date; use YYYY-MM-DD from " +
                              EntryDateRangeText(),
                          "", "", name);
  }
  return std::optional<Date>(*d);
}

// GET /api/v1/experiments/{id}/analysis?as_of=: `experiment show ID --json`.
HttpResponse ExperimentAnalysis(Call& call) {
  if (auto r = OnlyParams(call.req, {"as_of"}); !r) return ErrorResponse(r.error(), true);
  HttpResponse refusal;
  auto c = Compute(call, refusal);
  if (!c) return refusal;
  const std::string id = call.req.Param("id");
  for (const Experiment& e : c->ws().experiments) {
    if (e.id != id) continue;
    auto result = AnalyzeExperiment(e.control, e.variant);
    if (!result) return ErrorResponse(result.error());
    return JsonResponse(200, ExperimentToJson(e, *result));
  }
  return ErrorResponse(
      Error::NotFound("experiment '" + id + "' does not exist", "experiment", id, "id"));
}

// GET /api/v1/scorecards?person=|team=&as_of=: `scorecard [--person P | --team T] --json`; without
// either, the leaderboard.
HttpResponse Scorecards(Call& call) {
  if (auto r = OnlyParams(call.req, {"person", "team", "from", "to", "as_of"}); !r) {
    return ErrorResponse(r.error(), true);
  }
  const std::string person = call.req.Query("person").value_or("");
  const std::string team = call.req.Query("team").value_or("");
  if (!person.empty() && !team.empty()) {
    return ErrorResponse(Error::Invalid("give person or team, not both (without either: the "
                                        "leaderboard)",
                                        "", "", "person"),
                         true);
  }
  auto from = DateQuery(call.req, "from");
  if (!from) return ErrorResponse(from.error(), true);
  auto to = DateQuery(call.req, "to");
  if (!to) return ErrorResponse(to.error(), true);
  auto period = MakeScorePeriod(*from, *to);
  if (!period) return ErrorResponse(period.error(), true);
  HttpResponse refusal;
  auto c = Compute(call, refusal);
  if (!c) return refusal;
  const std::string as_of = c->as_of.ToString();
  if (!person.empty()) {
    auto card = PersonScorecard(c->ws(), *c->rollup, person, *period);
    if (!card) return ErrorResponse(card.error());
    return JsonResponse(200, json{{"as_of", as_of}, {"person", ScorecardToJson(*card)}});
  }
  if (!team.empty()) {
    auto card = TeamScorecard(c->ws(), *c->rollup, team, *period);
    if (!card) return ErrorResponse(card.error());
    auto members = Leaderboard(c->ws(), *c->rollup, team, *period);
    if (!members) return ErrorResponse(members.error());
    json board = LeaderboardToJson(*members, c->as_of);
    return JsonResponse(200, json{{"as_of", as_of},
                                  {"team", ScorecardToJson(*card)},
                                  {"leaderboard", board["leaderboard"]}});
  }
  auto board = Leaderboard(c->ws(), *c->rollup, "", *period);
  if (!board) return ErrorResponse(board.error());
  return JsonResponse(200, LeaderboardToJson(*board, c->as_of));
}

// GET /api/v1/me/todo?person=&as_of=: `todo --json` for the signed-in account's person, or for
// another person named by ?person= (every account reads everything).
HttpResponse MyTodo(Call& call) {
  if (auto r = OnlyParams(call.req, {"person", "as_of"}); !r) return ErrorResponse(r.error(), true);
  std::string person = call.req.Query("person").value_or("");
  if (person.empty()) person = call.who.person;
  if (person.empty()) {
    return ErrorResponse(
        Error::NotFound("account '" + call.who.account +
                            "' is not a person of the workspace, so it has no to-do list: name "
                            "one with ?person=",
                        "person", "", "person"));
  }
  HttpResponse refusal;
  auto c = Compute(call, refusal);
  if (!c) return refusal;
  auto todo = BuildTodoList(c->ws(), *c->rollup, person);
  if (!todo) return ErrorResponse(todo.error());
  return JsonResponse(200, TodoToJson(c->ws(), *todo));
}

}  // namespace

void AddInsightRoutes(ApiRouter& router) {
  const QueryParamDoc as_of{"as_of", "string", "Compute as of this date (default today)", false,
                            "date"};
  router.Add("GET", "/api/v1/review", GetReviewAgenda,
             {.summary = "The review agenda (review --json): off track, at risk, missed, stale, "
                         "achieved since the last review, lint errors, progress changes",
              .tag = "reviews",
              .query = {as_of, {"team", "string", "Only this team and its sub-teams"}},
              .response_schema = "ReviewAgenda",
              .errors = {400, 401, 404}});
  router.Add("GET", "/api/v1/reviews", ListReviews,
             {.summary = "Recorded reviews, oldest first (review list --json)",
              .tag = "reviews",
              .query = {{"team", "string", "Only this team's"}},
              .response_schema = "ReviewList",
              .errors = {400, 401}});
  router.Add("GET", "/api/v1/reviews/{seq}", GetReview,
             {.summary = "One recorded review with its snapshot (review show N --json)",
              .tag = "reviews",
              .response_schema = "Review",
              .errors = {401, 404}});
  router.Add("POST", "/api/v1/reviews", PostReview,
             {.summary = "Record a review (review --record --json): its date (as_of), team, notes "
                         "and every goal's progress; answers the agenda and what was recorded",
              .tag = "reviews",
              .query = {{"as_of", "string", "The review's date (default today)", false, "date"}},
              .request_schema = "ReviewRecord",
              .response_schema = "ReviewAgenda",
              .success_status = 201,
              .errors = {400, 401, 403, 413, 415, 422}});
  router.Add("GET", "/api/v1/correlation", GetCorrelation,
             {.summary = "Lagged correlation of two KPIs: does A lead B? (correlate --json)",
              .tag = "insights",
              .query = {as_of,
                        {"a", "string", "The leading KPI", true},
                        {"b", "string", "The following KPI", true},
                        {"period", "string", "day, week (default) or month"},
                        {"max_lag", "integer", "Largest lag in periods (default 4)"}},
              .response_schema = "Correlation",
              .errors = {400, 401, 404}});
  router.Add("GET", "/api/v1/funnels/{id}/analysis", FunnelAnalysis,
             {.summary = "Funnel rates and, with a target, the volumes each stage must deliver "
                         "(funnel ID --json)",
              .tag = "funnels",
              .query = {as_of, {"target", "number", "The last stage's target N"}},
              .response_schema = "FunnelAnalysis",
              .errors = {400, 401, 404, 422}});
  router.Add("GET", "/api/v1/allocation", GetAllocation,
             {.summary = "Split a budget by growth potential (allocate --json)",
              .tag = "insights",
              .query = {as_of,
                        {"budget", "number", "The budget B", true},
                        {"goal", "string",
                         "A candidate goal (repeat for several; default every active micro goal "
                         "with growth potential)"}},
              .response_schema = "Allocation",
              .errors = {400, 401, 404, 422}});
  router.Add("GET", "/api/v1/breakdown", GetBreakdown,
             {.summary = "Active goals grouped by a field: progress, counts by status, spent and "
                         "cost_per_goal_done (breakdown --by FIELD --json)",
              .tag = "insights",
              .query = {as_of,
                        {"by", "string", "channel, segment, team, stage or cycle", true}},
              .response_schema = "Breakdown",
              .errors = {400, 401}});
  router.Add("GET", "/api/v1/experiments/{id}/analysis", ExperimentAnalysis,
             {.summary = "A pilot test's lift, z, p-value and interval (experiment show --json)",
              .tag = "experiments",
              .query = {as_of},
              .response_schema = "ExperimentAnalysis",
              .errors = {400, 401, 404}});
  router.Add("GET", "/api/v1/me/todo", MyTodo,
             {.summary = "What the signed-in person must do now: check-ins due, goals at risk, "
                         "overdue and upcoming actions, reviews due (todo --json)",
              .tag = "insights",
              .query = {as_of, {"person", "string", "Another person's list"}},
              .response_schema = "Todo",
              .errors = {400, 401, 404}});
  router.Add("GET", "/api/v1/scorecards", Scorecards,
             {.summary = "Recognition: a person's or a team's scorecard, or the leaderboard "
                         "(scorecard --json)",
              .tag = "insights",
              .query = {as_of,
                        {"person", "string", "This person's scorecard"},
                        {"team", "string", "This team's scorecard and its leaderboard"},
                        {"from", "string",
                         "An appraisal period's first day (with to): goals achieved, missed "
                         "goals due and check-ins made in [from, to]"},
                        {"to", "string", "The appraisal period's last day"}},
              .response_schema = "Scorecards",
              .errors = {400, 401, 404}});
}

}  // namespace cascade
