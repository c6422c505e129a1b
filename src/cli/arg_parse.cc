#include "cli/arg_parse.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "core/validate.h"

namespace cascade {

Result<Date> ParseDateArg(const std::string& option, const std::string& text) {
  const auto d = Date::Parse(text);
  if (!d) {
    return Error::Invalid(option + " '" + text + "' is not a date; use YYYY-MM-DD", "", "", option);
  }
  if (!IsEntryDate(*d)) {
    return Error::Invalid(option + " " + text +
                              " is outside the dates Cascade accepts; use a date from " +
                              EntryDateRangeText(),
                          "", "", option);
  }
  return *d;
}

Result<double> ParseNumberArg(const std::string& option, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) {
    return Error::Invalid(option + " '" + text + "' is not a finite number", "", "", option);
  }
  if (!IsEntryValue(v)) {
    return Error::Invalid(option + " " + text + " is out of range; " + option +
                              " must be a number " + EntryValueRangeText(),
                          "", "", option);
  }
  return v;
}

Result<int> ParseIntArg(const std::string& option, const std::string& text) {
  errno = 0;
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || v < INT32_MIN ||
      v > INT32_MAX) {
    return Error::Invalid(option + " '" + text + "' is not a whole number", "", "", option);
  }
  return static_cast<int>(v);
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

}  // namespace cascade
