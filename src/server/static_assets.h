// The web dashboard (spec §6, "The dashboard"): the files web/build.mjs bundles, built into the
// binary, and the responses that serve them with the security headers of spec §10.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "server/http.h"

namespace cascade {

// One file of the bundle, as built into the binary.
struct WebAsset {
  std::string_view path;          // its URL path: "/index.html", "/assets/app-3F9a_x0Q1c.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8", …
  std::string_view bytes;
  bool hashed;  // its name carries a hash of its content: cached by browsers for good
};

// Every file of the bundle, index.html first. Defined in the web_assets.cc that the build
// generates from web/ (web/build.mjs --embed).
std::span<const WebAsset> WebAssets();

// The Content-Security-Policy of every dashboard response: nothing from another origin, no inline
// script or style, no framing.
inline constexpr std::string_view kDashboardCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// The dashboard's answer to a GET that no API route took: a bundled file by its path; index.html
// for `/` and for any other path outside /api/ whose last segment has no dot (the dashboard's own
// routes, such as /goal/launch-share, which it renders in the browser). nullopt for everything
// else, which the API answers with its JSON 404. Bodies are gzipped when `Accept-Encoding` allows.
std::optional<HttpResponse> ServeDashboard(const HttpRequest& request);

}  // namespace cascade
