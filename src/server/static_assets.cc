#include "server/static_assets.h"

#include <memory>
#include <string>
#include <vector>

#include "server/gzip.h"

namespace cascade {
namespace {

// Files smaller than this go as they are: gzip would save next to nothing.
constexpr size_t kGzipMinBytes = 1024;
constexpr std::string_view kIndexPath = "/index.html";

// An asset ready to send, shared by every response without a copy: its bytes and, when worth it,
// their gzip form (made once, at the best compression: the bundle never changes while serving).
struct Prepared {
  const WebAsset* asset = nullptr;
  std::shared_ptr<const std::string> plain;
  std::shared_ptr<const std::string> gzipped;  // null when the file is too small to gain
};

const std::vector<Prepared>& PreparedAssets() {
  static const std::vector<Prepared> prepared = [] {
    std::vector<Prepared> out;
    for (const WebAsset& a : WebAssets()) {
      Prepared p{&a, std::make_shared<const std::string>(a.bytes), nullptr};
      if (a.bytes.size() >= kGzipMinBytes) {
        p.gzipped = std::make_shared<const std::string>(Gzip(a.bytes, 9));
      }
      out.push_back(std::move(p));
    }
    return out;
  }();
  return prepared;
}

const Prepared* FindAsset(std::string_view path) {
  for (const Prepared& p : PreparedAssets()) {
    if (p.asset->path == path) return &p;
  }
  return nullptr;
}

}  // namespace

std::optional<HttpResponse> ServeDashboard(const HttpRequest& request) {
  if (request.method != "GET") return std::nullopt;
  const std::string_view path = request.path;
  if (path == "/api" || path.starts_with("/api/")) return std::nullopt;
  const Prepared* file = FindAsset(path);
  if (file == nullptr) {
    // A path of the dashboard's own (/, /goal/ID, /signin, …) gets the page that renders it; a
    // file name (a dot in the last segment) that is not in the bundle is a 404.
    const std::string_view last = path.substr(path.rfind('/') + 1);
    if (last.find('.') != std::string_view::npos) return std::nullopt;
    file = FindAsset(kIndexPath);
    if (file == nullptr) return std::nullopt;
  }

  HttpResponse res;
  res.status = 200;
  res.content_type = std::string(file->asset->content_type);
  // index.html names the current hashed assets, so it must never be kept; they may be, forever.
  res.AddHeader("Cache-Control",
                file->asset->hashed ? "public, max-age=31536000, immutable" : "no-store");
  res.AddHeader("Content-Security-Policy", std::string(kDashboardCsp));
  res.AddHeader("X-Content-Type-Options", "nosniff");
  res.AddHeader("Referrer-Policy", "same-origin");
  res.AddHeader("X-Frame-Options", "DENY");  // frame-ancestors for browsers without CSP 2
  res.shared_body = file->plain;
  if (file->gzipped) {
    res.AddHeader("Vary", "Accept-Encoding");
    if (AcceptsGzip(request.Header("accept-encoding"))) {
      res.shared_body = file->gzipped;
      res.AddHeader("Content-Encoding", "gzip");
    }
  }
  // Metrics and the access log count dashboard requests under three names, not one per path.
  if (file->asset->hashed) {
    res.route = "/assets/{file}";
  } else if (file->asset->path == kIndexPath) {
    res.route = "/{dashboard page}";
  } else {
    res.route = std::string(file->asset->path);
  }
  return res;
}

}  // namespace cascade
