// The API's plain request readers and answers: JSON bodies, query parameters, versions, and the
// JSON and error responses, apart from any state so a fuzz target can link them alone.
#include <cctype>
#include <cmath>
#include <cstdio>

#include "core/validate.h"
#include "server/api_internal.h"

namespace cascade {
namespace {

using nlohmann::json;

constexpr int kMaxJsonDepth = 64;

// True when `text` nests arrays and objects deeper than `limit` (strings are skipped).
bool TooDeep(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

// "the body is not valid JSON at byte 14: …" from nlohmann's "[json.exception.parse_error.101]
// parse error at line 1, column 14: syntax error while parsing …": the byte counts from 1.
std::string JsonSyntaxMessage(const json::parse_error& e) {
  std::string_view what = e.what();
  const size_t detail = what.find(": ");
  what = detail == std::string_view::npos ? std::string_view() : what.substr(detail + 2);
  return "the body is not valid JSON at byte " + std::to_string(e.byte) +
         (what.empty() ? "" : ": " + std::string(what));
}

std::string_view ErrorCodeName(int status) {
  switch (status) {
    case 400:
    case 422:
      return "invalid";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 409:
      return "conflict";
    case 413:
      return "too_large";
    case 415:
      return "unsupported_media_type";
    case 429:
      return "rate_limited";
    case 503:
      return "unavailable";
    default:
      return "internal";
  }
}

}  // namespace

// ---- Responses ----

int StatusFor(const Error& error, bool bad_request) {
  switch (error.code) {
    case ErrorCode::kInvalid:
      return bad_request ? 400 : 422;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kStorage:
      return 500;
    case ErrorCode::kBusy:
      return 503;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kRateLimited:
      return 429;
  }
  return 500;
}

HttpResponse ErrorResponse(int status, std::string code, std::string message, std::string field) {
  json body = {{"error",
                {{"code", std::move(code)},
                 {"message", std::move(message)},
                 {"field", field.empty() ? json(nullptr) : json(field)}}}};
  HttpResponse res = JsonResponse(status, body);
  if (status == 401) res.AddHeader("WWW-Authenticate", "Bearer realm=\"cascade\"");
  return res;
}

HttpResponse ErrorResponse(const Error& error, bool bad_request) {
  const int status = StatusFor(error, bad_request);
  std::string message = error.ToString();
  std::string field = error.field;
  if (status >= 500) {
    // Storage details (SQL, file names) stay in the log.
    std::fprintf(stderr, "cascade serve: storage failure: %s\n", message.c_str());
    message = status == 503 ? "the database is busy; try again" : "the database failed; try again";
    field.clear();
  }
  if (field == "csrf") field = "X-CSRF-Token";
  if (error.code == ErrorCode::kUnauthenticated || error.code == ErrorCode::kRateLimited) {
    field.clear();
  }
  HttpResponse res = ErrorResponse(status, std::string(ErrorCodeName(status)), std::move(message),
                                   std::move(field));
  // Busy: another writer held the database past the wait; a retry shortly is likely to pass.
  if (error.code == ErrorCode::kBusy) res.AddHeader("Retry-After", "1");
  if (error.code == ErrorCode::kRateLimited) res.AddHeader("Retry-After", "900");
  return res;
}

HttpResponse JsonTextResponse(int status, std::string body) {
  HttpResponse res;
  res.status = status;
  res.body = std::move(body);
  res.AddHeader("Cache-Control", "no-store");
  res.AddHeader("X-Content-Type-Options", "nosniff");
  return res;
}

std::string DumpJson(const json& body) {
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

HttpResponse JsonResponse(int status, const json& body) {
  return JsonTextResponse(status, DumpJson(body));
}

std::string ETagFor(int64_t version) { return "\"" + std::to_string(version) + "\""; }

// ---- Requests ----

// The media type of a Content-Type header, lower case and without parameters or spaces.
std::string MediaType(std::string_view header) {
  std::string_view type = header.substr(0, header.find(';'));
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  std::string out(type);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<json> JsonBody(const HttpRequest& req, HttpResponse& refusal) {
  const std::string type = MediaType(req.Header("content-type"));
  const bool json_type = type == "application/json" ||
                         (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0);
  if (!type.empty() && !json_type) {
    refusal = ErrorResponse(415, "unsupported_media_type",
                            "the body must be JSON (Content-Type: application/json)",
                            "content-type");
    return std::nullopt;
  }
  if (TooDeep(req.body, kMaxJsonDepth)) {
    refusal = ErrorResponse(400, "invalid", "the body nests deeper than 64 levels", "");
    return std::nullopt;
  }
  if (req.body.empty()) {
    refusal = ErrorResponse(400, "invalid", "the request needs a JSON body", "");
    return std::nullopt;
  }
  try {
    return json::parse(req.body);
  } catch (const json::parse_error& e) {
    refusal = ErrorResponse(400, "invalid", JsonSyntaxMessage(e), "");
    return std::nullopt;
  } catch (const json::out_of_range&) {
    // nlohmann refuses a number no double holds (1e812) with an exception of its own.
    refusal = ErrorResponse(400, "invalid",
                            "the body holds a number too large to read; numbers must be " +
                                EntryValueRangeText(),
                            "");
    return std::nullopt;
  }
}

Result<Date> AsOfParam(const HttpRequest& req, Date today) {
  auto text = req.Query("as_of");
  if (!text || text->empty()) return today;
  const auto d = Date::Parse(*text);
  if (!d) {
    return Error::Invalid("as_of '" + *text + "' is not a date; use YYYY-MM-DD", "", "", "as_of");
  }
  if (!IsEntryDate(*d)) {
    return Error::Invalid("as_of " + *text +
                              " is outside the dates Cascade accepts; use a date from " +
                              EntryDateRangeText(),
                          "", "", "as_of");
  }
  return *d;
}

Result<std::optional<double>> NumberParam(const HttpRequest& req, const std::string& name) {
  auto text = req.Query(name);
  if (!text) return std::optional<double>();
  try {
    size_t used = 0;
    const double v = std::stod(*text, &used);
    if (used == text->size() && std::isfinite(v)) return std::optional<double>(v);
  } catch (const std::exception&) {
  }
  return Error::Invalid(name + " '" + *text + "' is not a number", "", "", name);
}

Result<std::optional<int64_t>> IntParam(const HttpRequest& req, const std::string& name,
                                        int64_t min, int64_t max) {
  auto text = req.Query(name);
  if (!text) return std::optional<int64_t>();
  try {
    size_t used = 0;
    const long long v = std::stoll(*text, &used);
    if (used == text->size() && v >= min && v <= max) return std::optional<int64_t>(v);
  } catch (const std::exception&) {
  }
  return Error::Invalid(name + " '" + *text + "' must be a whole number from " +
                            std::to_string(min) + " to " + std::to_string(max),
                        "", "", name);
}

Result<bool> BoolParam(const HttpRequest& req, const std::string& name) {
  auto text = req.Query(name);
  if (!text) return false;
  if (*text == "" || *text == "true" || *text == "1") return true;
  if (*text == "false" || *text == "0") return false;
  return Error::Invalid(name + " '" + *text + "' must be true or false", "", "", name);
}

Result<std::optional<int64_t>> ExpectedVersion(const HttpRequest& req, const json* body) {
  std::string_view match = req.Header("if-match");
  if (!match.empty()) {
    if (match == "*") return std::optional<int64_t>();
    if (match.substr(0, 2) == "W/") match.remove_prefix(2);
    if (match.size() >= 2 && match.front() == '"' && match.back() == '"') {
      match = match.substr(1, match.size() - 2);
    }
    int64_t v = 0;
    bool ok = !match.empty() && match.size() < 19;
    for (char c : match) {
      ok = ok && c >= '0' && c <= '9';
      if (ok) v = v * 10 + (c - '0');
    }
    if (!ok) {
      return Error::Invalid("If-Match must be an ETag this API gave (a version such as \"3\")", "",
                            "", "If-Match");
    }
    return std::optional<int64_t>(v);
  }
  if (body != nullptr) {
    auto it = body->find("version");
    if (it != body->end()) {
      if (!it->is_number_integer() || it->get<int64_t>() < 0) {
        return Error::Invalid("'version' must be a non-negative whole number", "", "", "version");
      }
      return std::optional<int64_t>(it->get<int64_t>());
    }
  }
  return std::optional<int64_t>();
}

}  // namespace cascade
