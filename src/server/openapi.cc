// The OpenAPI 3.1 document, generated from the route table (so it cannot miss a route) and from
// the entities' own JSON (so the schemas carry the fields ToJson writes).
#include "io/entity_json.h"
#include "server/api_internal.h"

namespace cascade {
namespace {

using nlohmann::json;

json TypeOf(const std::string& name, const json& value) {
  switch (value.type()) {
    case json::value_t::string:
      if (name == "date" || name == "start" || name == "due") {
        return {{"type", "string"}, {"format", "date"}};
      }
      return {{"type", "string"}};
    case json::value_t::boolean:
      return {{"type", "boolean"}};
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return {{"type", "integer"}};
    case json::value_t::number_float:
      return {{"type", "number"}};
    case json::value_t::array:
      return {{"type", "array"}, {"items", {{"type", "string"}}}};
    case json::value_t::object: {
      json props = json::object();
      for (const auto& [k, v] : value.items()) props[k] = TypeOf(k, v);
      return {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
    }
    case json::value_t::null:
      if (name == "budget_max" || name == "baseline") return {{"type", {"number", "null"}}};
      if (name == "start" || name == "due") {
        return {{"type", {"string", "null"}}, {"format", "date"}};
      }
      return {{"type", {"string", "null"}}};
    default:
      return json::object();
  }
}

// The schema of an entity from its JSON with every field at its default.
json EntitySchema(const json& sample, const std::vector<std::string>& required) {
  json props = json::object();
  for (const auto& [k, v] : sample.items()) props[k] = TypeOf(k, v);
  json s = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  return s;
}

json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

json ListOf(const std::string& key, const std::string& item) {
  return {{"type", "object"},
          {"properties",
           {{key, {{"type", "array"}, {"items", Ref(item)}}},
            {"total", {{"type", "integer"}}},
            {"limit", {{"type", "integer"}}},
            {"offset", {{"type", "integer"}}}}}};
}

json AnyObject(const std::string& description) {
  return {{"type", "object"}, {"description", description}};
}

// An object with these properties (name → schema), described.
json Object(const std::string& description, json properties) {
  return {{"type", "object"}, {"description", description}, {"properties", std::move(properties)}};
}
json Str() { return {{"type", "string"}}; }
json Int() { return {{"type", "integer"}}; }
json Num() { return {{"type", "number"}}; }
json NullableNum() { return {{"type", {"number", "null"}}}; }
json NullableStr() { return {{"type", {"string", "null"}}}; }
json DateStr() { return {{"type", "string"}, {"format", "date"}}; }
json ArrayOf(json item) { return {{"type", "array"}, {"items", std::move(item)}}; }

// The analytics outputs, as io/insight_json.h writes them (the CLI's --json).
void InsightSchemas(json& s) {
  const json gap = Object("A goal behind its expected progress",
                          {{"goal", Str()}, {"title", Str()}, {"owner", NullableStr()},
                           {"team", NullableStr()}, {"progress", NullableNum()},
                           {"expected", NullableNum()}, {"gap", NullableNum()}});
  s["ReviewAgenda"] = Object(
      "review --json; after recording, also recorded{seq, date, team, notes}",
      {{"as_of", DateStr()},
       {"team", NullableStr()},
       {"since", {{"type", {"object", "null"}}}},
       {"off_track", ArrayOf(gap)},
       {"at_risk", ArrayOf(gap)},
       {"missed", ArrayOf(AnyObject("{goal, title, owner, team, progress, due}"))},
       {"stale", ArrayOf(AnyObject("{kpi, goal, owner, last_checkin, days_since, cadence_days}"))},
       {"achieved", ArrayOf(AnyObject("{goal, title, owner, team, level}"))},
       {"lint_errors", ArrayOf(AnyObject("{code, severity, goal, kpi, action, message}"))},
       {"progress_changes",
        ArrayOf(AnyObject("{goal, title, before, after, change, status_before, status}"))},
       {"comments", ArrayOf(AnyObject("{seq, goal, author, date, text}"))},
       {"recorded", Object("The review recorded (POST only)",
                           {{"seq", Int()}, {"date", DateStr()}, {"team", NullableStr()},
                            {"notes", Str()}})}});
  s["ReviewRecord"] = {{"type", "object"},
                       {"properties", {{"team", NullableStr()}, {"notes", Str()}}},
                       {"additionalProperties", false}};
  s["Review"] = Object("A recorded review (review show --json)",
                       {{"seq", Int()}, {"date", DateStr()}, {"team", NullableStr()},
                        {"notes", Str()},
                        {"snapshot", ArrayOf(Object("A goal's progress when the review was held",
                                                    {{"goal", Str()}, {"progress", NullableNum()},
                                                     {"status", Str()}}))}});
  s["ReviewList"] = Object(
      "review list --json",
      {{"reviews", ArrayOf(Object("A recorded review; goals counts its snapshot",
                                  {{"seq", Int()}, {"date", DateStr()}, {"team", NullableStr()},
                                   {"notes", Str()}, {"goals", Int()}}))}});
  s["Correlation"] = Object(
      "correlate --json",
      {{"a", Str()}, {"b", Str()}, {"period", Str()}, {"max_lag", Int()}, {"as_of", DateStr()},
       {"series", ArrayOf(Object("One period", {{"period", DateStr()}, {"a", NullableNum()},
                                                {"b", NullableNum()}}))},
       {"lags", ArrayOf(Object("A leads B by lag periods",
                               {{"lag", Int()}, {"r", NullableNum()}, {"n", Int()},
                                {"p_value", NullableNum()}, {"slope", NullableNum()},
                                {"reason", NullableStr()}}))},
       {"best", {{"type", {"object", "null"}},
                 {"properties", {{"lag", Int()}, {"r", NullableNum()}}}}}});
  s["FunnelAnalysis"] = Object(
      "funnel ID --json",
      {{"funnel", Str()}, {"name", Str()}, {"as_of", DateStr()}, {"target", NullableNum()},
       {"stages", ArrayOf(Object("A stage, top first",
                                 {{"kpi", Str()}, {"name", Str()}, {"unit", Str()},
                                  {"value", NullableNum()}, {"rate", NullableNum()},
                                  {"required", NullableNum()}, {"gap", NullableNum()}}))},
       {"overall", NullableNum()}});
  s["Allocation"] = Object(
      "allocate --json",
      {{"budget", Num()},
       {"allocations", ArrayOf(Object("One goal's share",
                                      {{"goal", Str()}, {"growth_potential", Num()},
                                       {"amount", Num()}, {"share", Num()},
                                       {"bound", NullableStr()}, {"spent", Num()},
                                       {"channel_cost_per_goal_done", NullableNum()}}))},
       {"total_uplift", Num()}});
  s["Breakdown"] = Object(
      "breakdown --json",
      {{"by", Str()},
       {"as_of", DateStr()},
       {"groups", ArrayOf(Object("The active goals with one value of the field (key null: none)",
                                 {{"key", NullableStr()}, {"goals", Int()},
                                  {"progress", NullableNum()},
                                  {"counts", AnyObject("goals by status, statuses met only")},
                                  {"spent", Num()}, {"cost_per_goal_done", NullableNum()}}))}});
  json experiment = EntitySchema(ToJson(Experiment{}), {});
  experiment["description"] = "experiment show --json: the experiment and its analysis";
  json& props = experiment["properties"];
  props["p_control"] = Num();
  props["p_variant"] = Num();
  props["lift"] = Num();
  props["relative_lift"] = NullableNum();
  props["z"] = NullableNum();
  props["p_value"] = NullableNum();
  props["ci95"] = {{"type", "array"}, {"items", Num()}, {"minItems", 2}, {"maxItems", 2}};
  props["significant"] = {{"type", "boolean"}};
  s["ExperimentAnalysis"] = experiment;
  s["Scorecards"] = AnyObject(
      "scorecard --json: {as_of, person: card} with ?person, {as_of, team: card, leaderboard} "
      "with ?team, else {as_of, leaderboard}; a card is {id, name, goals_owned, goals_contributed, "
      "achieved, missed, "
      "mean_progress, kpis, kpis_not_stale, checkins, goal_points, points, streak, "
      "streak_cadence_days} (and rank on a leaderboard)");
  s["Todo"] = AnyObject(
      "todo --json: {as_of, person, checkins_due[{kpi, goal, last_checkin, days_since, cadence_days}], "
      "goals_at_risk[{goal, status}], disagreements[{goal, confidence, status}], "
      "overdue_actions[{action, goal, title, due}], upcoming_actions[…], "
      "reviews_due[{team, last_review}]}");
}

json Schemas() {
  json s = json::object();
  struct EntityDoc {
    const char* name;
    const char* plural;
    json sample;
    std::vector<std::string> required;
  };
  const std::vector<EntityDoc> entities = {
      {"Team", "teams", ToJson(Team{}), {"id", "name"}},
      {"Person", "people", ToJson(Person{}), {"id", "name"}},
      {"Goal", "goals", ToJson(Goal{}), {"id", "title", "level"}},
      {"Kpi", "kpis", ToJson(Kpi{}), {"id", "goal", "name", "kind"}},
      {"Action", "actions", ToJson(Action{}), {"id", "goal", "title"}},
      {"Funnel", "funnels", ToJson(Funnel{}), {"id", "name", "stages"}},
      {"Experiment", "experiments", ToJson(Experiment{}), {"id", "goal", "name", "control", "variant"}},
      {"Cycle", "cycles", ToJson(Cycle{}), {"id", "name", "start", "end"}},
  };
  for (const EntityDoc& e : entities) {
    s[e.name] = EntitySchema(e.sample, e.required);
    s[std::string(e.name) + "Patch"] = EntitySchema(e.sample, {});
    if (std::string(e.name) != "Goal") s[std::string(e.name) + "List"] = ListOf(e.plural, e.name);
  }
  s["CycleDetail"] = s["Cycle"];
  s["CycleDetail"].erase("required");
  s["CycleDetail"]["properties"]["score"] = NullableNum();
  s["CycleDetail"]["properties"]["counts"] = {{"type", "object"},
                                              {"additionalProperties", Int()},
                                              {"description", "its active goals by status"}};
  s["CycleDetail"]["properties"]["goals"] = Int();
  s["CycleDetail"]["properties"]["drafts"] = Int();
  // The list carries each cycle's score and counts too (the Plan page reads them from it alone).
  s["CycleList"] = ListOf("cycles", "CycleDetail");
  for (const char* kpi : {"Kpi", "KpiPatch"}) {
    s[kpi]["properties"]["target"] = {
        {"type", {"number", "string"}},
        {"description", "a number, or relative to the baseline: \"+10%\" (baseline × 1.10)"}};
  }
  s["GoalStatus"] = AnyObject(
      "A goal with its computed fields, as status --json lists it: id, title, level, parent, "
      "owner, contributors, team, cycle, segment, supports, supported_by, start, due, state, progress, "
      "expected, forecast, status, confidence, disagrees, disagreement, achieved_on, spent, "
      "budget_left, kpis[{id, kind, target, benchmark_for, value, attainment, progress, forecast, "
      "last_checkin, stale}]");
  s["GoalList"] = {{"type", "object"},
                   {"properties",
                    {{"as_of", {{"type", "string"}, {"format", "date"}}},
                     {"goals", {{"type", "array"}, {"items", Ref("GoalStatus")}}},
                     {"total", {{"type", "integer"}}},
                     {"limit", {{"type", "integer"}}},
                     {"offset", {{"type", "integer"}}}}}};
  s["GoalDetail"] = {{"type", "object"},
                     {"properties",
                      {{"goal", Ref("Goal")},
                       {"status", Ref("GoalStatus")},
                       {"kpis", {{"type", "array"}, {"items", Ref("Kpi")}}},
                       {"children", {{"type", "array"}, {"items", {{"type", "string"}}}}},
                       {"titles",
                        {{"type", "object"},
                         {"additionalProperties", {{"type", "string"}}},
                         {"description",
                          "the title of each goal named by id: parent, children, supports, "
                          "supported_by"}}},
                       {"actions", {{"type", "array"}, {"items", Ref("Action")}}},
                       {"experiments", {{"type", "array"}, {"items", Ref("Experiment")}}},
                       {"comments", {{"type", "array"}, {"items", Ref("Comment")}}},
                       {"spend", {{"type", "array"}, {"items", Ref("Spend")}}}}}};
  s["GoalCopyRequest"] = {
      {"type", "object"},
      {"properties",
       {{"cycle", {{"type", "string"}, {"description", "the open cycle to copy the goal into"}}},
        {"id", {{"type", "string"}, {"description", "id of the copy (default <id>-<cycle>)"}}}}},
      {"required", {"cycle"}},
      {"additionalProperties", false}};
  s["GoalCopy"] = {{"type", "object"},
                   {"description", "What goal copy made: the new goals (the copy first, then its "
                                   "descendants, parents first) and their KPIs"},
                   {"properties",
                    {{"as_of", {{"type", "string"}, {"format", "date"}}},
                     {"cycle", {{"type", "string"}}},
                     {"goals", {{"type", "array"}, {"items", Ref("GoalStatus")}}},
                     {"kpis", {{"type", "array"}, {"items", Ref("Kpi")}}}}}};
  json checkin = EntitySchema(ToJson(Checkin{}), {"kpi", "value"});
  checkin["properties"]["date"] = {{"type", "string"}, {"format", "date"}};
  checkin["properties"]["author"] = {{"type", {"string", "null"}}};
  checkin["properties"]["kpi"] = {{"type", "string"}};
  checkin["properties"]["confidence"] = {
      {"type", {"string", "null"}}, {"enum", {"on_track", "at_risk", "off_track", nullptr}}};
  s["Checkin"] = checkin;
  s["CheckinList"] = ListOf("checkins", "Checkin");
  s["CheckinPatch"] = {{"type", "object"},
                       {"description", "The fields of a recorded check-in that can be corrected"},
                       {"properties",
                        {{"value", {{"type", "number"}}},
                         {"date", {{"type", "string"}, {"format", "date"}}},
                         {"note", {{"type", "string"}}},
                         {"seq", {{"type", "integer"}}}}},
                       {"additionalProperties", false}};
  s["CheckinCreated"] = {{"type", "object"}, {"properties", {{"checkin", Ref("Checkin")}}}};
  s["CheckinBatch"] = {
      {"oneOf",
       {{{"type", "object"},
         {"properties", {{"checkins", {{"type", "array"}, {"items", Ref("Checkin")}}}}},
         {"required", {"checkins"}},
         {"additionalProperties", false}},
        {{"type", "array"}, {"items", Ref("Checkin")}}}}};
  s["BatchResult"] = {{"type", "object"},
                      {"properties", {{"checkins_added", {{"type", "integer"}}}}}};
  json comment = EntitySchema(ToJson(Comment{}), {"goal", "text"});
  comment["properties"]["goal"] = {{"type", "string"}};
  comment["properties"]["author"] = {{"type", {"string", "null"}}};
  comment["properties"]["date"] = {{"type", "string"}, {"format", "date"}};
  comment["properties"]["kind"] = {{"type", "string"},
                                   {"enum", {"comment", "lesson", "decision"}}};
  s["Comment"] = comment;
  s["CommentList"] = {{"type", "object"},
                      {"properties", {{"comments", {{"type", "array"}, {"items", Ref("Comment")}}}}}};
  s["CommentPatch"] = {{"type", "object"},
                       {"properties", {{"text", {{"type", "string"}}}, {"seq", {{"type", "integer"}}}}},
                       {"additionalProperties", false}};
  s["CommentCreated"] = {{"type", "object"}, {"properties", {{"comment", Ref("Comment")}}}};
  json spend = EntitySchema(ToJson(Spend{}), {"goal", "amount"});
  spend["properties"]["goal"] = {{"type", "string"}};
  spend["properties"]["author"] = {{"type", {"string", "null"}}};
  spend["properties"]["date"] = {{"type", "string"}, {"format", "date"}};
  spend["description"] = "Money spent on a goal; amount is non-zero (negative: a refund)";
  s["Spend"] = spend;
  s["SpendList"] = {{"type", "object"},
                    {"properties",
                     {{"spend", {{"type", "array"}, {"items", Ref("Spend")}}},
                      {"total", {{"type", "number"}}}}}};
  s["SpendCreated"] = {{"type", "object"}, {"properties", {{"spend", Ref("Spend")}}}};
  s["Status"] = {{"type", "object"},
                 {"properties",
                  {{"as_of", {{"type", "string"}, {"format", "date"}}},
                   {"goals", {{"type", "array"}, {"items", Ref("GoalStatus")}}},
                   {"summary", {{"type", "object"}, {"additionalProperties", {{"type", "integer"}}}}}}}};
  s["Tree"] = {
      {"type", "object"},
      {"properties",
       {{"as_of", {{"type", "string"}, {"format", "date"}}},
        {"columns", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"goals", {{"type", "array"}, {"items", {{"type", "array"}}}}},
        {"summary", {{"type", "object"}, {"additionalProperties", {{"type", "integer"}}}}}}}};
  s["Findings"] = AnyObject("lint --json: findings[{code, severity, goal, kpi, action, message}]");
  s["History"] = AnyObject("history --json: history[{seq, at, actor, kind, entity, op, before, after}]");
  s["Changes"] = AnyObject(
      "What a write did: changes[{op, kind, id, fields}], checkins_added, comments_added, "
      "reviews_added, dry_run");
  s["Plan"] = AnyObject("A plan file (spec §3), YAML or JSON");
  s["Login"] = {{"type", "object"},
                {"properties", {{"name", {{"type", "string"}}}, {"password", {{"type", "string"}}}}},
                {"required", {"name", "password"}},
                {"additionalProperties", false}};
  json principal = {{"account", {{"type", "string"}}},
                    {"role", {{"type", "string"}, {"enum", {"admin", "lead", "member", "viewer"}}}},
                    {"person", {{"type", {"string", "null"}}}},
                    {"team", {{"type", {"string", "null"}}}}};
  principal["csrf_token"] = {{"type", "string"}};
  s["Principal"] = {{"type", "object"}, {"properties", principal}};
  s["Session"] = {{"type", "object"}, {"properties", principal}};
  s["Health"] = {{"type", "object"}};
  InsightSchemas(s);
  s["Error"] = {{"type", "object"},
                {"properties",
                 {{"error",
                   {{"type", "object"},
                    {"properties",
                     {{"code", {{"type", "string"}}},
                      {"message", {{"type", "string"}}},
                      {"field", {{"type", {"string", "null"}}}}}},
                    {"required", {"code", "message", "field"}}}}}},
                {"required", {"error"}}};
  return s;
}

std::string Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No content";
    case 400:
      return "Malformed request: body, parameter, unknown field or wrong type";
    case 401:
      return "Not signed in";
    case 403:
      return "The account's role does not allow it, or the CSRF token is missing";
    case 404:
      return "No such entity";
    case 409:
      return "Conflict: a stale version or an id that exists";
    case 413:
      return "Request body or header too large";
    case 415:
      return "Unsupported content type";
    case 422:
      return "Invalid values";
    case 429:
      return "Too many failed sign-ins";
    default:
      return "Error";
  }
}

}  // namespace

json OpenApiDocument(const ApiRouter& router) {
  json paths = json::object();
  for (const auto& route : router.routes()) {
    const RouteDoc& d = route.doc;
    json op = {{"summary", d.summary},
               {"operationId", route.method + " " + route.pattern},
               {"tags", {d.tag.empty() ? "api" : d.tag}}};
    json params = json::array();
    for (const std::string& seg : route.segments) {
      if (seg.size() > 2 && seg.front() == '{') {
        params.push_back({{"name", seg.substr(1, seg.size() - 2)},
                          {"in", "path"},
                          {"required", true},
                          {"schema", {{"type", "string"}}}});
      }
    }
    for (const QueryParamDoc& q : d.query) {
      json schema = {{"type", q.type}};
      if (!q.format.empty()) schema["format"] = q.format;
      params.push_back({{"name", q.name},
                        {"in", "query"},
                        {"required", q.required},
                        {"description", q.description},
                        {"schema", schema}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (!d.request_schema.empty()) {
      json content = {{d.request_content_type, {{"schema", Ref(d.request_schema)}}}};
      if (route.pattern == "/api/v1/checkins/batch") {
        content["text/csv"] = {{"schema", {{"type", "string"}}}};
      }
      if (route.pattern == "/api/v1/apply") content["application/json"] = {{"schema", Ref("Plan")}};
      op["requestBody"] = {{"required", true}, {"content", content}};
    }
    json responses = json::object();
    json ok = {{"description", Reason(d.success_status)}};
    if (!d.response_schema.empty()) {
      ok["content"] = {{d.response_content_type, {{"schema", Ref(d.response_schema)}}}};
    } else if (d.success_status != 204) {
      ok["content"] = {{d.response_content_type, {{"schema", {{"type", "string"}}}}}};
    }
    responses[std::to_string(d.success_status)] = ok;
    for (int status : d.errors) {
      responses[std::to_string(status)] = {
          {"description", Reason(status)},
          {"content", {{"application/json", {{"schema", Ref("Error")}}}}}};
    }
    op["responses"] = responses;
    if (!d.authenticated) op["security"] = json::array();
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[route.pattern][method] = op;
  }
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "Cascade API"},
            {"version", "1"},
            {"description",
             "Macro goals, SMART micro goals, KPIs and check-ins for marketing teams. Errors are "
             "{\"error\": {code, message, field}}; entities carry a version (ETag) and an update "
             "with a stale one (If-Match or body) gets 409."}}},
          {"servers", {{{"url", "/"}}}},
          {"paths", paths},
          {"components",
           {{"schemas", Schemas()},
            {"securitySchemes",
             {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
              {"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "cascade_session"}}}}}}},
          {"security", {{{"bearer", json::array()}}, {{"session", json::array()}}}}};
}

}  // namespace cascade
