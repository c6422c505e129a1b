// Funnels (spec §2, Funnel): the conversion rate between consecutive stages and, with a target for
// the last stage, the inverse cascade — the volume every stage above must deliver to reach it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/model.h"
#include "core/rollup.h"

namespace cascade {

struct FunnelStage {
  std::string kpi;
  std::optional<double> value;  // V of the stage's KPI (null: a threshold KPI without one)
  std::optional<double> rate;   // V_j / V_(j−1); null for the first stage or when V_(j−1) = 0
  std::optional<double> required;  // volume needed to reach the target; null without one
  std::optional<double> gap;       // required − value
};

struct FunnelResult {
  std::vector<FunnelStage> stages;  // top of the funnel first
  std::optional<double> overall;    // V_last / V_first; null when V_first is 0 or null
  std::optional<double> target;     // N, as given
};

// The funnel over stage values given top first (pure arithmetic; `kpis` names the stages and has
// the same size as `values`). `required` runs bottom-up from `target` and is null above the first
// stage whose rate is null or 0.
FunnelResult ComputeFunnel(const std::vector<std::string>& kpis,
                           const std::vector<std::optional<double>>& values,
                           std::optional<double> target);

// The funnel `id` of `ws` with each stage's V from `rollup`. Refuses an unknown funnel (kNotFound)
// and a target that is negative or not finite (kInvalid).
Result<FunnelResult> AnalyzeFunnel(const Workspace& ws, const Rollup& rollup, const std::string& id,
                                   std::optional<double> target);

}  // namespace cascade
