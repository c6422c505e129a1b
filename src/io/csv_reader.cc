#include "io/csv_reader.h"

#include <array>

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

}  // namespace cascade
