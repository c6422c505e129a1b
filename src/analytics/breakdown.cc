#include "analytics/breakdown.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace cascade {
namespace {

constexpr double kEps = 1e-9;

// Fields a breakdown accepts, in the order a refusal names them.
constexpr std::array<std::pair<BreakdownField, std::string_view>, 5> kFields{{
    {BreakdownField::kChannel, "channel"},
    {BreakdownField::kSegment, "segment"},
    {BreakdownField::kTeam, "team"},
    {BreakdownField::kStage, "stage"},
    {BreakdownField::kCycle, "cycle"},
}};

}  // namespace

std::string_view ToString(BreakdownField f) {
  for (const auto& [field, name] : kFields) {
    if (field == f) return name;
  }
  return "";
}

std::optional<BreakdownField> ParseBreakdownField(std::string_view s) {
  for (const auto& [field, name] : kFields) {
    if (name == s) return field;
  }
  return std::nullopt;
}

std::string BreakdownFieldsText() {
  std::string out;
  for (size_t i = 0; i < kFields.size(); ++i) {
    if (i > 0) out += i + 1 == kFields.size() ? " or " : ", ";
    out += kFields[i].second;
  }
  return out;
}

std::string_view BreakdownKey(const Goal& g, BreakdownField field) {
  switch (field) {
    case BreakdownField::kChannel:
      return g.channel;
    case BreakdownField::kSegment:
      return g.segment;
    case BreakdownField::kTeam:
      return g.team;
    case BreakdownField::kStage:
      return ToString(g.stage);
    case BreakdownField::kCycle:
      return g.cycle;
  }
  return "";
}

Breakdown ComputeBreakdown(const Workspace& ws, const Rollup& rollup, BreakdownField by) {
  struct Sums {
    double w = 0, wp = 0, p = 0;
    bool any = false;
  };
  Breakdown out;
  out.by = by;
  std::unordered_map<std::string_view, size_t> index;  // key → position in out.groups
  std::vector<Sums> sums;
  for (size_t g = 0; g < ws.goals.size(); ++g) {
    const Goal& goal = ws.goals[g];
    if (goal.state != GoalState::kActive) continue;
    const std::string_view key = BreakdownKey(goal, by);
    auto [it, added] = index.try_emplace(key, out.groups.size());
    if (added) {
      BreakdownGroup group;
      if (!key.empty()) group.key = std::string(key);
      out.groups.push_back(std::move(group));
      sums.emplace_back();
    }
    BreakdownGroup& group = out.groups[it->second];
    Sums& s = sums[it->second];
    const GoalResult& r = rollup.goals[g];
    ++group.goals;
    ++group.counts[static_cast<size_t>(r.status)];
    group.spent += r.spent;
    if (r.progress) {
      s.any = true;
      s.w += goal.weight;
      s.wp += goal.weight * *r.progress;
      s.p += *r.progress;
    }
  }
  for (size_t i = 0; i < out.groups.size(); ++i) {
    BreakdownGroup& group = out.groups[i];
    const Sums& s = sums[i];
    if (s.any) group.progress = s.wp / s.w;
    if (std::abs(s.p) > kEps) group.cost_per_goal_done = group.spent / s.p;
  }
  std::sort(out.groups.begin(), out.groups.end(),
            [](const BreakdownGroup& a, const BreakdownGroup& b) {
              if (!a.key || !b.key) return a.key.has_value() && !b.key.has_value();
              return *a.key < *b.key;
            });
  return out;
}

const BreakdownGroup* FindGroup(const Breakdown& b, std::string_view key) {
  for (const BreakdownGroup& g : b.groups) {
    if (key.empty() ? !g.key : g.key && *g.key == key) return &g;
  }
  return nullptr;
}

}  // namespace cascade
