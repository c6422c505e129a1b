// Pilot tests (spec §2, Experiment): the two-proportion test of a control and a variant arm.
#pragma once

#include <array>
#include <optional>

#include "core/error.h"
#include "core/model.h"

namespace cascade {

struct ExperimentResult {
  double p_control = 0;
  double p_variant = 0;
  double lift = 0;                     // p_variant − p_control
  std::optional<double> relative_lift;  // lift / p_control; null when p_control = 0
  std::optional<double> z;              // null when the pooled rate is 0 or 1 (no variance)
  std::optional<double> p_value;        // two-sided, from the normal distribution
  std::array<double, 2> ci95{};         // lift ± 1.959964 · unpooled standard error
  bool significant = false;             // p_value < 0.05
};

// Refuses (kInvalid, naming the arm and field) visitors = 0 or conversions outside [0, visitors].
Result<ExperimentResult> AnalyzeExperiment(const Arm& control, const Arm& variant);

}  // namespace cascade
