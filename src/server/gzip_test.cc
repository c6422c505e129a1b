#include "server/gzip.h"

#include <zlib.h>

#include <string>

#include <gtest/gtest.h>

namespace cascade {
namespace {

// zlib's inflate of one gzip member (windowBits 15 + 16: gzip only).
std::string Gunzip(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out;
  char buf[4096];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  EXPECT_EQ(z.avail_in, 0u);  // one member, nothing after it
  inflateEnd(&z);
  return out;
}

TEST(GzipTest, RoundTripsAndShrinksRepetitiveJson) {
  std::string json = "[";
  for (int i = 0; i < 2000; ++i) {
    json += R"({"id":"g)" + std::to_string(i) + R"(","status":"on_track","progress":0.5},)";
  }
  json.back() = ']';
  for (int level : {1, 6, 9}) {
    const std::string packed = Gzip(json, level);
    // RFC 1952: ID1 ID2 (31, 139), CM 8 (deflate).
    ASSERT_GE(packed.size(), 18u);
    EXPECT_EQ(static_cast<unsigned char>(packed[0]), 31);
    EXPECT_EQ(static_cast<unsigned char>(packed[1]), 139);
    EXPECT_EQ(packed[2], 8);
    EXPECT_LT(packed.size(), json.size() / 10) << "level " << level;
    EXPECT_EQ(Gunzip(packed), json);
  }
  EXPECT_EQ(Gunzip(Gzip("")), "");
  const std::string binary("\0\xff\x01 zero and high bytes\0", 24);
  EXPECT_EQ(Gunzip(Gzip(binary)), binary);
}

TEST(GzipTest, AcceptEncodingNegotiation) {
  // Listed, in any case, among others, with or without spaces and a q-value above 0.
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("GZip"));
  EXPECT_TRUE(AcceptsGzip("deflate, gzip, br, zstd"));  // curl --compressed
  EXPECT_TRUE(AcceptsGzip("gzip, deflate, br"));        // a browser
  EXPECT_TRUE(AcceptsGzip("br;q=1.0, gzip;q=0.8, *;q=0.1"));
  EXPECT_TRUE(AcceptsGzip("x-gzip"));
  EXPECT_TRUE(AcceptsGzip(" gzip ;q=0.001"));
  EXPECT_TRUE(AcceptsGzip("*"));
  // Absent, refused with q=0 (which wins over "*"), or only something else.
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("br, zstd"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0.000, *"));
  EXPECT_FALSE(AcceptsGzip("*;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzipped"));
  // A malformed q-value is taken as a refusal.
  EXPECT_FALSE(AcceptsGzip("gzip;q=high"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=2"));
}

}  // namespace
}  // namespace cascade
