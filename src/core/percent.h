// The one way a fraction becomes the percentage people read (SPEC §5: truncated toward zero in
// every view). The CLI, the reports, the chart and lint all print through it.
#pragma once

#include <string>

namespace cascade {

// The fraction times 100, truncated toward zero to `decimals` decimals: 0.997 reads "99"
// (never "100"), 2/3 "66.6" with one decimal, -0.0049 "0" (never "-0" nor "-1"). A relative
// tolerance of 1e-12 keeps 0.29 at "29" although 0.29·100 is 28.999…. Beyond a million percent it
// says so (">1000000", "<-1000000") instead of printing hundreds of digits; "—" for what is not a
// finite number.
std::string PercentNumber(double fraction, int decimals = 0);

}  // namespace cascade
