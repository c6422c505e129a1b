// /api/v1/{teams,people,goals,kpis,actions,funnels,experiments,cycles}: list (with filters), get, create,
// replace (PUT), change (PATCH) and delete, the same for every kind. Goals are listed with their
// computed fields, as `goal list --json` prints them; cycles with their score and counts. And
// POST /goals/{id}/copy (`goal copy`) and /cycles/{id}/close|reopen.
#include <algorithm>

#include "core/cycles.h"
#include "core/entity_operations.h"
#include "core/goal_detail.h"
#include "core/goal_filter.h"
#include "core/goal_team.h"
#include "core/incremental_rollup.h"
#include "core/rollup.h"
#include "io/cycle_json.h"
#include "io/entity_from_json.h"
#include "io/entity_json.h"
#include "io/report_json.h"
#include "server/api_internal.h"
#include "store/mutate.h"

namespace cascade {
namespace {

using nlohmann::json;

// What differs between the kinds over HTTP, beside what core/entity_operations.h knows of them.
template <typename T>
struct Kind;

template <>
struct Kind<Team> : EntityTraits<Team> {
  static constexpr const char* kPlural = "teams";
  static constexpr const char* kSchema = "Team";
  static Result<void> FromJson(const json& j, Team& t) { return TeamFromJson(j, t); }
  static std::vector<const char*> Required() { return {"id", "name"}; }
};
template <>
struct Kind<Person> : EntityTraits<Person> {
  static constexpr const char* kPlural = "people";
  static constexpr const char* kSchema = "Person";
  static Result<void> FromJson(const json& j, Person& p) { return PersonFromJson(j, p); }
  static std::vector<const char*> Required() { return {"id", "name"}; }
};
template <>
struct Kind<Goal> : EntityTraits<Goal> {
  static constexpr const char* kPlural = "goals";
  static constexpr const char* kSchema = "Goal";
  static Result<void> FromJson(const json& j, Goal& g) { return GoalFromJson(j, g); }
  static std::vector<const char*> Required() { return {"id", "title", "level"}; }
};
template <>
struct Kind<Kpi> : EntityTraits<Kpi> {
  static constexpr const char* kPlural = "kpis";
  static constexpr const char* kSchema = "Kpi";
  static Result<void> FromJson(const json& j, Kpi& k) { return KpiFromJson(j, k); }
  static std::vector<const char*> Required() { return {"id", "goal", "name", "kind"}; }
};
template <>
struct Kind<Action> : EntityTraits<Action> {
  static constexpr const char* kPlural = "actions";
  static constexpr const char* kSchema = "Action";
  static Result<void> FromJson(const json& j, Action& a) { return ActionFromJson(j, a); }
  static std::vector<const char*> Required() { return {"id", "goal", "title"}; }
};
template <>
struct Kind<Funnel> : EntityTraits<Funnel> {
  static constexpr const char* kPlural = "funnels";
  static constexpr const char* kSchema = "Funnel";
  static Result<void> FromJson(const json& j, Funnel& f) { return FunnelFromJson(j, f); }
  static std::vector<const char*> Required() { return {"id", "name", "stages"}; }
};
template <>
struct Kind<Experiment> : EntityTraits<Experiment> {
  static constexpr const char* kPlural = "experiments";
  static constexpr const char* kSchema = "Experiment";
  static Result<void> FromJson(const json& j, Experiment& e) { return ExperimentFromJson(j, e); }
  static std::vector<const char*> Required() {
    return {"id", "goal", "name", "control", "variant"};
  }
};

template <>
struct Kind<Cycle> : EntityTraits<Cycle> {
  static constexpr const char* kPlural = "cycles";
  static constexpr const char* kSchema = "Cycle";
  static Result<void> FromJson(const json& j, Cycle& c) { return CycleFromJson(j, c); }
  static std::vector<const char*> Required() { return {"id", "name", "start", "end"}; }
};

// The position of entity `id` in the snapshot's entities(), by its id index; -1 when none.
template <typename T>
int IndexOf(const WorkspaceSnapshot& snap, const std::string& id) {
  return (snap.Index().*Kind<T>::kFind)(id);
}

// The paging parameters: limit (default 100, at most 1000) and offset.
struct Page {
  size_t limit = 100;
  size_t offset = 0;
};
Result<Page> PageParams(const HttpRequest& req) {
  Page p;
  auto limit = IntParam(req, "limit", 1, 1000);
  if (!limit) return limit.error();
  auto offset = IntParam(req, "offset", 0, 1'000'000'000);
  if (!offset) return offset.error();
  if (*limit) p.limit = static_cast<size_t>(**limit);
  if (*offset) p.offset = static_cast<size_t>(**offset);
  return p;
}

bool IsPagingOrDate(const std::string& name) {
  return name == "limit" || name == "offset" || name == "as_of";
}

// Generic filters: each query parameter other than paging names a field of the entity's JSON,
// and an entity matches when that field equals the value (null matches "", booleans "true" /
// "false", numbers their decimal form; for arrays, any element).
bool MatchesValue(const json& field, const std::string& value) {
  switch (field.type()) {
    case json::value_t::null:
      return value.empty();
    case json::value_t::string:
      return field.get<std::string>() == value;
    case json::value_t::boolean:
      return (field.get<bool>() ? "true" : "false") == value;
    case json::value_t::array:
      return std::any_of(field.begin(), field.end(),
                         [&](const json& item) { return MatchesValue(item, value); });
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: {
      try {
        size_t used = 0;
        const double v = std::stod(value, &used);
        return used == value.size() && v == field.get<double>();
      } catch (const std::exception&) {
        return false;
      }
    }
    default:
      return false;
  }
}

// Adds to cycle `c`'s JSON `j` its score, counts, numbers of active and draft goals as of `as_of` (a
// closed cycle's as of its end: the numbers its close recorded), as GET /cycles/{id} has them,
// from the snapshot's roll-ups (one per date, shared by every request on the snapshot).
void AddCycleSummary(const WorkspaceSnapshot& snap, const Cycle& c, Date as_of, json& j) {
  auto rollup = snap.RollupAsOf(c.state == CycleState::kClosed ? c.end : as_of);
  json summary = CycleSummaryToJson(c, SummarizeCycle(snap.entities(), *rollup, c.id));
  for (const char* field : {"score", "counts", "goals", "drafts"}) {
    j[field] = std::move(summary[field]);
  }
}

template <typename T>
HttpResponse List(Call& call) {
  auto page = PageParams(call.req);
  if (!page) return ErrorResponse(page.error(), true);
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const CowVector<T>& items = (*snap)->entities().*Kind<T>::kItems;
  Date as_of = call.Today();  // a cycle's score and counts are as of ?as_of=
  if constexpr (std::is_same_v<T, Cycle>) {
    auto asked = AsOfParam(call.req, call.Today());
    if (!asked) return ErrorResponse(asked.error(), true);
    as_of = *asked;
  }
  const json sample = ToJson(T{});
  for (const auto& [name, value] : call.req.query) {
    if (!IsPagingOrDate(name) && !sample.contains(name)) {
      return ErrorResponse(Error::Invalid("'" + name + "' is not a field of " + Kind<T>::kName +
                                              " to filter by",
                                          "", "", name),
                           true);
    }
  }
  json list = json::array();
  size_t total = 0;
  for (const T& item : items) {
    json j = ToJson(item);
    bool match = true;
    for (const auto& [name, value] : call.req.query) {
      if (!IsPagingOrDate(name) && !MatchesValue(j[name], value)) match = false;
    }
    if (!match) continue;
    if (total >= page->offset && list.size() < page->limit) {
      if constexpr (std::is_same_v<T, Cycle>) AddCycleSummary(**snap, item, as_of, j);
      list.push_back(std::move(j));
    }
    ++total;
  }
  return JsonResponse(200, json{{Kind<T>::kPlural, std::move(list)},
                                {"total", total},
                                {"limit", page->limit},
                                {"offset", page->offset}});
}

// GET /api/v1/goals: the goals with their computed fields, parents before children, filtered as
// `goal list` filters them (core/goal_filter.h: team with its sub-teams, owner or contributor,
// status, level, priority, channel, segment, stage, tag) and by state or parent; computed as of
// ?as_of=.
HttpResponse ListGoals(Call& call) {
  auto page = PageParams(call.req);
  if (!page) return ErrorResponse(page.error(), true);
  auto as_of = AsOfParam(call.req, call.Today());
  if (!as_of) return ErrorResponse(as_of.error(), true);
  static const std::vector<std::string> kFilters = {
      "team",    "owner", "status", "level", "priority", "channel",
      "segment", "stage", "tag",    "state", "parent", "cycle"};
  for (const auto& [name, value] : call.req.query) {
    if (!IsPagingOrDate(name) && std::find(kFilters.begin(), kFilters.end(), name) == kFilters.end()) {
      return ErrorResponse(Error::Invalid("'" + name +
                                              "' is not a goal filter; use team, owner, status, "
                                              "level, priority, channel, segment, stage, tag, "
                                              "cycle, state or parent",
                                          "", "", name),
                           true);
    }
  }
  GoalFilter filter;
  for (auto [name, field] : {std::pair{"team", &filter.team}, std::pair{"owner", &filter.owner},
                             std::pair{"status", &filter.status}, std::pair{"level", &filter.level},
                             std::pair{"priority", &filter.priority},
                             std::pair{"channel", &filter.channel},
                             std::pair{"segment", &filter.segment},
                             std::pair{"stage", &filter.stage}, std::pair{"tag", &filter.tag},
                             std::pair{"cycle", &filter.cycle}}) {
    *field = call.req.Query(name).value_or("");
  }
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const WorkspaceSnapshot& s = **snap;
  if (auto known = CheckGoalFilter(s.entities(), filter, ""); !known) {
    return ErrorResponse(known.error(), true);
  }
  // The same query on the same workspace gives the same bytes: computed once per snapshot.
  std::string key = "goals?as_of=" + as_of->ToString();
  for (const auto& [name, value] : call.req.query) {
    if (name != "as_of") key += "&" + name + "=" + value;
  }
  return MemoResponse(call, s, key, [&] {
    const Workspace& ws = s.entities();
    auto rollup = s.RollupAsOf(*as_of);
    std::vector<int> page_goals;
    size_t total = 0;
    if (filter.empty() && !call.req.Query("state") && !call.req.Query("parent")) {
      // Every goal: the page is a slice of the order, in time in the page, not in the workspace.
      const auto& order = rollup->order;
      total = order.size();
      for (size_t i = page->offset; i < total && page_goals.size() < page->limit; ++i) {
        page_goals.push_back(order[i]);
      }
    } else {
      const std::vector<char> shown = MatchGoals(ws, *rollup, filter);
      for (int g : rollup->order) {
        const Goal& goal = ws.goals[static_cast<size_t>(g)];
        bool match = shown[static_cast<size_t>(g)] != 0;
        for (const auto& [name, value] : call.req.query) {
          if (name == "state") match = match && ToString(goal.state) == value;
          if (name == "parent") match = match && goal.parent == value;
        }
        if (!match) continue;
        if (total >= page->offset && page_goals.size() < page->limit) page_goals.push_back(g);
        ++total;
      }
    }
    return DumpJson(json{{"as_of", as_of->ToString()},
                {"goals", GoalsStatusToJson(ws, *rollup, page_goals, &s.Links())},
                {"total", total},
                {"limit", page->limit},
                {"offset", page->offset}});
  });
}

template <typename T>
HttpResponse Get(Call& call) {
  const std::string id = call.req.Param("id");
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const CowVector<T>& items = (*snap)->entities().*Kind<T>::kItems;
  const int i = IndexOf<T>(**snap, id);
  if (i < 0) return ErrorResponse(EntityNotFound<T>(id));
  HttpResponse res = JsonResponse(200, ToJson(items[static_cast<size_t>(i)]));
  res.AddHeader("ETag", ETagFor(items[static_cast<size_t>(i)].version));
  return res;
}

// GET /api/v1/goals/{id}: `goal show --json` (GoalDetailJson): the goal, its status, KPIs, children,
// actions, experiments and comments.
HttpResponse GetGoal(Call& call) {
  const std::string id = call.req.Param("id");
  auto as_of = AsOfParam(call.req, call.Today());
  if (!as_of) return ErrorResponse(as_of.error(), true);
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  // The entities, their indexes and goal links: no check-in is read here (the roll-up has their
  // numbers), and no pass over every goal and KPI.
  const Workspace& ws = (*snap)->entities();
  const int g = IndexOf<Goal>(**snap, id);
  if (g < 0) return ErrorResponse(EntityNotFound<Goal>(id));
  auto rollup = (*snap)->RollupAsOf(*as_of);
  const Goal& goal = ws.goals[static_cast<size_t>(g)];
  HttpResponse res = JsonResponse(
      200, GoalDetailJson(ws, (*snap)->Index(), (*snap)->Links(), *rollup,
                          GatherGoalDetail(ws, (*snap)->Links(), g), *as_of));
  res.AddHeader("ETag", ETagFor(goal.version));
  return res;
}

template <typename T>
HttpResponse Stored(Call& call, const std::string& id, int status);

// GET /api/v1/cycles/{id}: the cycle with its score, counts and number of active goals as of
// ?as_of= (a closed cycle's as of its end), as `cycle show --json`.
HttpResponse GetCycle(Call& call) {
  const std::string id = call.req.Param("id");
  auto as_of = AsOfParam(call.req, call.Today());
  if (!as_of) return ErrorResponse(as_of.error(), true);
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const Workspace& ws = (*snap)->entities();
  const int i = IndexOf<Cycle>(**snap, id);
  if (i < 0) return ErrorResponse(EntityNotFound<Cycle>(id));
  const Cycle& c = ws.cycles[static_cast<size_t>(i)];
  json out = ToJson(c);
  AddCycleSummary(**snap, c, *as_of, out);
  HttpResponse res = JsonResponse(200, out);
  res.AddHeader("ETag", ETagFor(c.version));
  return res;
}

// POST /api/v1/cycles/{id}/close and /reopen (admins and leads, as every cycle change). Closing
// reads every check-in (the goals' numbers as of the cycle's end): from the snapshot the write
// starts from (Commit takes the one stored now, so a check-in recorded since the request came is
// counted), which holds them; the store refuses the update if the cycle changed in between.
HttpResponse SetCycleState(Call& call, bool close) {
  const std::string id = call.req.Param("id");
  auto changes = call.Commit([&](const OperationContext& at) {
    const Workspace& ws = call.snapshot->ws();
    return close ? CloseCycle(ws, id, at.who) : ReopenCycle(ws, id, at.who);
  });
  if (!changes) return ErrorResponse(changes.error());
  return Stored<Cycle>(call, id, 200);
}

void AddCycleStateRoutes(ApiRouter& router) {
  for (const bool close : {true, false}) {
    router.Add("POST", std::string("/api/v1/cycles/{id}/") + (close ? "close" : "reopen"),
               [close](Call& c) { return SetCycleState(c, close); },
               {.summary = close ? "Close a cycle: record each goal's progress and status as of "
                                   "its end in the history; its goals then change only after "
                                   "reopening it"
                                 : "Reopen a closed cycle",
                .tag = "cycles",
                .response_schema = "Cycle",
                .errors = {400, 401, 403, 404, 409}});
  }
}

// POST /api/v1/goals/{id}/copy {"cycle", "id"?}: `goal copy` (core/cycles.h CopyGoal), KPI
// baselines as of ?as_of=. The copies are goals created: the rights and the closed-cycle freeze are
// those of creating them. Answers 201 with the new goals as the goal list shows them (the copy
// first, then its descendants) and their KPIs as stored.
HttpResponse CopyGoalRoute(Call& call) {
  const std::string id = call.req.Param("id");
  auto as_of = AsOfParam(call.req, call.Today());
  if (!as_of) return ErrorResponse(as_of.error(), true);
  HttpResponse refusal;
  auto body = JsonBody(call.req, refusal);
  if (!body) return refusal;
  if (!body->is_object()) return ErrorResponse(400, "invalid", "the body must be a JSON object");
  std::string cycle, new_id;
  for (const auto& [key, value] : body->items()) {
    if (key != "cycle" && key != "id") {
      return ErrorResponse(400, "invalid", "unknown field '" + key + "'; the fields are: cycle, id",
                           key);
    }
    if (!value.is_string()) {
      return ErrorResponse(400, "invalid",
                           "'" + key + "' must be " + (key == "cycle" ? "a cycle id" : "a goal id"),
                           key);
    }
    (key == "cycle" ? cycle : new_id) = value.get<std::string>();
  }
  if (cycle.empty()) {
    return ErrorResponse(400, "invalid", "'cycle' is required: the cycle to copy the goal into",
                         "cycle");
  }
  GoalCopy made;
  // The goal's part of the workspace with its check-ins (the baselines are the KPIs' values as of
  // the date) and the ids the copies could take, from the database.
  const ScopeRequest scope = GoalCopyScope(id, cycle, new_id);
  auto changes = call.Commit(
      [&](const OperationContext& at) {
        return CopyGoalWrite(at, *as_of, id, cycle, new_id, &made);
      },
      &scope);
  if (!changes) return ErrorResponse(changes.error());
  auto snap = call.Snapshot();  // the snapshot after the write (as the goal list reads it)
  if (!snap) return ErrorResponse(snap.error());
  const Workspace& ws = (*snap)->entities();
  std::vector<int> goals;
  for (const GoalCopy::Made& m : made.goals) goals.push_back(IndexOf<Goal>(**snap, m.id));
  json kpis = json::array();
  for (const GoalCopy::Made& m : made.kpis) {
    kpis.push_back(ToJson(ws.kpis[static_cast<size_t>(IndexOf<Kpi>(**snap, m.id))]));
  }
  auto rollup = (*snap)->RollupAsOf(*as_of);
  HttpResponse res =
      JsonResponse(201, json{{"as_of", as_of->ToString()},
                             {"cycle", cycle},
                             {"goals", GoalsStatusToJson(ws, *rollup, goals, &(*snap)->Links())},
                             {"kpis", std::move(kpis)}});
  res.AddHeader("Location", "/api/v1/goals/" + made.goals.front().id);
  return res;
}

// Refuses a body that lacks a field a new entity needs.
template <typename T>
Result<void> CheckRequired(const json& body) {
  for (const char* field : Kind<T>::Required()) {
    if (!body.contains(field)) {
      std::string id = body.contains("id") && body["id"].is_string() ? body["id"].get<std::string>()
                                                                     : std::string();
      return Error::Invalid(std::string(Kind<T>::kName) + (id.empty() ? "" : " '" + id + "'") +
                                ": '" + field + "' is required",
                            Kind<T>::kName, id, field);
    }
  }
  return Ok();
}

// The stored entity after a write (its new version), from the workspace as it is now.
template <typename T>
HttpResponse Stored(Call& call, const std::string& id, int status) {
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  // The id index: the snapshot a write made has it already (taken over or extended, see
  // WorkspaceSnapshot::Next), so this costs one lookup.
  const CowVector<T>& items = (*snap)->entities().*Kind<T>::kItems;
  const int i = IndexOf<T>(**snap, id);
  if (i < 0) return ErrorResponse(EntityNotFound<T>(id));
  const T& item = items[static_cast<size_t>(i)];
  HttpResponse res = JsonResponse(status, ToJson(item));
  res.AddHeader("ETag", ETagFor(item.version));
  return res;
}

// The part of the workspace a write of `item` reads (store/mutate.h): goals and KPIs with what
// they refer to, the teams for a team, the teams and that person for a person; a new cycle (it
// has no goals yet); a funnel or experiment (the stored one, if any) with what it and the write
// refer to; an action with the actions it depends on (ActionEditScope); a cycle with the goals
// in it (its dates are theirs), with their subtrees and ancestors.
template <typename T>
ScopeRequest EditScopeOf(const T& item, bool creating) {
  if constexpr (std::is_same_v<T, Goal>) {
    std::vector<std::string> people = item.contributors;
    people.push_back(item.owner);
    return GoalEditScope(item.id, item.parent, item.supports, people);
  }
  if constexpr (std::is_same_v<T, Kpi>) {
    return KpiEditScope(item.id, item.goal, item.benchmark_for, item.formula);
  }
  if constexpr (std::is_same_v<T, Team>) return ScopeRequest{};
  if constexpr (std::is_same_v<T, Person>) return ScopeRequest{.people = {item.id}};
  if constexpr (std::is_same_v<T, Action>) {
    return ActionEditScope(item.id, item.goal, item.depends_on, item.owner);
  }
  // A cycle's goals take its dates: an update reads them with their subtrees and ancestors.
  if constexpr (std::is_same_v<T, Cycle>) {
    return creating ? ScopeRequest{} : ScopeRequest{.cycles = {item.id}};
  }
  // A funnel or experiment with what it names (the stored one's stages or goal come with it; an
  // update's body may name others).
  if constexpr (std::is_same_v<T, Funnel>) {
    return ScopeRequest{.kpi_refs = item.stages, .funnels = {item.id}};
  }
  if constexpr (std::is_same_v<T, Experiment>) {
    std::vector<std::string> goals;
    if (!item.goal.empty()) goals.push_back(item.goal);
    return ScopeRequest{.goal_refs = goals, .experiments = {item.id}};
  }
  return ScopeRequest{};  // no other kind
}

template <typename T>
HttpResponse Create(Call& call) {
  HttpResponse refusal;
  auto body = JsonBody(call.req, refusal);
  if (!body) return refusal;
  T item;
  if (auto r = Kind<T>::FromJson(*body, item); !r) return ErrorResponse(r.error(), true);
  if (auto r = CheckRequired<T>(*body); !r) return ErrorResponse(r.error(), true);
  if (auto v = VersionFromJson(*body); !v) {
    return ErrorResponse(v.error(), true);
  } else if (*v && **v != 0) {
    return ErrorResponse(Error::Invalid("a new " + std::string(Kind<T>::kName) +
                                            " has no version yet; leave 'version' out",
                                        Kind<T>::kName, item.id, "version"),
                         true);
  }
  item.version = 0;
  if constexpr (std::is_same_v<T, Kpi>) {
    if (!body->contains("target")) {
      if (item.kind != KpiKind::kMilestone) {
        return ErrorResponse(Error::Invalid("kpi '" + item.id + "': 'target' is required", "kpi",
                                            item.id, "target"),
                             true);
      }
      item.target = 1;
    }
  }
  const std::string id = item.id;
  const ScopeRequest scope = EditScopeOf(item, /*creating=*/true);
  auto changes =
      call.Commit([&](const OperationContext& at) { return CreateEntity(at, item); }, &scope);
  if (!changes) return ErrorResponse(changes.error());
  HttpResponse res = Stored<T>(call, id, 201);
  res.AddHeader("Location", std::string("/api/v1/") + Kind<T>::kPlural + "/" + id);
  return res;
}

// PUT replaces every field (those left out take their defaults); PATCH changes the fields given.
template <typename T>
HttpResponse Update(Call& call, bool replace) {
  const std::string id = call.req.Param("id");
  HttpResponse refusal;
  auto body = JsonBody(call.req, refusal);
  if (!body) return refusal;
  if (!body->is_object()) {
    return ErrorResponse(400, "invalid", "the body must be a JSON object");
  }
  if (auto it = body->find("id"); it != body->end() && !(it->is_string() && *it == id)) {
    return ErrorResponse(Error::Invalid(std::string(Kind<T>::kName) + " '" + id +
                                            "': 'id' cannot change (it is '" + id + "')",
                                        Kind<T>::kName, id, "id"),
                         true);
  }
  // Read the body once against a default entity, so that a malformed body is a 400 before the
  // workspace is touched; what it refers to is what the write reads.
  ScopeRequest scope;
  {
    T probe;
    probe.id = id;
    if (auto r = Kind<T>::FromJson(*body, probe); !r) return ErrorResponse(r.error(), true);
    if (replace) {
      json with_id = *body;
      with_id["id"] = id;
      if (auto r = CheckRequired<T>(with_id); !r) return ErrorResponse(r.error(), true);
    }
    scope = EditScopeOf(probe, /*creating=*/false);
  }
  auto expected = ExpectedVersion(call.req, &*body);
  if (!expected) return ErrorResponse(expected.error(), true);
  auto changes = call.Commit(
      [&](const OperationContext& at) {
        return UpdateEntity<T>(at, id, *expected, [&](T& item) -> Result<void> {
          T next;
          if (!replace) next = item;
          next.id = id;
          if (auto r = Kind<T>::FromJson(*body, next); !r) return r;
          item = std::move(next);
          return Ok();
        });
      },
      &scope);
  if (!changes) return ErrorResponse(changes.error());
  return Stored<T>(call, id, 200);
}

// The named removal of each kind (core/operations.h): what must not be left dangling is refused
// (409) or cleaned up, as the CLI does.
template <typename T>
Result<ChangeSet> RemoveOperation(const OperationContext& at, const std::string& id,
                                  std::optional<int64_t> expected) {
  if constexpr (std::is_same_v<T, Goal>) return RemoveGoal(at, id, expected);
  if constexpr (std::is_same_v<T, Kpi>) return RemoveKpi(at, id, expected);
  if constexpr (std::is_same_v<T, Team>) return RemoveTeam(at, id, expected);
  if constexpr (std::is_same_v<T, Person>) return RemovePerson(at, id, expected);
  if constexpr (std::is_same_v<T, Action>) return RemoveAction(at, id, expected);
  if constexpr (std::is_same_v<T, Funnel>) return RemoveFunnel(at, id, expected);
  if constexpr (std::is_same_v<T, Experiment>) return RemoveExperiment(at, id, expected);
  if constexpr (std::is_same_v<T, Cycle>) return RemoveCycle(at, id, expected);
}

template <typename T>
HttpResponse Delete(Call& call) {
  const std::string id = call.req.Param("id");
  auto expected = ExpectedVersion(call.req, nullptr);
  if (!expected) return ErrorResponse(expected.error(), true);
  auto changes = call.Commit(
      [&](const OperationContext& at) { return RemoveOperation<T>(at, id, *expected); });
  if (!changes) return ErrorResponse(changes.error());
  HttpResponse res;
  res.status = 204;
  return res;
}

template <typename T>
void AddKind(ApiRouter& router, ApiHandler list, ApiHandler get, std::vector<QueryParamDoc> filters) {
  const std::string base = std::string("/api/v1/") + Kind<T>::kPlural;
  const std::string one = base + "/{id}";
  const std::string name = Kind<T>::kName;
  const std::string schema = Kind<T>::kSchema;
  const std::string tag = Kind<T>::kPlural;
  filters.push_back({"limit", "integer", "At most this many (1-1000, default 100)"});
  filters.push_back({"offset", "integer", "Skip this many"});
  router.Add("GET", base, std::move(list),
             {.summary = "List " + tag + " (filters combine)",
              .tag = tag,
              .query = filters,
              .response_schema = schema + "List",
              .errors = {400, 401}});
  router.Add("POST", base, Create<T>,
             {.summary = "Create a " + name,
              .tag = tag,
              .request_schema = schema,
              .response_schema = schema,
              .success_status = 201,
              .errors = {400, 401, 403, 409, 413, 415, 422}});
  std::vector<QueryParamDoc> get_query;
  if (std::is_same_v<T, Goal> || std::is_same_v<T, Cycle>) {
    get_query.push_back({"as_of", "string", "Compute as of", false, "date"});
  }
  router.Add("GET", one, std::move(get),
             {.summary = "One " + name + " (ETag: its version)",
              .tag = tag,
              .query = get_query,
              .response_schema = std::is_same_v<T, Goal>    ? "GoalDetail"
                                 : std::is_same_v<T, Cycle> ? "CycleDetail"
                                                            : schema,
              .errors = {400, 401, 404}});
  router.Add("PUT", one, [](Call& c) { return Update<T>(c, true); },
             {.summary = "Replace a " + name + " (If-Match or body 'version': 409 when stale)",
              .tag = tag,
              .request_schema = schema,
              .response_schema = schema,
              .errors = {400, 401, 403, 404, 409, 413, 415, 422}});
  router.Add("PATCH", one, [](Call& c) { return Update<T>(c, false); },
             {.summary = "Change fields of a " + name +
                         " (If-Match or body 'version': 409 when stale)",
              .tag = tag,
              .request_schema = schema + "Patch",
              .response_schema = schema,
              .errors = {400, 401, 403, 404, 409, 413, 415, 422}});
  router.Add("DELETE", one, Delete<T>,
             {.summary = "Delete a " + name + " (If-Match: 409 when stale)",
              .tag = tag,
              .success_status = 204,
              .errors = {400, 401, 403, 404, 409}});
}

std::vector<QueryParamDoc> FieldFilters(const json& sample) {
  std::vector<QueryParamDoc> out;
  for (const auto& [name, value] : sample.items()) {
    out.push_back({name, "string", "Only those whose " + name + " equals this"});
  }
  return out;
}

}  // namespace

void AddEntityRoutes(ApiRouter& router) {
  AddKind<Team>(router, List<Team>, Get<Team>, FieldFilters(ToJson(Team{})));
  AddKind<Person>(router, List<Person>, Get<Person>, FieldFilters(ToJson(Person{})));
  AddKind<Goal>(router, ListGoals, GetGoal,
                {{"as_of", "string", "Compute as of this date (default today)", false, "date"},
                 {"team", "string", "Only goals this team or one of its sub-teams holds"},
                 {"owner", "string", "Only goals this person owns or contributes to"},
                 {"status", "string", "Only goals with this status (on_track, at_risk, …)"},
                 {"level", "string", "macro or micro"},
                 {"priority", "string", "high, medium or low"},
                 {"channel", "string", "Only this channel"},
                 {"segment", "string", "Only this segment"},
                 {"stage", "string", "Only this funnel stage"},
                 {"state", "string", "active, draft or cancelled"},
                 {"parent", "string", "Only children of this goal"},
                 {"tag", "string", "Only goals with this tag"},
                 {"cycle", "string", "Only goals of this cycle"}});
  AddKind<Kpi>(router, List<Kpi>, Get<Kpi>, FieldFilters(ToJson(Kpi{})));
  AddKind<Action>(router, List<Action>, Get<Action>, FieldFilters(ToJson(Action{})));
  AddKind<Funnel>(router, List<Funnel>, Get<Funnel>, FieldFilters(ToJson(Funnel{})));
  AddKind<Experiment>(router, List<Experiment>, Get<Experiment>,
                      FieldFilters(ToJson(Experiment{})));
  std::vector<QueryParamDoc> cycle_filters = FieldFilters(ToJson(Cycle{}));
  cycle_filters.push_back({"as_of", "string",
                           "Each cycle's score and counts as of this date (default today; a closed "
                           "cycle's as of its end)",
                           false, "date"});
  AddKind<Cycle>(router, List<Cycle>, GetCycle, std::move(cycle_filters));
  AddCycleStateRoutes(router);
  router.Add("POST", "/api/v1/goals/{id}/copy", CopyGoalRoute,
             {.summary = "Carry a goal over into a cycle (`goal copy`): draft copies of it, its "
                         "KPIs (baseline = value as of ?as_of=, target kept, relative targets "
                         "re-resolved) and its descendants; ids: 'id' for the copy, else "
                         "<id>-<cycle>",
              .tag = "goals",
              .query = {{"as_of", "string", "The KPIs' new baselines are their values as of this "
                                            "date (default today)",
                         false, "date"}},
              .request_schema = "GoalCopyRequest",
              .response_schema = "GoalCopy",
              .success_status = 201,
              .errors = {400, 401, 403, 404, 409, 413, 415, 422}});
}

}  // namespace cascade
