// Goals as code over HTTP: GET /api/v1/export and POST /api/v1/apply (with ?dry_run and ?prune).
#include "core/validate.h"
#include "io/plan.h"
#include "io/plan_apply.h"
#include "server/api_internal.h"

namespace cascade {
namespace {

using nlohmann::json;

HttpResponse Export(Call& call) {
  const std::string format = call.req.Query("format").value_or("yaml");
  if (format != "yaml" && format != "json") {
    return ErrorResponse(
        Error::Invalid("format '" + format + "' is not allowed; use yaml or json", "", "", "format"),
        true);
  }
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const WorkspaceSnapshot& s = **snap;
  return MemoResponse(
      call, s, "export?format=" + format,
      [&] { return format == "json" ? WritePlanJson(s.ws()) : WritePlanYaml(s.ws()); },
      format == "json" ? "application/json" : "application/yaml");
}

// POST /api/v1/apply: the body is a plan (YAML or JSON); the workspace is made to match it in one
// transaction, or with ?dry_run=true only the changes are computed. A plan with any error changes
// nothing; errors name the plan's line.
HttpResponse Apply(Call& call) {
  const std::string mime = MediaType(call.req.Header("content-type"));
  if (!mime.empty() && mime != "application/json" && mime != "application/yaml" &&
      mime != "application/x-yaml" && mime != "text/yaml" && mime != "text/plain") {
    return ErrorResponse(415, "unsupported_media_type",
                         "the body must be a plan in YAML (application/yaml) or JSON",
                         "content-type");
  }
  auto dry_run = BoolParam(call.req, "dry_run");
  if (!dry_run) return ErrorResponse(dry_run.error(), true);
  auto prune = BoolParam(call.req, "prune");
  if (!prune) return ErrorResponse(prune.error(), true);
  if (call.req.body.empty()) return ErrorResponse(400, "invalid", "the body must be a plan");
  const std::string file = "plan";
  ParsedPlan plan = ParsePlan(call.req.body, file);
  if (!plan.errors.empty()) {
    const Error& e = plan.errors.front();
    std::string message = e.ToString();
    if (plan.errors.size() > 1) {
      message += " (and " + std::to_string(plan.errors.size() - 1) + " more errors)";
    }
    return ErrorResponse(422, "invalid", message, e.field);
  }
  if (!plan.checkins_csv.empty()) {
    // A path on the server's disk is not the uploader's to read.
    return ErrorResponse(422, "invalid",
                         "checkins_csv is not read over HTTP; post the CSV to "
                         "/api/v1/checkins/batch instead",
                         "checkins_csv");
  }
  auto changes = call.Mutate(
      [&](Workspace& ws) -> Result<void> {
        Workspace next = MergePlan(ws, plan.workspace, *prune);
        // A new check-in that names no author is by the person of the account applying the plan
        // (nobody for an account that is no person), as one posted to /api/v1/checkins is (and
        // only an admin may name another: AuthorizeChanges).
        for (Checkin& c : next.checkins) {
          if (c.seq == 0 && c.author.empty()) c.author = OwnAuthor(call.who);
        }
        if (Errors errors = CheckPlanApply(plan, file, ws, next, OwnAuthor(call.who));
            !errors.empty()) {
          return errors.front();
        }
        ws = std::move(next);
        return Ok();
      },
      LoadOptions{}, *dry_run);
  if (!changes) return ErrorResponse(changes.error());
  json out = ChangeSetJson(*changes);
  out["dry_run"] = *dry_run;
  return JsonResponse(200, out);
}

}  // namespace

void AddPlanRoutes(ApiRouter& router) {
  router.Add("GET", "/api/v1/export", Export,
             {.summary = "The workspace as a plan file (export)",
              .tag = "plans",
              .query = {{"format", "string", "yaml (default) or json"}},
              .errors = {400, 401},
              .response_content_type = "application/yaml"});
  router.Add("POST", "/api/v1/apply", Apply,
             {.summary = "Make the workspace match a plan (apply); all or nothing",
              .tag = "plans",
              .query = {{"dry_run", "boolean", "Compute the changes, make none"},
                        {"prune", "boolean", "Remove what the plan does not hold"}},
              .request_schema = "Plan",
              .response_schema = "Changes",
              .errors = {400, 401, 403, 409, 413, 415, 422},
              .request_content_type = "application/yaml"});
}

}  // namespace cascade
