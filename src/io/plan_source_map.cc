#include "io/plan.h"

namespace cascade {

void PlanSourceMap::Add(std::string_view kind, std::string_view id, std::string_view field,
                        int line) {
  lines_.emplace(std::make_tuple(std::string(kind), std::string(id), std::string(field)), line);
}

int PlanSourceMap::Line(std::string_view kind, std::string_view id,
                        std::string_view field) const {
  const auto key = [](std::string_view k, std::string_view i, std::string_view f) {
    return std::make_tuple(std::string(k), std::string(i), std::string(f));
  };
  if (auto it = lines_.find(key(kind, id, field)); it != lines_.end()) return it->second;
  if (auto it = lines_.find(key(kind, id, "")); it != lines_.end()) return it->second;
  return 0;
}

bool PlanSourceMap::Has(std::string_view kind, std::string_view id,
                        std::string_view field) const {
  return lines_.contains(std::make_tuple(std::string(kind), std::string(id), std::string(field)));
}

}  // namespace cascade
