#include "core/percent.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cascade {

std::string PercentNumber(double fraction, int decimals) {
  if (!std::isfinite(fraction)) return "—";
  decimals = std::clamp(decimals, 0, 6);
  constexpr double kLimit = 1e6;  // percent
  const double percent = fraction * 100;
  if (!std::isfinite(percent) || percent > kLimit) return ">1000000";
  if (percent < -kLimit) return "<-1000000";
  const double scale = std::pow(10.0, decimals);
  const double scaled = percent * scale;
  // Products like 0.29·100 land a hair below the whole number they stand for; a relative nudge of
  // 1e-12 lifts them back without lifting 0.99999999 to 100%.
  const double nudge = std::fabs(scaled) * 1e-12 + 1e-12;
  const double truncated = std::trunc(scaled < 0 ? scaled - nudge : scaled + nudge) / scale;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, truncated == 0 ? 0.0 : truncated);
  return buf;
}

}  // namespace cascade
