#include "io/entity_json.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

using nlohmann::json;

Date D(const char* text) { return *Date::Parse(text); }

std::vector<std::string> Keys(const json& j) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  return keys;
}

TEST(EntityJson, GoalWithEveryFieldSet) {
  Goal g;
  g.id = "followers";
  g.title = "Generate 10,000 social media followers";
  g.description = "Launch month";
  g.level = Level::kMicro;
  g.parent = "market-share";
  g.owner = "dana";
  g.team = "social";
  g.start = D("2026-01-01");
  g.due = D("2026-01-31");
  g.weight = 2;
  g.priority = Priority::kHigh;
  g.growth_potential = 3;
  g.budget_min = 100;
  g.budget_max = 5000;
  g.channel = "social";
  g.stage = Stage::kAwareness;
  g.state = GoalState::kDraft;
  g.tags = {"launch", "q1"};
  g.contributors = {"sam", "kim"};
  g.supports = {"brand"};
  g.segment = "gen-z";
  g.cycle = "2026-q1";
  g.version = 4;

  const json expected = json::parse(R"({
    "id": "followers", "title": "Generate 10,000 social media followers",
    "description": "Launch month", "level": "micro", "parent": "market-share", "owner": "dana",
    "contributors": ["sam", "kim"], "team": "social", "cycle": "2026-q1", "start": "2026-01-01",
    "due": "2026-01-31", "weight": 2.0, "priority": "high", "growth_potential": 3.0,
    "budget_min": 100.0, "budget_max": 5000.0, "channel": "social", "segment": "gen-z",
    "stage": "awareness", "state": "draft", "tags": ["launch", "q1"], "supports": ["brand"],
    "version": 4})");
  EXPECT_EQ(ToJson(g), expected);
  EXPECT_EQ(EntityToJson(Entity(g)), expected);
}

TEST(EntityJson, GoalAbsentOptionalsAndEmptyReferencesAreNull) {
  Goal g;
  g.id = "root";
  g.title = "Grow";
  const json j = ToJson(g);
  for (const char* key :
       {"parent", "owner", "team", "cycle", "start", "due", "budget_max", "stage"}) {
    EXPECT_TRUE(j.at(key).is_null()) << key;
  }
  EXPECT_EQ(j.at("description"), "");
  EXPECT_EQ(j.at("channel"), "");
  EXPECT_EQ(j.at("tags"), json::array());
  EXPECT_EQ(j.at("contributors"), json::array());
  EXPECT_EQ(j.at("supports"), json::array());
  EXPECT_EQ(j.at("segment"), "");
  EXPECT_EQ(j.at("level"), "micro");
  EXPECT_EQ(j.at("priority"), "medium");
  EXPECT_EQ(j.at("state"), "active");
  EXPECT_EQ(j.at("weight"), 1.0);
  EXPECT_EQ(j.at("version"), 0);
}

TEST(EntityJson, Kpi) {
  Kpi k;
  k.id = "nps";
  k.goal = "market-share";
  k.name = "Net promoter score";
  k.unit = "pts";
  k.kind = KpiKind::kThreshold;
  k.target = 50;
  k.direction = Direction::kAbove;
  k.weight = 0.5;
  k.cadence_days = 14;
  k.source = "survey";
  k.version = 1;
  EXPECT_EQ(ToJson(k), json::parse(R"({
    "id": "nps", "goal": "market-share", "name": "Net promoter score", "unit": "pts",
    "kind": "threshold", "baseline": null, "target": 50.0, "direction": "above", "weight": 0.5,
    "cadence_days": 14, "source": "survey", "target_written": null, "formula": null,
    "benchmark_for": null, "version": 1})"));

  Kpi level;
  level.id = "share";
  level.goal = "market-share";
  level.baseline = 0;
  level.target = 20;
  const json j = ToJson(level);
  EXPECT_EQ(j.at("baseline"), 0.0);
  EXPECT_TRUE(j.at("direction").is_null());
  EXPECT_EQ(j.at("kind"), "level");
  EXPECT_EQ(j.at("cadence_days"), 7);
}

TEST(EntityJson, TeamAndPerson) {
  EXPECT_EQ(ToJson(Team{"marketing", "Marketing", "", 1}),
            json::parse(R"({"id": "marketing", "name": "Marketing", "parent": null,
                            "version": 1})"));
  EXPECT_EQ(ToJson(Team{"social", "Social Media", "marketing", 2}).at("parent"), "marketing");
  EXPECT_EQ(ToJson(Person{"dana", "Dana Lee", "dana@example.com", "social", Role::kLead, 3}),
            json::parse(R"({"id": "dana", "name": "Dana Lee", "email": "dana@example.com",
                            "team": "social", "role": "lead", "version": 3})"));
  EXPECT_TRUE(ToJson(Person{"solo", "Solo", "", "", Role::kViewer, 1}).at("team").is_null());
}

TEST(EntityJson, Checkin) {
  Checkin c{"share", D("2026-02-01"), 3.5, "after launch", "dana", 12};
  EXPECT_EQ(ToJson(c), json::parse(R"({"kpi": "share", "date": "2026-02-01", "value": 3.5,
                                       "note": "after launch", "author": "dana", "seq": 12,
                                       "confidence": null})"));
  Checkin bare{"share", D("2026-02-02"), 4, "", "", 0, Confidence::kOffTrack};
  EXPECT_EQ(ToJson(bare).at("confidence"), "off_track");
  EXPECT_TRUE(ToJson(bare).at("author").is_null());
  EXPECT_EQ(ToJson(bare).at("note"), "");
}

TEST(EntityJson, ActionFunnelExperiment) {
  Action a{"publish",
           "followers",
           "Publish the launch posts",
           "dana",
           D("2026-01-10"),
           true,
           {"plan-posts"},
           1};
  EXPECT_EQ(ToJson(a), json::parse(R"({"id": "publish", "goal": "followers",
      "title": "Publish the launch posts", "owner": "dana", "due": "2026-01-10", "done": true,
      "depends_on": ["plan-posts"], "version": 1})"));
  Action open{"plan", "followers", "Plan", "", std::nullopt, false, {}, 1};
  EXPECT_TRUE(ToJson(open).at("owner").is_null());
  EXPECT_TRUE(ToJson(open).at("due").is_null());
  EXPECT_EQ(ToJson(open).at("depends_on"), json::array());

  Funnel f{"launch", "Launch funnel", {"visits", "signups", "customers"}, 2};
  EXPECT_EQ(EntityToJson(Entity(f)), json::parse(R"({"id": "launch", "name": "Launch funnel",
                            "stages": ["visits", "signups", "customers"], "version": 2})"));

  Experiment e{"hero-video", "followers", "Video hero post", {1000, 50}, {1000, 70}, 1};
  EXPECT_EQ(ToJson(e), json::parse(R"({"id": "hero-video", "goal": "followers",
      "name": "Video hero post", "control": {"visitors": 1000, "conversions": 50},
      "variant": {"visitors": 1000, "conversions": 70}, "version": 1})"));
}

TEST(EntityJson, CommentAndReview) {
  Comment c{7, "followers", "sam", D("2026-01-15"), "Great start"};
  EXPECT_EQ(ToJson(c), json::parse(R"({"seq": 7, "goal": "followers", "author": "sam",
                                       "date": "2026-01-15", "text": "Great start",
                                       "kind": "comment"})"));
  c.kind = CommentKind::kDecision;
  EXPECT_EQ(ToJson(c).at("kind"), "decision");
  Spend s{4, "followers", D("2026-01-16"), -12.5, "refund", ""};
  EXPECT_EQ(ToJson(s), json::parse(R"({"seq": 4, "goal": "followers", "date": "2026-01-16",
                                       "amount": -12.5, "note": "refund", "author": null})"));
  Review r{3,
           D("2026-03-01"),
           "",
           "Quarterly",
           {{"followers", 0.42, "on_track"}, {"nps", std::nullopt, "unmeasured"}}};
  EXPECT_EQ(ToJson(r), json::parse(R"({"seq": 3, "date": "2026-03-01", "team": null,
      "notes": "Quarterly", "snapshot": [
        {"goal": "followers", "progress": 0.42, "status": "on_track"},
        {"goal": "nps", "progress": null, "status": "unmeasured"}]})"));
}

TEST(EntityJson, EveryEntityKindCarriesIdAndVersion) {
  const std::vector<Entity> all = {Team{},   Person{}, Goal{},      Kpi{},
                                   Action{}, Funnel{}, Experiment{}};
  for (const Entity& e : all) {
    const json j = EntityToJson(e);
    EXPECT_TRUE(j.contains("id")) << j.dump();
    EXPECT_TRUE(j.contains("version")) << j.dump();
  }
  EXPECT_EQ(Keys(EntityToJson(Kpi{})),
            (std::vector<std::string>{"baseline", "benchmark_for", "cadence_days", "direction",
                                      "formula", "goal", "id", "kind", "name", "source", "target",
                                      "target_written", "unit", "version", "weight"}));
}

}  // namespace
}  // namespace cascade
