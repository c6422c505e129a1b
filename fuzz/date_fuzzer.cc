// Fuzz target: a date as users write it — strict YYYY-MM-DD (plans, options, ?as_of=, JSON bodies)
// and the loose YYYY-MM-DD or YYYYMMDD of CSV files. A date read must be a real day of years
// 1-9999 and print back as the strict form; an option takes it only inside 1900-2199; a refusal is
// fine; a crash, a sanitizer report or an exception is a finding. The first twelve bytes, read as three numbers, also go through
// FromCivil.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "cli/arg_parse.h"
#include "core/date.h"
#include "fuzz_check.h"

using namespace cascade;

namespace {

void CheckDay(Date d) {
  FUZZ_CHECK(d.year() >= 1 && d.year() <= 9999);
  FUZZ_CHECK(d.month() >= 1 && d.month() <= 12);
  FUZZ_CHECK(d.day() >= 1 && d.day() <= 31);
  FUZZ_CHECK(d.iso_weekday() >= 1 && d.iso_weekday() <= 7);
  const std::string text = d.ToString();
  FUZZ_CHECK(Date::Parse(text) == d);
  FUZZ_CHECK(Date::FromCivil(d.year(), d.month(), d.day()) == d);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (auto d = Date::Parse(text)) {
    CheckDay(*d);
    FUZZ_CHECK(d->ToString() == text);
  }
  if (auto d = Date::ParseLoose(text)) CheckDay(*d);
  // An option takes a strict date inside the range dates are entered in (IsEntryDate), no other.
  auto arg = ParseDateArg("--due", text);
  const auto strict = Date::Parse(text);
  FUZZ_CHECK(arg.ok() == (strict.has_value() && IsEntryDate(*strict)));
  if (arg) FUZZ_CHECK(*arg == *strict);
  if (!arg) FUZZ_CHECK(!arg.error().message.empty());

  if (size >= 12) {
    int32_t y = 0;
    uint32_t m = 0, day = 0;
    std::memcpy(&y, data, 4);
    std::memcpy(&m, data + 4, 4);
    std::memcpy(&day, data + 8, 4);
    if (auto d = Date::FromCivil(y, m, day)) {
      CheckDay(*d);
      FUZZ_CHECK(d->year() == y && d->month() == m && d->day() == day);
    }
  }
  return 0;
}
