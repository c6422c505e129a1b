// Error → HTTP status: chosen by the error's code alone, never by its message or field.
#include <gtest/gtest.h>

#include "server/api_internal.h"

namespace cascade {
namespace {

std::string HeaderOf(const HttpResponse& res, const std::string& name) {
  for (const auto& [n, v] : res.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST(StatusFor, EachCodeHasItsStatus) {
  const std::vector<std::pair<ErrorCode, int>> want = {
      {ErrorCode::kInvalid, 422},         {ErrorCode::kNotFound, 404},
      {ErrorCode::kConflict, 409},        {ErrorCode::kForbidden, 403},
      {ErrorCode::kStorage, 500},         {ErrorCode::kBusy, 503},
      {ErrorCode::kUnauthenticated, 401}, {ErrorCode::kRateLimited, 429},
  };
  for (const auto& [code, status] : want) {
    EXPECT_EQ(StatusFor(Error::Make(code, "x")), status) << static_cast<int>(code);
  }
  EXPECT_EQ(StatusFor(Error::Invalid("x"), /*bad_request=*/true), 400);
}

// The words do not choose: a storage failure whose message says "busy" is a 500, a busy database
// whatever its message a 503; a field named like an auth failure does not make a 401 or 429.
TEST(StatusFor, NeitherMessageNorFieldChooses) {
  EXPECT_EQ(StatusFor(Error::Storage("the disk is busy")), 500);
  EXPECT_EQ(StatusFor(Error::Busy("locked")), 503);
  EXPECT_EQ(StatusFor(Error::Invalid("x", "goal", "g", "unauthenticated")), 422);
  EXPECT_EQ(StatusFor(Error::Invalid("x", "goal", "g", "rate_limit")), 422);
}

TEST(ErrorResponse, BusyIs503WithRetryAfterAndNoDetails) {
  const HttpResponse res = ErrorResponse(Error::Busy(
      "the database failed while saving: the database is busy (another process is writing)"));
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(HeaderOf(res, "Retry-After"), "1");
  const auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["error"]["code"], "unavailable");
  EXPECT_EQ(body["error"]["message"], "the database is busy; try again");
}

TEST(ErrorResponse, AuthFailuresCarryTheirStatusAndNoField) {
  Error unauthenticated = Error::Make(ErrorCode::kUnauthenticated, "sign in first");
  unauthenticated.field = "unauthenticated";
  HttpResponse res = ErrorResponse(unauthenticated);
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(HeaderOf(res, "WWW-Authenticate"), "Bearer realm=\"cascade\"");
  auto body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["error"]["code"], "unauthenticated");
  EXPECT_TRUE(body["error"]["field"].is_null());

  Error limited = Error::Make(ErrorCode::kRateLimited, "too many failed sign-ins");
  limited.field = "rate_limit";
  res = ErrorResponse(limited);
  EXPECT_EQ(res.status, 429);
  EXPECT_EQ(HeaderOf(res, "Retry-After"), "900");
  body = nlohmann::json::parse(res.body);
  EXPECT_EQ(body["error"]["code"], "rate_limited");
  EXPECT_TRUE(body["error"]["field"].is_null());
}

}  // namespace
}  // namespace cascade
