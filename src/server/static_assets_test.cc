#include "server/static_assets.h"

#include <gtest/gtest.h>

#include <string>

#include "server/gzip.h"

namespace cascade {
namespace {

HttpRequest Get(std::string path, std::string accept_encoding = "") {
  HttpRequest req;
  req.method = "GET";
  req.target = path;
  req.path = std::move(path);
  if (!accept_encoding.empty()) req.headers.emplace_back("accept-encoding", accept_encoding);
  return req;
}

std::string HeaderOf(const HttpResponse& res, std::string_view name) {
  for (const auto& [n, v] : res.headers) {
    if (n == name) return v;
  }
  return "";
}

const WebAsset* AssetEndingWith(std::string_view suffix, std::string_view prefix = "") {
  for (const WebAsset& a : WebAssets()) {
    if (a.path.ends_with(suffix) && a.path.starts_with(prefix)) return &a;
  }
  return nullptr;
}

// Spec §6: "the JavaScript and CSS together weigh under 150 KB gzipped".
TEST(StaticAssets, JavaScriptAndCssWeighUnder150KbGzipped) {
  size_t gzipped = 0;
  int files = 0;
  for (const WebAsset& a : WebAssets()) {
    if (a.path.ends_with(".js") || a.path.ends_with(".css")) {
      gzipped += Gzip(a.bytes, 9).size();
      ++files;
    }
  }
  // The app's script and stylesheet, boot.js, and the chunks of the pages loaded when shown.
  EXPECT_GE(files, 4);
  EXPECT_GT(gzipped, 0u);
  EXPECT_LT(gzipped, 150u * 1024u) << "the dashboard's JS and CSS weigh " << gzipped
                                   << " bytes gzipped";
}

TEST(StaticAssets, IndexNamesTheHashedScriptAndStylesheet) {
  const WebAsset* index = AssetEndingWith("/index.html");
  const WebAsset* js = AssetEndingWith(".js", "/assets/app-");
  const WebAsset* css = AssetEndingWith(".css");
  ASSERT_NE(index, nullptr);
  ASSERT_NE(js, nullptr);
  ASSERT_NE(css, nullptr);
  EXPECT_FALSE(index->hashed);
  EXPECT_TRUE(js->hashed);
  EXPECT_TRUE(css->hashed);
  EXPECT_TRUE(js->path.starts_with("/assets/app-")) << js->path;
  const std::string html(index->bytes);
  EXPECT_NE(html.find("<script type=\"module\" src=\"" + std::string(js->path) + "\"></script>"),
            std::string::npos);
  // The chunks the app's script imports up front are fetched beside it: each is built in.
  size_t preloads = 0;
  for (size_t at = html.find("<link rel=\"modulepreload\" href=\""); at != std::string::npos;
       at = html.find("<link rel=\"modulepreload\" href=\"", at + 1)) {
    const size_t begin = html.find('"', html.find("href=", at)) + 1;
    const std::string path = html.substr(begin, html.find('"', begin) - begin);
    const WebAsset* chunk = AssetEndingWith(path, "/assets/");
    ASSERT_NE(chunk, nullptr) << path;
    EXPECT_EQ(chunk->path, path);
    EXPECT_TRUE(chunk->hashed);
    ++preloads;
  }
  EXPECT_GE(preloads, 1u) << html;
  // The boot script (web/src/boot.ts) asks for the first data while the app's bundle loads: it
  // comes first, and runs as soon as it arrives (the stylesheet after it cannot hold it back).
  const WebAsset* boot = AssetEndingWith(".js", "/assets/boot-");
  ASSERT_NE(boot, nullptr);
  EXPECT_TRUE(boot->hashed);
  EXPECT_LT(boot->bytes.size(), 2048u);
  const size_t boot_at = html.find("<script src=\"" + std::string(boot->path) + "\"></script>");
  EXPECT_NE(boot_at, std::string::npos) << html;
  EXPECT_LT(boot_at, html.find("<link rel=\"stylesheet\""));
  EXPECT_NE(html.find("<link rel=\"stylesheet\" href=\"" + std::string(css->path) + "\">"),
            std::string::npos);
  // No inline script or style: the CSP allows neither.
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<style"), std::string::npos);
  EXPECT_EQ(html.find("style="), std::string::npos);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
}

TEST(StaticAssets, PagesOfTheDashboardGetIndexWithSecurityHeaders) {
  const WebAsset* index = AssetEndingWith("/index.html");
  ASSERT_NE(index, nullptr);
  for (const std::string path : {"/", "/goal/launch-share", "/signin", "/review", "/a/b/c"}) {
    auto res = ServeDashboard(Get(path));
    ASSERT_TRUE(res.has_value()) << path;
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->Body(), index->bytes) << path;
    EXPECT_EQ(res->content_type, "text/html; charset=utf-8");
    EXPECT_EQ(HeaderOf(*res, "Cache-Control"), "no-store");
    EXPECT_EQ(HeaderOf(*res, "Content-Security-Policy"),
              "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    EXPECT_EQ(HeaderOf(*res, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(HeaderOf(*res, "Referrer-Policy"), "same-origin");
  }
}

TEST(StaticAssets, HashedAssetsAreCachedForGoodAndGzippedWhenAccepted) {
  const WebAsset* js = AssetEndingWith(".js");
  ASSERT_NE(js, nullptr);
  auto plain = ServeDashboard(Get(std::string(js->path)));
  ASSERT_TRUE(plain.has_value());
  EXPECT_EQ(plain->Body(), js->bytes);
  EXPECT_EQ(HeaderOf(*plain, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(HeaderOf(*plain, "Content-Encoding"), "");
  EXPECT_EQ(HeaderOf(*plain, "Vary"), "Accept-Encoding");
  EXPECT_EQ(HeaderOf(*plain, "X-Content-Type-Options"), "nosniff");

  auto zipped = ServeDashboard(Get(std::string(js->path), "gzip, deflate, br"));
  ASSERT_TRUE(zipped.has_value());
  EXPECT_EQ(HeaderOf(*zipped, "Content-Encoding"), "gzip");
  EXPECT_EQ(zipped->Body(), Gzip(js->bytes, 9));
  EXPECT_LT(zipped->Body().size(), js->bytes.size());
}

TEST(StaticAssets, ApiPathsUnknownFilesAndOtherMethodsAreNotTheDashboards) {
  EXPECT_FALSE(ServeDashboard(Get("/api/v1/nothing")).has_value());
  EXPECT_FALSE(ServeDashboard(Get("/api")).has_value());
  EXPECT_FALSE(ServeDashboard(Get("/api/")).has_value());
  EXPECT_FALSE(ServeDashboard(Get("/assets/app-nothere.js")).has_value());
  EXPECT_FALSE(ServeDashboard(Get("/favicon.ico")).has_value());
  EXPECT_FALSE(ServeDashboard(Get("/goal/x.json")).has_value());
  HttpRequest post = Get("/");
  post.method = "POST";
  EXPECT_FALSE(ServeDashboard(post).has_value());
  // /apis is not /api/: a dashboard page.
  EXPECT_TRUE(ServeDashboard(Get("/apis")).has_value());
}

}  // namespace
}  // namespace cascade
