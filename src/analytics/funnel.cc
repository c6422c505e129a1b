#include "analytics/funnel.h"

#include <cmath>
#include <cstdio>

#include "core/validate.h"

namespace cascade {
namespace {

constexpr double kEps = 1e-9;

bool IsZero(double v) { return std::fabs(v) <= kEps; }

// Null for what is not a finite number: a quotient of a huge volume by a tiny one, or a stage's V
// stored before entry bounded values. No view or JSON shows an infinity.
std::optional<double> Finite(std::optional<double> v) {
  return v && std::isfinite(*v) ? v : std::nullopt;
}

}  // namespace

FunnelResult ComputeFunnel(const std::vector<std::string>& kpis,
                           const std::vector<std::optional<double>>& given,
                           std::optional<double> target) {
  std::vector<std::optional<double>> values;
  values.reserve(given.size());
  for (const std::optional<double>& v : given) values.push_back(Finite(v));
  FunnelResult out;
  out.target = target;
  const size_t k = values.size();
  out.stages.resize(k);
  for (size_t j = 0; j < k; ++j) {
    FunnelStage& s = out.stages[j];
    s.kpi = j < kpis.size() ? kpis[j] : std::string();
    s.value = values[j];
    if (j > 0 && values[j] && values[j - 1] && !IsZero(*values[j - 1])) {
      s.rate = Finite(*values[j] / *values[j - 1]);
    }
  }
  if (k > 0 && values.front() && values.back() && !IsZero(*values.front())) {
    out.overall = Finite(*values.back() / *values.front());
  }
  if (target && k > 0) {
    // The inverse cascade: required_k = N, required_j = required_(j+1) / rate_(j+1).
    out.stages[k - 1].required = *target;
    for (size_t j = k - 1; j-- > 0;) {
      const std::optional<double>& below = out.stages[j + 1].required;
      const std::optional<double>& rate = out.stages[j + 1].rate;
      if (!below || !rate || IsZero(*rate)) break;
      out.stages[j].required = Finite(*below / *rate);
    }
    for (FunnelStage& s : out.stages) {
      if (s.required && s.value) s.gap = Finite(*s.required - *s.value);
    }
  }
  return out;
}

Result<FunnelResult> AnalyzeFunnel(const Workspace& ws, const Rollup& rollup, const std::string& id,
                                   std::optional<double> target) {
  const Funnel* funnel = nullptr;
  for (const Funnel& f : ws.funnels) {
    if (f.id == id) funnel = &f;
  }
  if (funnel == nullptr) {
    return Error::NotFound("funnel '" + id + "' does not exist", "funnel", id, "id");
  }
  if (target && (!IsEntryValue(*target) || *target < 0)) {
    return Error::Invalid(
        "funnel '" + id + "': target " + RefusalNumber(*target) +
            " is not allowed; the target is a volume of the last stage, from 0 to 1e15",
        "funnel", id, "target");
  }
  std::vector<std::optional<double>> values;
  for (const std::string& stage : funnel->stages) {
    std::optional<double> v;
    for (size_t k = 0; k < ws.kpis.size(); ++k) {
      if (ws.kpis[k].id == stage) {
        v = rollup.kpis[k].value;
        break;
      }
    }
    values.push_back(v);
  }
  return ComputeFunnel(funnel->stages, values, target);
}

}  // namespace cascade
