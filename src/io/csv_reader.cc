#include "io/csv_reader.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "io/utf8.h"
#include "io/visible_text.h"

namespace cascade {
namespace {

constexpr char kSeparator = ',';
constexpr char kQuote = '"';

// The bytes that end an unquoted field: one table lookup per byte in the hot loop.
constexpr std::array<bool, 256> kEndsField = [] {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(kSeparator)] = true;
  t['\n'] = true;
  t['\r'] = true;
  return t;
}();

bool EndsField(char c) { return kEndsField[static_cast<unsigned char>(c)]; }

}  // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.starts_with("\xEF\xBB\xBF")) text_.remove_prefix(3);
}

bool CsvReader::Next(CsvRecord& record) {
  record.fields.clear();
  record.bad_field = -1;
  record.problem = {};
  scratch_.clear();
  unescaped_.clear();
  if (error_) return false;

  const char* const begin = text_.data();
  const char* const end = begin + text_.size();
  const char* p = begin + pos_;

  // Blank lines carry no record. "\r\n" is one line end, and so is a lone '\n' or '\r'.
  while (p < end && (*p == '\n' || *p == '\r')) {
    if (*p == '\r' && p + 1 < end && p[1] == '\n') ++p;
    ++p;
    ++line_;
  }
  if (p == end) {
    pos_ = text_.size();
    return false;
  }
  record.line = line_;

  while (true) {
    const auto index = static_cast<uint32_t>(record.fields.size());
    if (p < end && *p == kQuote) {
      const int open_line = line_;
      ++p;
      const char* const start = p;
      const char* copied_to = p;  // with escapes: the text before this is in scratch_
      bool escaped = false;
      size_t scratch_start = 0;
      while (true) {
        while (p < end && *p != kQuote) {
          if (*p == '\n' || (*p == '\r' && (p + 1 == end || p[1] != '\n'))) ++line_;
          ++p;
        }
        if (p == end) {
          Error e = Error::Invalid(
              "a quoted field is never closed: its opening quote is on this line and nothing "
              "closes it; double any quote inside a quoted field (\"\")");
          e.line = open_line;
          error_ = std::move(e);
          record.fields.clear();
          pos_ = text_.size();
          return false;
        }
        if (p + 1 < end && p[1] == kQuote) {  // "" stands for one quote
          if (!escaped) {
            escaped = true;
            scratch_start = scratch_.size();
          }
          scratch_.append(copied_to, p + 1);
          p += 2;
          copied_to = p;
          continue;
        }
        break;  // the closing quote
      }
      if (escaped) {
        scratch_.append(copied_to, p);
        unescaped_.push_back({index, static_cast<uint32_t>(scratch_start),
                              static_cast<uint32_t>(scratch_.size() - scratch_start)});
        record.fields.emplace_back();
      } else {
        record.fields.emplace_back(start, static_cast<size_t>(p - start));
      }
      ++p;
      if (p < end && !EndsField(*p)) {
        if (record.bad_field < 0) {
          record.bad_field = static_cast<int>(index);
          record.problem =
              "text after the closing quote; quote the whole field and double any quote inside it";
        }
        while (p < end && !EndsField(*p)) ++p;
      }
    } else {
      const char* const start = p;
      while (p < end && !EndsField(*p)) ++p;
      record.fields.emplace_back(start, static_cast<size_t>(p - start));
    }

    if (p == end) break;
    if (*p == kSeparator) {
      ++p;
      continue;  // at the end of the text this reads the empty last field
    }
    if (*p == '\r' && p + 1 < end && p[1] == '\n') ++p;
    ++p;
    ++line_;
    break;
  }

  for (const Unescaped& u : unescaped_) {
    record.fields[u.field] = std::string_view(scratch_.data() + u.offset, u.length);
  }
  pos_ = static_cast<size_t>(p - begin);
  return true;
}

// ---- Encodings ----------------------------------------------------------------------------

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";
constexpr std::string_view kOtherEncodings = "--encoding latin1 or --encoding cp1252";

// The length (1–4) of the valid UTF-8 sequence starting at s[i], or 0 when none starts there
// (an overlong form, a surrogate, a code point past U+10FFFF, a stray or missing continuation).
size_t Utf8Length(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 1;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 2;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // U+D800–U+DFFF are surrogates, not characters
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 3;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n >= s.size()) return 0;
  for (size_t k = 1; k <= n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return n + 1;
}

// The offset of the first byte of `s` that is not part of valid UTF-8, or npos. Eight ASCII bytes
// are checked at a time: a million-row export costs a few milliseconds.
size_t FirstInvalidUtf8(std::string_view s) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  size_t i = 0;
  while (i < s.size()) {
    if (i + 8 <= s.size()) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, sizeof word);
      if ((word & kHighBits) == 0) {
        i += 8;
        continue;
      }
    }
    const size_t n = Utf8Length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

// The bytes cp1252 leaves undefined.
bool Cp1252Undefined(unsigned char c) {
  return c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D;
}

size_t FirstCp1252Undefined(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (Cp1252Undefined(static_cast<unsigned char>(s[i]))) return i;
  }
  return std::string_view::npos;
}

// cp1252's characters for 0x80–0x9F (0 where it defines none); the other bytes are Latin-1's.
constexpr std::array<uint16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};


std::string Hex(unsigned value, int digits) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out(static_cast<size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, value >>= 4) {
    out[static_cast<size_t>(i)] = kDigits[value & 0xF];
  }
  return out;
}

// The 1-based line `offset` is on, counting line ends as CsvReader does ("\r\n" is one).
int LineAt(std::string_view text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++line;
    }
  }
  return line;
}

// Where in a CSV file a bad byte is: its column, as the header names it, and the field holding
// it, cut to some 50 characters around the byte.
struct BadSpot {
  int line = 0;
  std::string column;   // the header's name for the column, "" when the header itself holds it
  std::string where;    // "column 'note': " / "the header: " / "" when the CSV could not be read
  std::string snippet;  // the field, made visible, in quotes; "" when the CSV could not be read
};

// A field cut to the characters around s[bad], not splitting a UTF-8 sequence that is valid.
std::string Around(std::string_view s, size_t bad) {
  constexpr size_t kSide = 24;
  size_t begin = bad > kSide ? bad - kSide : 0;
  size_t end = std::min(s.size(), bad + kSide);
  const auto continuation = [&s](size_t i) {
    return i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
  };
  for (int k = 0; k < 3 && begin > 0 && continuation(begin); ++k) ++begin;
  for (int k = 0; k < 3 && end < s.size() && continuation(end); ++k) ++end;
  return (begin > 0 ? "…" : "") + VisibleText(s.substr(begin, end - begin)) +
         (end < s.size() ? "…" : "");
}

// Finds the bad byte at `offset` of `text` in the CSV: the record holding it and, in that record,
// the first field `find_bad` finds a bad byte in (the offset of it, or npos).
template <typename FindBad>
BadSpot Locate(std::string_view text, size_t offset, FindBad find_bad) {
  BadSpot spot;
  spot.line = LineAt(text, offset);
  CsvReader csv(text);
  CsvRecord record;
  std::vector<std::string> header;
  bool first = true;
  while (csv.Next(record)) {
    // Lines before the header that begin with '#' are a preamble (GA4 writes one), not the header.
    const bool preamble = first && !record.fields.empty() && record.fields[0].starts_with('#');
    if (first && !preamble) {
      for (std::string_view name : record.fields) header.push_back(std::string(name));
    }
    if (csv.position() > offset) {
      if (preamble) return spot;
      for (size_t i = 0; i < record.fields.size(); ++i) {
        const size_t bad = find_bad(record.fields[i]);
        if (bad == std::string_view::npos) continue;
        if (first) {
          spot.where = "the header: ";
        } else if (i < header.size() && FirstInvalidUtf8(header[i]) == std::string_view::npos) {
          std::string_view name = header[i];
          name.remove_prefix(std::min(name.find_first_not_of(" \t"), name.size()));
          name.remove_suffix(name.size() - (name.find_last_not_of(" \t") + 1));
          spot.column = VisibleText(name);
          spot.where = "column " + spot.column + ": ";
        } else {
          spot.column = "column " + std::to_string(i + 1);
          spot.where = spot.column + ": ";
        }
        spot.snippet = "'" + Around(record.fields[i], bad) + "'";
        return spot;
      }
      return spot;  // the byte is in text the reader set aside (after a closing quote)
    }
    if (!preamble) first = false;
  }
  return spot;
}

Error EncodingError(const BadSpot& spot, std::string message) {
  Error e = Error::Invalid(spot.where + std::move(message), "", "", spot.column);
  e.line = spot.line;
  return e;
}

Result<std::string_view> ValidUtf8(std::string_view text) {
  const size_t bad = FirstInvalidUtf8(text);
  if (bad == std::string_view::npos) return text;
  const BadSpot spot = Locate(text, bad, FirstInvalidUtf8);
  return EncodingError(
      spot, (spot.snippet.empty() ? "" : spot.snippet + " ") + "is not UTF-8 text (byte " +
                EscapedByte(static_cast<unsigned char>(text[bad])) +
                "); save the file as UTF-8, or name its encoding: " + std::string(kOtherEncodings));
}

// UTF-16 (after its byte-order mark) as UTF-8. A surrogate without its pair is written as the
// three bytes it would take (not UTF-8), so the check of the result finds it with its column.
Result<std::string_view> Utf16ToUtf8(std::string_view bytes, bool big_endian,
                                     std::string& storage) {
  storage.clear();
  storage.reserve(bytes.size() + bytes.size() / 2);
  const auto unit = [&bytes, big_endian](size_t i) {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const auto b = static_cast<unsigned char>(bytes[i + 1]);
    return static_cast<uint32_t>(big_endian ? (a << 8) | b : (b << 8) | a);
  };
  const size_t units = bytes.size() / 2;
  for (size_t k = 0; k < units; ++k) {
    uint32_t cp = unit(2 * k);
    if (cp >= 0xD800 && cp <= 0xDBFF && k + 1 < units) {
      const uint32_t low = unit(2 * (k + 1));
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        ++k;
      }
    }
    AppendUtf8(storage, cp);
  }
  if (bytes.size() % 2 != 0) {
    Error e = Error::Invalid(
        "the file begins with a UTF-16 byte-order mark but ends in half a character (an odd "
        "number of bytes); it may be cut short, or not UTF-16");
    e.line = LineAt(storage, storage.size());
    return e;
  }
  const std::string_view text = storage;
  const size_t bad = FirstInvalidUtf8(text);
  if (bad == std::string_view::npos) return text;
  const BadSpot spot = Locate(text, bad, FirstInvalidUtf8);
  // The only bytes that can be wrong here are a lone surrogate's: 0xED, then 0xA0–0xBF, then one.
  const auto b1 = static_cast<unsigned char>(text[bad + 1]);
  const auto b2 = static_cast<unsigned char>(text[bad + 2]);
  const unsigned surrogate = 0xD000 | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
  return EncodingError(spot, "a UTF-16 surrogate without its pair (\\u" + Hex(surrogate, 4) +
                                 "); the file is damaged, or not UTF-16");
}

Result<std::string_view> SingleByteToUtf8(std::string_view raw, CsvEncoding encoding,
                                          std::string& storage) {
  const char* const name = encoding == CsvEncoding::kLatin1 ? "latin1" : "cp1252";
  for (const auto& [bom, what] : {std::pair{kUtf8Bom, "UTF-8"}, std::pair{kUtf16LeBom, "UTF-16"},
                                  std::pair{kUtf16BeBom, "UTF-16"}}) {
    if (!raw.starts_with(bom)) continue;
    Error e = Error::Invalid(std::string("the file begins with a ") + what +
                                 " byte-order mark, so it is " + what + ", not " + name +
                                 "; leave out --encoding",
                             "", "", "encoding");
    e.line = 1;
    return e;
  }
  if (encoding == CsvEncoding::kCp1252) {
    if (const size_t bad = FirstCp1252Undefined(raw); bad != std::string_view::npos) {
      const BadSpot spot = Locate(raw, bad, FirstCp1252Undefined);
      return EncodingError(spot, (spot.snippet.empty() ? "" : spot.snippet + " ") + "holds byte " +
                                     EscapedByte(static_cast<unsigned char>(raw[bad])) +
                                     ", which cp1252 does not define; is the file in another "
                                     "encoding (utf8, the default, or latin1)?");
    }
  }
  storage.clear();
  storage.reserve(raw.size() + raw.size() / 8);
  for (const char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      storage += ch;
    } else if (encoding == CsvEncoding::kCp1252 && c < 0xA0) {
      AppendUtf8(storage, kCp1252High[c - 0x80]);
    } else {
      AppendUtf8(storage, c);  // Latin-1 is the first 256 code points
    }
  }
  return std::string_view(storage);
}

}  // namespace

Result<CsvEncoding> ParseCsvEncoding(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (lower == "utf8" || lower == "utf-8") return CsvEncoding::kUtf8;
  if (lower == "latin1" || lower == "latin-1" || lower == "iso-8859-1") return CsvEncoding::kLatin1;
  if (lower == "cp1252" || lower == "windows-1252") return CsvEncoding::kCp1252;
  return Error::Invalid("--encoding '" + VisibleText(name) +
                            "' is not known; use utf8 (the default, which also reads UTF-16 with "
                            "a byte-order mark), latin1 or cp1252",
                        "", "", "encoding");
}

Result<std::string_view> DecodeCsvText(std::string_view raw, CsvEncoding encoding,
                                       std::string& storage) {
  if (encoding != CsvEncoding::kUtf8) return SingleByteToUtf8(raw, encoding, storage);
  if (raw.starts_with(kUtf8Bom)) return ValidUtf8(raw.substr(kUtf8Bom.size()));
  if (raw.starts_with(kUtf16LeBom)) return Utf16ToUtf8(raw.substr(2), false, storage);
  if (raw.starts_with(kUtf16BeBom)) return Utf16ToUtf8(raw.substr(2), true, storage);
  return ValidUtf8(raw);
}

}  // namespace cascade
