#include "store/sql/columns.h"

#include <nlohmann/json.hpp>

#include "io/entity_json.h"

namespace cascade::sql {

using nlohmann::json;

std::string QuoteId(std::string_view id) { return "'" + std::string(id) + "'"; }

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string StringArrayText(const std::vector<std::string>& items) {
  return items.empty() ? "[]" : Dump(json(items));
}

bool ParseStringArray(std::string_view text, std::vector<std::string>& out) {
  out.clear();
  if (text == "[]") return true;  // the common case, without a parser
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return false;
  out.reserve(j.size());
  for (const json& item : j) {
    if (!item.is_string()) return false;
    out.push_back(item.get<std::string>());
  }
  return true;
}

std::string SnapshotText(const std::vector<ReviewEntry>& snapshot) {
  json j = json::array();
  for (const ReviewEntry& e : snapshot) j.push_back(ToJson(e));
  return Dump(j);
}

bool ParseSnapshot(std::string_view text, std::vector<ReviewEntry>& out) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return false;
  for (const json& item : j) {
    if (!item.is_object()) return false;
    ReviewEntry e;
    if (auto it = item.find("goal"); it != item.end() && it->is_string())
      e.goal = it->get<std::string>();
    if (auto it = item.find("progress"); it != item.end() && it->is_number()) {
      e.progress = it->get<double>();
    }
    if (auto it = item.find("status"); it != item.end() && it->is_string())
      e.status = it->get<std::string>();
    out.push_back(std::move(e));
  }
  return true;
}

}  // namespace cascade::sql
