// POST /api/v1/login, POST /api/v1/logout, GET /api/v1/me, and the authentication of every other
// request, all through AuthService.
#include <limits>

#include "server/api_internal.h"
#include "server/auth.h"

namespace cascade {
namespace {

using nlohmann::json;

constexpr std::string_view kSessionCookie = "cascade_session";

AccountStore& AccountsOf(Store& store) { return store.accounts(); }

// The value of cookie `name` in a Cookie header, "" when absent.
std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return "";
}

std::string SessionCookie(const Api::State& api, const std::string& value, bool clear) {
  std::string c = std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (clear) c += "; Max-Age=0";
  if (api.options.secure_cookies) c += "; Secure";
  return c;
}

json PrincipalJson(const Principal& who) {
  auto ref = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {{"account", who.account},
          {"role", std::string(ToString(who.role))},
          {"person", ref(who.person)},
          {"team", ref(who.team)}};
}

HttpResponse Login(Call& call) {
  HttpResponse refusal;
  auto body = JsonBody(call.req, refusal);
  if (!body) return refusal;
  if (!body->is_object()) return ErrorResponse(400, "invalid", "the body must be a JSON object");
  for (const auto& [key, value] : body->items()) {
    if (key != "name" && key != "password") {
      return ErrorResponse(400, "invalid",
                           "unknown field '" + key + "'; the fields are: name, password", key);
    }
  }
  for (const char* field : {"name", "password"}) {
    auto it = body->find(field);
    if (it == body->end() || !it->is_string()) {
      return ErrorResponse(400, "invalid", std::string("'") + field + "' is required (a string)",
                           field);
    }
  }
  auto snap = call.Snapshot();
  if (!snap) return ErrorResponse(snap.error());
  AuthService auth(AccountsOf(*call.store));
  auto login = auth.Login((*snap)->entities(), (*body)["name"].get<std::string>(),
                          (*body)["password"].get<std::string>(), call.req.client, call.Now());
  if (!login) {
    const Error& e = login.error();
    if (e.code == ErrorCode::kRateLimited || e.code == ErrorCode::kStorage ||
        e.code == ErrorCode::kBusy) {
      return ErrorResponse(e);
    }
    // Whatever the reason (no such account, wrong password), the same answer.
    return ErrorResponse(401, "unauthenticated", "wrong name or password");
  }
  call.who = login->principal;
  json out = PrincipalJson(login->principal);
  out["csrf_token"] = login->csrf_token;
  HttpResponse res = JsonResponse(200, out);
  res.AddHeader("Set-Cookie", SessionCookie(call.api, login->session_cookie, false));
  return res;
}

HttpResponse Logout(Call& call) {
  const std::string cookie = CookieValue(call.req.Header("cookie"), kSessionCookie);
  if (!cookie.empty()) {
    AuthService auth(AccountsOf(*call.store));
    if (auto r = auth.Logout(cookie); !r) return ErrorResponse(r.error());
  }
  HttpResponse res;
  res.status = 204;
  res.AddHeader("Set-Cookie", SessionCookie(call.api, "", true));
  res.AddHeader("Cache-Control", "no-store");
  return res;
}

// GET /api/v1/me. Signed in with the session cookie, the answer also carries the session's CSRF
// token: a dashboard page loaded afresh has the cookie but not the token it got at sign-in. Only
// a same-origin page can read it (the cookie is SameSite=Strict; the API allows no other origin).
HttpResponse Me(Call& call) {
  json out = PrincipalJson(call.who);
  if (call.req.Header("authorization").empty()) {
    const std::string cookie = CookieValue(call.req.Header("cookie"), kSessionCookie);
    auto token = AuthService(AccountsOf(*call.store)).SessionCsrfToken(cookie, call.Now());
    if (!token) return ErrorResponse(token.error());
    if (!token->empty()) out["csrf_token"] = *token;
  }
  return JsonResponse(200, out);
}

}  // namespace

Result<Principal> Authenticate(Call& call) {
  const HttpRequest& req = call.req;
  AuthRequest auth_req;
  auth_req.authorization = std::string(req.Header("authorization"));
  auth_req.cookie = CookieValue(req.Header("cookie"), kSessionCookie);
  auth_req.csrf_header = std::string(req.Header("x-csrf-token"));
  auth_req.state_changing = req.StateChanging();
  auth_req.client = req.client;
  if (auth_req.authorization.empty() && auth_req.cookie.empty()) {
    return Error::Make(ErrorCode::kUnauthenticated,
                       "sign in first: send Authorization: Bearer TOKEN, or sign in with POST "
                       "/api/v1/login",
                       "", "", "unauthenticated");
  }
  const int64_t now = call.Now();
  // The request's snapshot: its version says whether accounts may have changed since the cache
  // entry was made (0: not watching, never cached).
  auto snap = call.Snapshot();
  if (!snap) return snap.error();
  const uint64_t version = (*snap)->version();
  const std::string key = auth_req.authorization + '\n' + auth_req.cookie + '\n' +
                          auth_req.csrf_header + (auth_req.state_changing ? "\nw" : "\nr");
  if (auto cached = call.api.auth_cache.Find(key, version, now)) return *cached;
  AuthService auth(AccountsOf(*call.store));
  int64_t valid_until = std::numeric_limits<int64_t>::max();
  auto who = auth.Authenticate((*snap)->entities(), auth_req, now, &valid_until);
  if (who) call.api.auth_cache.Put(key, *who, version, now, valid_until);
  return who;
}

void AddAuthRoutes(ApiRouter& router) {
  router.Add("POST", "/api/v1/login", Login,
             {.summary = "Sign in with name and password: sets the session cookie (HttpOnly, "
                         "SameSite=Strict) and returns the CSRF token for X-CSRF-Token",
              .tag = "accounts",
              .request_schema = "Login",
              .response_schema = "Session",
              .authenticated = false,
              .errors = {400, 401, 415, 429}});
  router.Add("POST", "/api/v1/logout", Logout,
             {.summary = "Sign out: ends the session and clears its cookie",
              .tag = "accounts",
              .success_status = 204,
              .errors = {401, 403}});
  router.Add(
      "GET", "/api/v1/me", Me,
      {.summary = "Who the request is signed in as (with a session cookie, also the session's "
                  "CSRF token)",
       .tag = "accounts",
       .response_schema = "Principal",
       .errors = {401}});
}

}  // namespace cascade
