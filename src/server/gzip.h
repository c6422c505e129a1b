// gzip for response bodies (Content-Encoding: gzip, RFC 9110 §8.4.1), with zlib.
#pragma once

#include <string>
#include <string_view>

namespace cascade {

// `data` as one gzip member (RFC 1952) at zlib's compression `level` (1 fastest … 9 smallest).
std::string Gzip(std::string_view data, int level = 6);

// Whether an Accept-Encoding value allows gzip: "gzip" or "x-gzip" listed with a q-value above 0,
// or, when neither is listed, "*" with one (RFC 9110 §12.5.3). Names are case-insensitive.
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace cascade
