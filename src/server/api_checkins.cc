// Check-ins (one at a time, or a batch in one transaction, as JSON or CSV), comments and spend.
#include <algorithm>
#include <charconv>
#include <type_traits>

#include "io/checkin_csv.h"
#include "io/entity_from_json.h"
#include "io/entity_json.h"
#include "server/api_internal.h"

namespace cascade {
namespace {

using nlohmann::json;

// A batch may hold at most this many check-ins (a larger file goes through `import checkins`).
constexpr size_t kMaxBatch = 100000;

// Who a record is by when the body does not say (or says "" or null): the signed-in person, else
// nobody (an account that is no person). Another author is refused unless it is a person of the
// workspace (422, below) and the account is an admin (403, AuthorizeChanges).
std::string DefaultAuthor(const Call& call) { return OwnAuthor(call.who); }

// Refuses (422, field `author` after `prefix`) an admin's author other than its own that is not a
// person of the workspace. Anyone else's other author, known or not, is refused (403) by
// AuthorizeChanges: whether a name is a person does not matter to who may not use it.
Result<void> CheckAuthor(const WorkspaceIndex& index, const Call& call, const std::string& author,
                         const std::string& kind, const std::string& id,
                         const std::string& prefix) {
  if (call.who.role != Role::kAdmin || author == OwnAuthor(call.who)) return Ok();
  if (index.person(author) >= 0) return Ok();
  return Error::Invalid((prefix.empty() ? "" : prefix + ": ") + "author '" + author +
                            "' is not a person of the workspace; name a person's id (GET "
                            "/api/v1/people), or leave 'author' out to record as yourself",
                        kind, id, prefix.empty() ? "author" : prefix + ".author");
}

// Reads one check-in object; `prefix` ("checkins[3].") goes before the field in errors.
Result<Checkin> ReadCheckin(const json& item, const Call& call, Date today, const std::string& prefix) {
  Checkin c;
  c.date = today;
  c.author = DefaultAuthor(call);
  if (auto r = CheckinFromJson(item, c); !r) {
    Error e = r.error();
    if (!prefix.empty()) {
      e.field = prefix + e.field;
      e.message = prefix.substr(0, prefix.size() - 1) + ": " + e.message;
    }
    return e;
  }
  if (c.author.empty()) c.author = DefaultAuthor(call);
  c.seq = 0;
  return c;
}

// The KPIs and the authors must exist: a clear 422 rather than what validation would say of a
// dangling reference.
Result<void> CheckKpisAndAuthors(const WorkspaceIndex& index, const Call& call,
                                 const std::vector<Checkin>& checkins) {
  for (size_t i = 0; i < checkins.size(); ++i) {
    const std::string where = checkins.size() > 1 ? "checkins[" + std::to_string(i) + "]" : "";
    if (index.kpi(checkins[i].kpi) < 0) {
      return Error::Invalid((where.empty() ? "" : where + ": ") + "kpi '" + checkins[i].kpi +
                                "' does not exist",
                            "kpi", checkins[i].kpi, where.empty() ? "kpi" : where + ".kpi");
    }
    if (auto r = CheckAuthor(index, call, checkins[i].author, "checkin", checkins[i].kpi, where);
        !r) {
      return r;
    }
  }
  return Ok();
}

HttpResponse PostCheckins(Call& call, std::vector<Checkin> checkins) {
  auto changes = call.Commit([&](const OperationContext& at) -> Result<ChangeSet> {
    if (auto r = CheckKpisAndAuthors(at.index, call, checkins); !r) return r.error();
    return AppendCheckins(at, checkins);
  });
  if (!changes) return ErrorResponse(changes.error());
  if (checkins.size() == 1 && call.req.path == "/api/v1/checkins") {
    Checkin& c = checkins.front();
    // The seq the store gave it (Store::Apply tells; no reload to find it).
    if (changes->checkins.size() == 1) c.seq = changes->checkins.front().seq;
    HttpResponse res = JsonResponse(201, json{{"checkin", ToJson(c)}});
    if (c.seq > 0) res.AddHeader("Location", "/api/v1/checkins/" + std::to_string(c.seq));
    return res;
  }
  return JsonResponse(201, json{{"checkins_added", changes->checkins.size()}});
}

HttpResponse PostCheckin(Call& call) {
  HttpResponse refusal;
  auto body = JsonBody(call.req, refusal);
  if (!body) return refusal;
  auto c = ReadCheckin(*body, call, call.Today(), "");
  if (!c) return ErrorResponse(c.error(), true);
  return PostCheckins(call, {std::move(*c)});
}

// POST /api/v1/checkins/batch: {"checkins": [...]} or a bare array, or a CSV file
// (Content-Type: text/csv; ?wide=true, ?map=kpi=Metric,date=Day) as `import checkins` reads it.
// All or nothing: one transaction.
HttpResponse PostBatch(Call& call) {
  const std::string mime = MediaType(call.req.Header("content-type"));
  std::vector<Checkin> checkins;
  if (mime == "text/csv") {
    CheckinCsvOptions options;
    auto wide = BoolParam(call.req, "wide");
    if (!wide) return ErrorResponse(wide.error(), true);
    options.wide = *wide;
    if (auto map = call.req.Query("map")) {
      if (auto r = ParseColumnMap(*map, options); !r) {
        Error e = r.error();
        e.field = "map";
        return ErrorResponse(e, true);
      }
    }
    auto snap = call.Snapshot();
    if (!snap) return ErrorResponse(snap.error());
    auto csv = ReadCheckinCsv(call.req.body, options, (*snap)->ws());
    if (!csv) return ErrorResponse(csv.error());
    if (csv->problem_count > 0) {
      const CsvProblem& p = csv->problems.front();
      return ErrorResponse(422, "invalid",
                           "line " + std::to_string(p.line) +
                               (p.column.empty() ? "" : ", column " + p.column) + ": " + p.reason +
                               (csv->problem_count > 1
                                    ? " (and " + std::to_string(csv->problem_count - 1) +
                                          " more problems); nothing was imported"
                                    : "; nothing was imported"),
                           p.column.empty() ? "line " + std::to_string(p.line) : p.column);
    }
    checkins = std::move(csv->checkins);
    const std::string author = DefaultAuthor(call);
    for (Checkin& c : checkins) {
      if (c.author.empty()) c.author = author;
    }
  } else {
    HttpResponse refusal;
    auto body = JsonBody(call.req, refusal);
    if (!body) return refusal;
    const json* items = &*body;
    if (body->is_object()) {
      for (const auto& [key, value] : body->items()) {
        if (key != "checkins") {
          return ErrorResponse(400, "invalid",
                               "unknown field '" + key + "'; the body is {\"checkins\": [...]}",
                               key);
        }
      }
      auto it = body->find("checkins");
      if (it == body->end()) {
        return ErrorResponse(400, "invalid", "'checkins' is required", "checkins");
      }
      items = &*it;
    }
    if (!items->is_array()) {
      return ErrorResponse(400, "invalid", "'checkins' must be an array of check-ins", "checkins");
    }
    if (items->empty()) {
      return ErrorResponse(400, "invalid", "'checkins' is empty", "checkins");
    }
    if (items->size() > kMaxBatch) {
      return ErrorResponse(413, "too_large",
                           "a batch holds at most " + std::to_string(kMaxBatch) + " check-ins",
                           "checkins");
    }
    const Date today = call.Today();
    checkins.reserve(items->size());
    for (size_t i = 0; i < items->size(); ++i) {
      auto c = ReadCheckin((*items)[i], call, today, "checkins[" + std::to_string(i) + "].");
      if (!c) return ErrorResponse(c.error(), true);
      checkins.push_back(std::move(*c));
    }
  }
  if (checkins.empty()) return ErrorResponse(422, "invalid", "the file holds no check-ins");
  return PostCheckins(call, std::move(checkins));
}

// GET /api/v1/checkins?kpi=&author=&from=&to=: oldest first, as recorded.
HttpResponse ListCheckins(Call& call) {
  std::optional<Date> from, to;
  for (const auto& [name, value] : call.req.query) {
    if (name != "kpi" && name != "author" && name != "from" && name != "to" && name != "limit" &&
        name != "offset" && name != "as_of") {  // as_of: accepted everywhere, unused here
      return ErrorResponse(Error::Invalid("'" + name +
                                              "' is not a check-in filter; use kpi, author, from, "
                                              "to, limit or offset",
                                          "", "", name),
                           true);
    }
    if (name == "from" || name == "to") {
      auto d = Date::Parse(value);
      if (!d) {
        return ErrorResponse(Error::Invalid(name + " '" + value + "' is not a date; use YYYY-MM-DD",
                                            "", "", name),
                             true);
      }
      if (!IsEntryDate(*d)) {
        return ErrorResponse(Error::Invalid(name + " " + value +
                                                " is outside the dates Cascade accepts; use a "
                                                "date from " +
                                                EntryDateRangeText(),
                                            "", "", name),
                             true);
      }
      (name == "from" ? from : to) = *d;
    }
  }
  auto limit = IntParam(call.req, "limit", 1, 100000);
  if (!limit) return ErrorResponse(limit.error(), true);
  auto offset = IntParam(call.req, "offset", 0, 1'000'000'000);
  if (!offset) return ErrorResponse(offset.error(), true);
  const size_t max = limit->value_or(1000);
  const size_t skip = static_cast<size_t>(offset->value_or(0));
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const auto kpi = call.req.Query("kpi");
  const auto author = call.req.Query("author");
  json list = json::array();
  size_t total = 0;
  auto add = [&](const Checkin& c) {
    if ((kpi && c.kpi != *kpi) || (author && c.author != *author) || (from && c.date < *from) ||
        (to && *to < c.date)) {
      return;
    }
    if (total >= skip && list.size() < max) list.push_back(ToJson(c));
    ++total;
  };
  if (kpi) {
    // One KPI's (a goal page's chart): its own check-ins, in the order recorded, as the whole
    // list holds them; not a pass over every check-in, nor the whole workspace a snapshot made
    // by a write would first copy to have them in one list.
    if (const int k = (*snap)->Index().kpi(*kpi); k >= 0) {
      for (const Checkin& c : (*snap)->CheckinsOf(static_cast<size_t>(k))) add(c);
    }
  } else {
    for (const Checkin* c : (*snap)->CheckinsInOrder()) add(*c);
  }
  return JsonResponse(200, json{{"checkins", std::move(list)},
                                {"total", total},
                                {"limit", max},
                                {"offset", skip}});
}

// GET /api/v1/checkins/{seq} and /api/v1/comments/{seq}: one record by the number the store gave
// it (`seq` in the lists).
//
// Check-ins and comments have no version: they are addressed by seq, and PATCH and DELETE take no
// If-Match. A version column would mean migrating the two largest tables and every import path
// for records that are corrected rarely, and by the person who entered them. What guards a
// correction instead: the store applies it only while the row is exactly as the server read it
// (409 otherwise), and the history keeps every before and after.
template <typename Records, typename T = typename Records::value_type>
HttpResponse GetRecord(Call& call, Records Workspace::*records, const char* kind) {
  const std::string number = call.req.Param("seq");
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  if constexpr (std::is_same_v<T, Checkin>) {
    // Kept per KPI: found by seq in the snapshot's order of them.
    int64_t seq = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), seq);
    if (ec == std::errc() && end == number.data() + number.size() && std::to_string(seq) == number) {
      if (const Checkin* c = (*snap)->FindCheckin(seq)) return JsonResponse(200, ToJson(*c));
    }
  } else {
    for (const T& r : (*snap)->entities().*records) {
      if (std::to_string(r.seq) == number) return JsonResponse(200, ToJson(r));
    }
  }
  return ErrorResponse(Error::NotFound(std::string(kind) + " #" + number + " does not exist",
                                       kind, number, "seq"));
}

// The body of a correction: an object holding only `allowed` fields (and `seq`, if it is the
// record's own).
std::optional<json> CorrectionBody(Call& call, std::initializer_list<std::string_view> allowed,
                                   const std::string& what, HttpResponse& refusal) {
  auto body = JsonBody(call.req, refusal);
  if (!body) return std::nullopt;
  const std::string number = call.req.Param("seq");
  if (!body->is_object()) {
    refusal = ErrorResponse(400, "invalid", "the body must be a JSON object");
    return std::nullopt;
  }
  for (const auto& [key, value] : body->items()) {
    if (key == "seq") {
      if (!value.is_number_integer() || std::to_string(value.get<int64_t>()) != number) {
        refusal = ErrorResponse(400, "invalid", "'seq' cannot change (it is " + number + ")", "seq");
        return std::nullopt;
      }
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string fields;
      for (std::string_view f : allowed) fields += (fields.empty() ? "" : ", ") + std::string(f);
      refusal = ErrorResponse(400, "invalid",
                              "'" + key + "' of a " + what + " cannot be changed; " + fields +
                                  " can (delete it and record a new one instead)",
                              key);
      return std::nullopt;
    }
  }
  return body;
}

// PATCH /api/v1/checkins/{seq}: correct the value, date or note of a recorded check-in, checked
// as at entry (a milestone's value is 0 or 1, numbers are finite, dates are dates).
HttpResponse PatchCheckin(Call& call) {
  HttpResponse refusal;
  auto body = CorrectionBody(call, {"value", "date", "note"}, "check-in", refusal);
  if (!body) return refusal;
  std::optional<double> value;
  std::optional<Date> date;
  std::optional<std::string> note;
  if (auto it = body->find("value"); it != body->end()) {
    if (!it->is_number()) {
      return ErrorResponse(400, "invalid", "'value' must be a number", "value");
    }
    value = it->get<double>();
  }
  if (auto it = body->find("date"); it != body->end()) {
    if (it->is_string()) date = Date::Parse(it->get<std::string>());
    if (!date) return ErrorResponse(400, "invalid", "'date' must be a date, YYYY-MM-DD", "date");
  }
  if (auto it = body->find("note"); it != body->end()) {
    if (!it->is_string()) return ErrorResponse(400, "invalid", "'note' must be a string", "note");
    note = it->get<std::string>();
  }
  const std::string number = call.req.Param("seq");
  const ScopeRequest scope{.checkin_seqs = SeqsNamed(number)};
  Checkin stored;
  auto changes = call.Commit(
      [&](const OperationContext& at) {
        return CorrectCheckin(at, number, [&](Checkin& c) -> Result<void> {
          if (value) c.value = *value;
          if (date) c.date = *date;
          if (note) c.note = *note;
          stored = c;
          return Ok();
        });
      },
      &scope);
  if (!changes) return ErrorResponse(changes.error());
  return JsonResponse(200, ToJson(stored));
}

// PATCH /api/v1/comments/{seq}: correct a comment's text.
HttpResponse PatchComment(Call& call) {
  HttpResponse refusal;
  auto body = CorrectionBody(call, {"text"}, "comment", refusal);
  if (!body) return refusal;
  std::optional<std::string> text;
  if (auto it = body->find("text"); it != body->end()) {
    if (!it->is_string() || it->get<std::string>().empty()) {
      return ErrorResponse(400, "invalid", "'text' must be a non-empty string", "text");
    }
    text = it->get<std::string>();
  }
  const std::string number = call.req.Param("seq");
  const ScopeRequest scope{.comment_seqs = SeqsNamed(number)};
  Comment stored;
  auto changes = call.Commit(
      [&](const OperationContext& at) {
        return CorrectComment(at, number, [&](Comment& c) -> Result<void> {
          if (text) c.text = *text;
          stored = c;
          return Ok();
        });
      },
      &scope);
  if (!changes) return ErrorResponse(changes.error());
  return JsonResponse(200, ToJson(stored));
}

// DELETE /api/v1/checkins/{seq}, /api/v1/comments/{seq} and /api/v1/spend/{seq}: `remove` with
// the part of the workspace the record reaches (`seqs`: where the ScopeRequest names it).
HttpResponse DeleteRecord(Call& call, std::vector<int64_t> ScopeRequest::*seqs,
                          Result<ChangeSet> (*remove)(const OperationContext&, const std::string&)) {
  const std::string number = call.req.Param("seq");
  ScopeRequest scope;
  scope.*seqs = SeqsNamed(number);
  auto changes =
      call.Commit([&](const OperationContext& at) { return remove(at, number); }, &scope);
  if (!changes) return ErrorResponse(changes.error());
  HttpResponse res;
  res.status = 204;
  return res;
}

HttpResponse ListComments(Call& call) {
  for (const auto& [name, value] : call.req.query) {
    if (name != "goal" && name != "as_of") {  // as_of: accepted everywhere, unused here
      return ErrorResponse(
          Error::Invalid("'" + name + "' is not a comment filter; use goal", "", "", name), true);
    }
  }
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const auto goal = call.req.Query("goal");
  json list = json::array();
  for (const Comment& c : (*snap)->entities().comments) {
    if (!goal || c.goal == *goal) list.push_back(ToJson(c));
  }
  return JsonResponse(200, json{{"comments", std::move(list)}});
}

HttpResponse PostComment(Call& call) {
  HttpResponse refusal;
  auto body = JsonBody(call.req, refusal);
  if (!body) return refusal;
  Comment c;
  const Date today = call.Today();
  c.date = today;
  c.author = DefaultAuthor(call);
  if (auto r = CommentFromJson(*body, c); !r) return ErrorResponse(r.error(), true);
  if (c.author.empty()) c.author = DefaultAuthor(call);
  c.seq = 0;
  // A comment is stakeholder input as of the day it is made: only an admin (entering what was
  // said elsewhere, say) may date it otherwise; a member may not back-date one.
  if (call.who.role != Role::kAdmin && c.date != today) {
    return ErrorResponse(Error::Make(ErrorCode::kForbidden,
                                     call.who.account + " is a " +
                                         std::string(ToString(call.who.role)) +
                                         ": only admins may date a comment; a comment is dated "
                                         "the day it is made (" +
                                         today.ToString() + "), leave 'date' out",
                                     "comment", c.goal, "date"));
  }
  auto changes = call.Commit([&](const OperationContext& at) -> Result<ChangeSet> {
    // An unknown goal is refused first, in AddComment's words; then the author.
    if (at.index.goal(c.goal) < 0) return AddComment(at, c);
    if (auto r = CheckAuthor(at.index, call, c.author, "comment", c.goal, ""); !r) return r.error();
    return AddComment(at, c);
  });
  if (!changes) return ErrorResponse(changes.error());
  // The seq the store gave it (Store::Apply tells; no reload to find it).
  if (changes->comments.size() == 1) c.seq = changes->comments.front().seq;
  HttpResponse res = JsonResponse(201, json{{"comment", ToJson(c)}});
  if (c.seq > 0) res.AddHeader("Location", "/api/v1/comments/" + std::to_string(c.seq));
  return res;
}

HttpResponse ListSpend(Call& call) {
  for (const auto& [name, value] : call.req.query) {
    if (name != "goal" && name != "as_of") {  // as_of: accepted everywhere, unused here
      return ErrorResponse(
          Error::Invalid("'" + name + "' is not a spend filter; use goal", "", "", name), true);
    }
  }
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  const auto goal = call.req.Query("goal");
  json list = json::array();
  double total = 0;
  for (const Spend& s : (*snap)->entities().spend) {
    if (goal && s.goal != *goal) continue;
    list.push_back(ToJson(s));
    total += s.amount;
  }
  return JsonResponse(200, json{{"spend", std::move(list)}, {"total", total}});
}

// POST /api/v1/spend: as a check-in, by the signed-in person unless an admin names another, on a
// goal the account may check in on.
HttpResponse PostSpend(Call& call) {
  HttpResponse refusal;
  auto body = JsonBody(call.req, refusal);
  if (!body) return refusal;
  Spend s;
  s.date = call.Today();
  s.author = DefaultAuthor(call);
  if (auto r = SpendFromJson(*body, s); !r) return ErrorResponse(r.error(), true);
  if (s.author.empty()) s.author = DefaultAuthor(call);
  s.seq = 0;
  auto changes = call.Commit([&](const OperationContext& at) -> Result<ChangeSet> {
    if (at.index.goal(s.goal) < 0) {
      return Error::Invalid("goal '" + s.goal + "' does not exist", "goal", s.goal, "goal");
    }
    if (auto r = CheckAuthor(at.index, call, s.author, "spend", s.goal, ""); !r) return r.error();
    return AppendSpend(at, {s});
  });
  if (!changes) return ErrorResponse(changes.error());
  if (changes->spend.size() == 1) s.seq = changes->spend.front().seq;
  HttpResponse res = JsonResponse(201, json{{"spend", ToJson(s)}});
  if (s.seq > 0) res.AddHeader("Location", "/api/v1/spend/" + std::to_string(s.seq));
  return res;
}

}  // namespace

void AddCheckinRoutes(ApiRouter& router) {
  router.Add("GET", "/api/v1/checkins", ListCheckins,
             {.summary = "Check-ins, oldest first",
              .tag = "checkins",
              .query = {{"kpi", "string", "Only this KPI's"},
                        {"author", "string", "Only this author's"},
                        {"from", "string", "Dated on or after", false, "date"},
                        {"to", "string", "Dated on or before", false, "date"},
                        {"limit", "integer", "At most this many (default 1000)"},
                        {"offset", "integer", "Skip this many"}},
              .response_schema = "CheckinList",
              .errors = {400, 401}});
  router.Add("POST", "/api/v1/checkins", PostCheckin,
             {.summary = "Record one KPI value (date defaults to today, author to the signed-in "
                         "person; only an admin may name another person). Answers with the "
                         "check-in and its seq (Location: /api/v1/checkins/{seq})",
              .tag = "checkins",
              .request_schema = "Checkin",
              .response_schema = "CheckinCreated",
              .success_status = 201,
              .errors = {400, 401, 403, 413, 415, 422}});
  router.Add("POST", "/api/v1/checkins/batch", PostBatch,
             {.summary = "Record many KPI values in one transaction: {\"checkins\": [...]} or a "
                         "CSV file (text/csv, as `import checkins` reads it); all or nothing",
              .tag = "checkins",
              .query = {{"wide", "boolean", "CSV: a date column and one column per KPI"},
                        {"map", "string", "CSV: column names, e.g. kpi=Metric,date=Day"}},
              .request_schema = "CheckinBatch",
              .response_schema = "BatchResult",
              .success_status = 201,
              .errors = {400, 401, 403, 413, 415, 422}});
  router.Add("GET", "/api/v1/checkins/{seq}",
             [](Call& c) { return GetRecord(c, &Workspace::checkins, "checkin"); },
             {.summary = "One check-in, by its seq",
              .tag = "checkins",
              .response_schema = "Checkin",
              .errors = {401, 404}});
  router.Add("PATCH", "/api/v1/checkins/{seq}", PatchCheckin,
             {.summary = "Correct a check-in's value, date or note. Addressed by seq: check-ins "
                         "have no version and take no If-Match (409 only when it changed while "
                         "being written); the history keeps before and after",
              .tag = "checkins",
              .request_schema = "CheckinPatch",
              .response_schema = "Checkin",
              .errors = {400, 401, 403, 404, 409, 413, 415, 422}});
  router.Add("DELETE", "/api/v1/checkins/{seq}",
             [](Call& c) { return DeleteRecord(c, &ScopeRequest::checkin_seqs, &RemoveCheckin); },
             {.summary = "Delete a check-in, by its seq (no version; the history keeps it)",
              .tag = "checkins",
              .success_status = 204,
              .errors = {401, 403, 404, 409}});
  router.Add("GET", "/api/v1/comments", ListComments,
             {.summary = "Comments, oldest first",
              .tag = "comments",
              .query = {{"goal", "string", "Only this goal's"}},
              .response_schema = "CommentList",
              .errors = {400, 401}});
  router.Add("POST", "/api/v1/comments", PostComment,
             {.summary = "Comment on a goal (author: the signed-in person; dated today: only an "
                         "admin may name another person or another date). Answers with the "
                         "comment and its seq",
              .tag = "comments",
              .request_schema = "Comment",
              .response_schema = "CommentCreated",
              .success_status = 201,
              .errors = {400, 401, 403, 413, 415, 422}});
  router.Add("GET", "/api/v1/comments/{seq}",
             [](Call& c) { return GetRecord(c, &Workspace::comments, "comment"); },
             {.summary = "One comment, by its seq",
              .tag = "comments",
              .response_schema = "Comment",
              .errors = {401, 404}});
  router.Add("PATCH", "/api/v1/comments/{seq}", PatchComment,
             {.summary = "Correct a comment's text. Addressed by seq: comments have no version and "
                         "take no If-Match (409 only when it changed while being written); the "
                         "history keeps before and after",
              .tag = "comments",
              .request_schema = "CommentPatch",
              .response_schema = "Comment",
              .errors = {400, 401, 403, 404, 409, 413, 415, 422}});
  router.Add("DELETE", "/api/v1/comments/{seq}",
             [](Call& c) { return DeleteRecord(c, &ScopeRequest::comment_seqs, &RemoveComment); },
             {.summary = "Delete a comment, by its seq (no version; the history keeps it)",
              .tag = "comments",
              .success_status = 204,
              .errors = {401, 403, 404, 409}});
  router.Add("GET", "/api/v1/spend", ListSpend,
             {.summary = "Money spent on goals, in the order recorded, with the total",
              .tag = "spend",
              .query = {{"goal", "string", "Only this goal's"}},
              .response_schema = "SpendList",
              .errors = {400, 401}});
  router.Add("POST", "/api/v1/spend", PostSpend,
             {.summary = "Record money spent on a goal (date defaults to today, author to the "
                         "signed-in person; only an admin may name another person; a member "
                         "only on goals they may check in on). Answers with the record and its "
                         "seq",
              .tag = "spend",
              .request_schema = "Spend",
              .response_schema = "SpendCreated",
              .success_status = 201,
              .errors = {400, 401, 403, 413, 415, 422}});
  router.Add("GET", "/api/v1/spend/{seq}",
             [](Call& c) { return GetRecord(c, &Workspace::spend, "spend"); },
             {.summary = "One spend record, by its seq",
              .tag = "spend",
              .response_schema = "Spend",
              .errors = {401, 404}});
  router.Add("DELETE", "/api/v1/spend/{seq}",
             [](Call& c) { return DeleteRecord(c, &ScopeRequest::spend_seqs, &RemoveSpend); },
             {.summary = "Delete a spend record, by its seq (no version; the history keeps it)",
              .tag = "spend",
              .success_status = 204,
              .errors = {401, 403, 404, 409}});
}

}  // namespace cascade
