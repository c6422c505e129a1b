// Turns option text into model values, refusing bad input with an Error that names the option,
// the value and what is allowed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/error.h"
#include "core/model.h"

namespace cascade {

// A `YYYY-MM-DD` date within kFirstEntryDate … kLastEntryDate.
Result<Date> ParseDateArg(const std::string& option, const std::string& text);
// A finite number within ±kLargestValue; `1,234` and `12%` are not accepted here (CSV import is
// lenient, options are not).
Result<double> ParseNumberArg(const std::string& option, const std::string& text);
Result<int> ParseIntArg(const std::string& option, const std::string& text);
// Comma-separated ids ("a,b,c"); empty text gives an empty list.
std::vector<std::string> SplitList(const std::string& text);

// Parses an enum value with the model's Parse* function, listing the allowed spellings on failure.
template <typename E>
Result<E> ParseEnumArg(const std::string& option, const std::string& text,
                       std::optional<E> (*parse)(std::string_view), const char* allowed) {
  if (auto v = parse(text)) return *v;
  return Error::Invalid(option + " '" + text + "' is not allowed; use one of: " + allowed, "", "",
                        option);
}

// The position of `id` in `items` (by .id), or a kNotFound error naming the kind.
template <typename T>
Result<size_t> FindById(CowVector<T>& items, const std::string& kind, const std::string& id) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].id == id) return i;
  }
  return Error::NotFound(kind + " '" + id + "' does not exist", kind, id, "id");
}

}  // namespace cascade
