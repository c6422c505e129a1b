#include "analytics/experiment.h"

#include <cmath>
#include <string>

#include <boost/math/distributions/normal.hpp>

namespace cascade {
namespace {

Result<void> CheckArm(const Arm& arm, const char* name) {
  if (arm.visitors <= 0) {
    return Error::Invalid(std::string(name) + " visitors must be at least 1 (got " +
                              std::to_string(arm.visitors) + ")",
                          "experiment", "", std::string(name) + ".visitors");
  }
  if (arm.conversions < 0 || arm.conversions > arm.visitors) {
    return Error::Invalid(std::string(name) + " conversions must be between 0 and its " +
                              std::to_string(arm.visitors) + " visitors (got " +
                              std::to_string(arm.conversions) + ")",
                          "experiment", "", std::string(name) + ".conversions");
  }
  return Ok();
}

}  // namespace

Result<ExperimentResult> AnalyzeExperiment(const Arm& control, const Arm& variant) {
  if (auto r = CheckArm(control, "control"); !r) return r.error();
  if (auto r = CheckArm(variant, "variant"); !r) return r.error();
  const double nc = static_cast<double>(control.visitors);
  const double nv = static_cast<double>(variant.visitors);
  ExperimentResult out;
  out.p_control = static_cast<double>(control.conversions) / nc;
  out.p_variant = static_cast<double>(variant.conversions) / nv;
  out.lift = out.p_variant - out.p_control;
  if (out.p_control > 0) out.relative_lift = out.lift / out.p_control;
  const double pooled =
      static_cast<double>(control.conversions + variant.conversions) / (nc + nv);
  const double pooled_se = std::sqrt(pooled * (1 - pooled) * (1 / nc + 1 / nv));
  if (pooled_se > 0) {
    out.z = out.lift / pooled_se;
    const boost::math::normal_distribution<double> normal;
    out.p_value = 2 * boost::math::cdf(boost::math::complement(normal, std::fabs(*out.z)));
    out.significant = *out.p_value < 0.05;
  }
  const double se = std::sqrt(out.p_control * (1 - out.p_control) / nc +
                              out.p_variant * (1 - out.p_variant) / nv);
  out.ci95 = {out.lift - 1.959964 * se, out.lift + 1.959964 * se};
  return out;
}

}  // namespace cascade
