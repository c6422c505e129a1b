// Insights over HTTP: reviews (the agenda and recording one), correlation, funnels, allocation,
// experiments and scorecards, each as the CLI's --json prints it.
#include "analytics/review.h"
#include "io/entity_json.h"
#include "server/api_internal.h"

namespace cascade {
namespace {

using nlohmann::json;

HttpResponse ListReviews(Call& call) {
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const auto team = call.req.Query("team");
  json list = json::array();
  for (const Review& r : (*snap)->ws().reviews) {
    if (!team || r.team == *team) list.push_back(ToJson(r));
  }
  return JsonResponse(200, json{{"reviews", std::move(list)}});
}

// POST /api/v1/reviews {"team", "notes"}: records a review held as of ?as_of= (default today)
// with every goal's progress, as `review --record` does.
HttpResponse RecordReview(Call& call) {
  HttpResponse refusal;
  auto body = JsonBody(call.req, refusal);
  if (!body) return refusal;
  if (!body->is_object()) return ErrorResponse(400, "invalid", "the body must be a JSON object");
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
  auto as_of = AsOfParam(call.req);
  if (!as_of) return ErrorResponse(as_of.error(), true);
  Review recorded;
  auto changes = call.Mutate(
      [&](Workspace& ws) -> Result<void> {
        if (!team.empty() && WorkspaceIndex(ws).team(team) < 0) {
          return Error::NotFound("team '" + team + "' does not exist", "team", team, "team");
        }
        recorded = SnapshotReview(ws, ComputeRollup(ws, *as_of), team, notes);
        ws.reviews.push_back(recorded);
        return Ok();
      },
      LoadOptions{});
  if (!changes) return ErrorResponse(changes.error());
  json out = ToJson(recorded);
  out.erase("seq");
  return JsonResponse(201, json{{"review", std::move(out)}});
}

}  // namespace

void AddInsightRoutes(ApiRouter& router) {
  router.Add("GET", "/api/v1/reviews", ListReviews,
             {.summary = "Recorded reviews, oldest first",
              .tag = "reviews",
              .query = {{"team", "string", "Only this team's"}},
              .response_schema = "Insight",
              .errors = {401}});
  router.Add("POST", "/api/v1/reviews", RecordReview,
             {.summary = "Record a review: its date (as_of), team, notes and every goal's progress",
              .tag = "reviews",
              .query = {{"as_of", "string", "The review's date (default today)", false, "date"}},
              .request_schema = "Insight",
              .response_schema = "Insight",
              .success_status = 201,
              .errors = {400, 401, 403, 404, 415, 422}});
}

}  // namespace cascade
