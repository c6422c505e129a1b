// Computed reads: status, lint, history (and the insight endpoints once their JSON shapes land).
// Every one takes ?as_of= and answers exactly what the CLI's --json prints.
#include "core/lint.h"
#include "io/report_json.h"
#include "server/api_internal.h"
#include "server/tree_json.h"

namespace cascade {
namespace {

using nlohmann::json;

// GET /api/v1/status?goal=&as_of=: `status --json`.
HttpResponse Status(Call& call) {
  auto as_of = AsOfParam(call.req, call.Today());
  if (!as_of) return ErrorResponse(as_of.error(), true);
  const std::string root = call.req.Query("goal").value_or("");
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const WorkspaceSnapshot& s = **snap;
  if (!root.empty() && s.Index().goal(root) < 0) {
    return ErrorResponse(Error::NotFound("goal '" + root + "' does not exist", "goal", root, "goal"));
  }
  return MemoResponse(call, s, "status?as_of=" + as_of->ToString() + "&goal=" + root, [&] {
    return StatusJsonText(s.entities(), *s.RollupAsOf(*as_of), root);
  });
}

// GET /api/v1/tree?as_of=: the dashboard's goal tree, what its rows and filters show (tree_json.h).
HttpResponse Tree(Call& call) {
  auto as_of = AsOfParam(call.req, call.Today());
  if (!as_of) return ErrorResponse(as_of.error(), true);
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const WorkspaceSnapshot& s = **snap;
  return MemoResponse(call, s, "tree?as_of=" + as_of->ToString(),
                      [&] { return TreeJsonText(s.ws(), *s.RollupAsOf(*as_of)); });
}

// GET /api/v1/lint?as_of=: `lint --json`, with the error count.
HttpResponse Lint(Call& call) {
  auto as_of = AsOfParam(call.req, call.Today());
  if (!as_of) return ErrorResponse(as_of.error(), true);
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const WorkspaceSnapshot& s = **snap;
  return MemoResponse(call, s, "lint?as_of=" + as_of->ToString(), [&] {
    return DumpJson(FindingsToJson(LintWorkspace(s.ws(), *s.RollupAsOf(*as_of))));
  });
}

// GET /api/v1/history?id=: `history --json`.
HttpResponse History(Call& call) {
  // as_of is accepted (and, as by `history --as-of`, ignored) so that a client may send it
  // everywhere.
  for (const auto& [name, value] : call.req.query) {
    if (name != "id" && name != "as_of") {
      return ErrorResponse(Error::Invalid("'" + name + "' is not a history filter; use id", "",
                                          "", name),
                           true);
    }
  }
  const auto started = std::chrono::steady_clock::now();
  auto entries = call.store->History(call.req.Query("id").value_or(""));
  call.api.metrics.AddDatabaseTime(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (!entries) return ErrorResponse(entries.error());
  return JsonResponse(200, HistoryToJson(*entries));
}

}  // namespace

void AddComputedRoutes(ApiRouter& router) {
  const QueryParamDoc as_of{"as_of", "string", "Compute as of this date (default today)", false,
                            "date"};
  router.Add("GET", "/api/v1/status", Status,
             {.summary = "The cascade with progress, expected, forecast and status (status --json)",
              .tag = "computed",
              .query = {as_of, {"goal", "string", "Only this goal and its descendants"}},
              .response_schema = "Status",
              .errors = {400, 401, 404}});
  router.Add("GET", "/api/v1/tree", Tree,
             {.summary = "The goal tree as the dashboard shows it: one array a goal under named "
                         "columns, without KPIs",
              .tag = "computed",
              .query = {as_of},
              .response_schema = "Tree",
              .errors = {400, 401}});
  router.Add("GET", "/api/v1/lint", Lint,
             {.summary = "SMART and alignment findings (lint --json)",
              .tag = "computed",
              .query = {as_of},
              .response_schema = "Findings",
              .errors = {400, 401}});
  router.Add("GET", "/api/v1/history", History,
             {.summary = "Who changed what, when (history --json), oldest first",
              .tag = "computed",
              .query = {{"id", "string", "Only changes to this entity"}},
              .response_schema = "History",
              .errors = {400, 401}});
  AddInsightRoutes(router);
}

}  // namespace cascade
