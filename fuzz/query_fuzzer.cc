// Fuzz target: a request's query string as the HTTP API reads it (ParseQuery: the split on & and
// =, the percent-decoding), then every query parameter parser of src/server on what it yields:
// as_of (AsOfParam: a date inside the entry range), limit and offset, max_lag (IntParam), target
// (NumberParam), wide and dry_run (BoolParam), and period (ParsePeriod). A refusal must be a 400
// whose JSON body serialises (the parameter's text is echoed in it); a value taken must lie inside
// the bounds the parser states. A crash, a sanitizer report, an exception or a hang is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "analytics/correlation.h"
#include "core/date.h"
#include "fuzz_check.h"
#include "server/api_internal.h"
#include "server/http.h"

using namespace cascade;

namespace {

// An Error as the API answers it: a 400 with a JSON body naming the parameter.
void CheckRefusal(const Error& error, const std::string& name) {
  FUZZ_CHECK(!error.message.empty());
  FUZZ_CHECK(error.field == name);
  const HttpResponse res = ErrorResponse(error, true);
  FUZZ_CHECK(res.status == 400);
  const auto body = nlohmann::json::parse(res.Body(), nullptr, false);
  FUZZ_CHECK(!body.is_discarded());
  FUZZ_CHECK(body["error"]["field"] == name);
}

void CheckInt(const HttpRequest& req, const std::string& name, int64_t min, int64_t max) {
  auto v = IntParam(req, name, min, max);
  if (!v) {
    CheckRefusal(v.error(), name);
    return;
  }
  if (*v) FUZZ_CHECK(**v >= min && **v <= max);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto query = ParseQuery(text);
  if (!query) return 0;  // the server answers a malformed %-escape with a 400 itself
  HttpRequest req;
  req.method = "GET";
  req.path = "/api/v1/correlation";
  req.target = req.path + "?" + std::string(text);
  req.query = *query;
  for (const auto& [name, value] : req.query) {
    (void)req.Query(name);
    // A name is cut at a raw '&'; one it holds came percent-encoded (%26), decoded after the cut.
    FUZZ_CHECK(name.find('&') == std::string::npos || text.find("%26") != std::string_view::npos);
  }

  if (auto as_of = AsOfParam(req, *Date::FromCivil(2026, 1, 1)); as_of) {
    FUZZ_CHECK(IsEntryDate(*as_of) || !req.Query("as_of") || req.Query("as_of")->empty());
    FUZZ_CHECK(as_of->ToString().size() == 10);
  } else {
    CheckRefusal(as_of.error(), "as_of");
  }
  CheckInt(req, "limit", 1, 100000);
  CheckInt(req, "offset", 0, 1'000'000'000);
  CheckInt(req, "max_lag", 0, kMaxCorrelationLag);
  if (auto target = NumberParam(req, "target"); target) {
    if (*target) FUZZ_CHECK(std::isfinite(**target));
  } else {
    CheckRefusal(target.error(), "target");
  }
  for (const std::string name : {"wide", "dry_run"}) {
    if (auto b = BoolParam(req, name); !b) CheckRefusal(b.error(), name);
  }
  if (auto period = req.Query("period")) (void)ParsePeriod(*period);
  return 0;
}
