// Fuzz target: a JSON request body as the HTTP API reads it (JsonBody: the depth limit, then
// nlohmann's parser), then as the body of a create (onto a default entity) and of a PATCH (onto a
// stored one) of every kind, of a check-in, a batch of check-ins and a comment. What reads cleanly
// goes into the demo workspace as the API's Mutate would put it, is validated and, when valid,
// rolled up and linted. A refusal (an Error) is fine; a crash, a sanitizer report, an exception or
// a hang is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/lint.h"
#include "core/rollup.h"
#include "core/validate.h"
#include "demo/demo_workspace.h"
#include "fuzz_check.h"
#include "io/entity_from_json.h"
#include "server/api_internal.h"

using namespace cascade;
using nlohmann::json;

namespace {

const Date kToday = *Date::FromCivil(2026, 3, 1);

const Workspace& Demo() {
  static const Workspace ws = [] {
    Workspace w = BuildDemoWorkspace(kToday);
    FUZZ_CHECK(ValidateWorkspace(w).empty());
    return w;
  }();
  return ws;
}

// The workspace with `items` changed: validated, and when valid rolled up and linted.
void Check(const Workspace& ws) {
  const Errors errors = ValidateWorkspace(ws);
  for (const Error& e : errors) FUZZ_CHECK(!e.message.empty());
  if (!errors.empty()) return;
  const Rollup rollup = ComputeRollup(ws, kToday);
  (void)LintWorkspace(ws, rollup);
}

template <typename T>
void ReadEntity(const json& body, Result<void> (*from_json)(const json&, T&),
            CowVector<T> Workspace::*items) {
  // Create: onto a default entity, added after the others unless its id is taken.
  T created;
  if (auto r = from_json(body, created); r) {
    Workspace ws = Demo();
    bool taken = false;
    for (const T& item : ws.*items) taken = taken || item.id == created.id;
    if (!taken) {
      (ws.*items).push_back(created);
      Check(ws);
    }
  } else {
    FUZZ_CHECK(!r.error().message.empty());
  }
  // PATCH: onto the first stored entity of the kind, keeping its id.
  if ((Demo().*items).empty()) return;
  T patched = (Demo().*items).front();
  const std::string id = patched.id;
  if (auto r = from_json(body, patched); r) {
    patched.id = id;
    Workspace ws = Demo();
    (ws.*items).front() = patched;
    Check(ws);
  }
}

void Checkins(const json& body) {
  const json* items = &body;
  if (body.is_object()) {
    auto it = body.find("checkins");
    if (it == body.end()) return;
    items = &*it;
  }
  if (!items->is_array()) items = nullptr;
  std::vector<Checkin> read;
  auto one = [&read](const json& item) {
    Checkin c;
    c.date = kToday;
    if (auto r = CheckinFromJson(item, c); !r) return false;
    FUZZ_CHECK(std::isfinite(c.value));
    read.push_back(c);
    return true;
  };
  if (items) {
    for (const json& item : *items) {
      if (!one(item)) return;
    }
  } else if (!one(body)) {
    return;
  }
  Workspace ws = Demo();
  const WorkspaceIndex index(ws);
  for (const Checkin& c : read) {
    if (index.kpi(c.kpi) < 0) return;  // the API refuses it (422) before validation
  }
  ws.checkins.insert(ws.checkins.end(), read.begin(), read.end());
  Check(ws);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  HttpRequest req;
  req.method = "POST";
  req.headers = {{"content-type", "application/json"}};
  req.body.assign(reinterpret_cast<const char*>(data), size);
  HttpResponse refusal;
  const std::optional<json> body = JsonBody(req, refusal);
  if (!body) {
    FUZZ_CHECK(refusal.status >= 400 && refusal.status < 500);
    return 0;
  }
  ReadEntity(*body, TeamFromJson, &Workspace::teams);
  ReadEntity(*body, PersonFromJson, &Workspace::people);
  ReadEntity(*body, GoalFromJson, &Workspace::goals);
  ReadEntity(*body, KpiFromJson, &Workspace::kpis);
  ReadEntity(*body, ActionFromJson, &Workspace::actions);
  ReadEntity(*body, FunnelFromJson, &Workspace::funnels);
  ReadEntity(*body, ExperimentFromJson, &Workspace::experiments);
  (void)VersionFromJson(*body);
  Checkins(*body);
  Comment comment;
  (void)CommentFromJson(*body, comment);
  // What an error response would say of it: the body echoed into JSON must serialise.
  (void)body->dump();
  return 0;
}
