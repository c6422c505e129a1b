#include "core/permissions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace cascade {
namespace {

using ::testing::HasSubstr;

Date D(const char* text) { return *Date::Parse(text); }

Goal MakeGoal(std::string id, std::string team, std::string owner, std::string parent = "") {
  Goal g;
  g.id = std::move(id);
  g.title = "Goal " + g.id;
  g.team = std::move(team);
  g.owner = std::move(owner);
  g.parent = std::move(parent);
  g.level = g.parent.empty() ? Level::kMacro : Level::kMicro;
  g.version = 1;
  return g;
}

Kpi MakeKpi(std::string id, std::string goal) {
  Kpi k;
  k.id = std::move(id);
  k.goal = std::move(goal);
  k.name = "KPI " + k.id;
  k.target = 100;
  k.version = 1;
  return k;
}

// The org chart: company → marketing → social → tiktok, marketing → content, company → sales.
// lee leads marketing; dana is a member of social; vic views.
//
// Goals: brand (marketing), followers (social, owner sam), clips (tiktok), newsletter (content,
// owner dana), revenue (sales, owner rae), partners (sales, owner lee), spare-social and
// spare-sales (leaves nothing hangs under).
Workspace Org() {
  Workspace ws;
  ws.teams = {{"company", "Company", "", 1},     {"marketing", "Marketing", "company", 1},
              {"social", "Social", "marketing", 1}, {"tiktok", "TikTok", "social", 1},
              {"content", "Content", "marketing", 1}, {"sales", "Sales", "company", 1},
              {"spare-team", "Spare", "", 1}};
  ws.people = {{"ada", "Ada", "", "company", Role::kAdmin, 1},
               {"lee", "Lee", "", "marketing", Role::kLead, 1},
               {"dana", "Dana", "", "social", Role::kMember, 1},
               {"sam", "Sam", "", "social", Role::kMember, 1},
               {"rae", "Rae", "", "sales", Role::kLead, 1},
               {"vic", "Vic", "", "social", Role::kViewer, 1},
               {"spare-person", "Spare", "", "", Role::kMember, 1}};
  ws.goals = {MakeGoal("brand", "marketing", "lee"),
              MakeGoal("followers", "social", "sam", "brand"),
              MakeGoal("clips", "tiktok", "sam", "followers"),
              MakeGoal("newsletter", "content", "dana", "brand"),
              MakeGoal("revenue", "sales", "rae"),
              MakeGoal("partners", "sales", "lee", "revenue"),
              MakeGoal("spare-social", "social", "sam", "brand"),
              MakeGoal("spare-sales", "sales", "rae", "revenue")};
  ws.kpis = {MakeKpi("k-brand", "brand"),           MakeKpi("k-followers", "followers"),
             MakeKpi("k-clips", "clips"),           MakeKpi("k-newsletter", "newsletter"),
             MakeKpi("k-revenue", "revenue"),       MakeKpi("k-partners", "partners"),
             MakeKpi("k-spare-social", "followers"), MakeKpi("k-spare-sales", "revenue")};
  ws.actions = {{"a-followers", "followers", "Post daily", "sam", std::nullopt, false, {}, 1},
                {"a-revenue", "revenue", "Call leads", "rae", std::nullopt, false, {}, 1}};
  ws.funnels = {{"f", "Funnel", {"k-followers", "k-revenue"}, 1}};
  ws.experiments = {{"x-followers", "followers", "Hook A/B", {100, 5}, {100, 8}, 1},
                    {"x-revenue", "revenue", "Price A/B", {100, 5}, {100, 8}, 1},
                    {"x-loose", "", "No goal", {100, 5}, {100, 8}, 1}};
  // Recorded check-ins (seq 1-3) and comments (seq 1-2).
  ws.checkins = {{"k-followers", D("2026-02-01"), 5, "", "sam", 1},
                 {"k-revenue", D("2026-02-01"), 5, "", "rae", 2},
                 {"k-clips", D("2026-02-01"), 5, "", "sam", 3}};
  ws.comments = {{1, "followers", "sam", D("2026-02-01"), "Nice"},
                 {2, "revenue", "rae", D("2026-02-01"), "Hm"}};
  return ws;
}

const Principal kAdmin{"ada", Role::kAdmin, "ada", "company"};
const Principal kLead{"lee", Role::kLead, "lee", "marketing"};
const Principal kMember{"dana", Role::kMember, "dana", "social"};
const Principal kViewer{"vic", Role::kViewer, "vic", "social"};

using Edit = std::function<void(Workspace&)>;

ChangeSet Changes(const Workspace& before, const Edit& edit) {
  Workspace after = before;
  edit(after);
  return DiffWorkspaces(before, after);
}

template <typename T>
T& ById(CowVector<T>& items, const std::string& id) {
  for (T& item : items) {
    if (item.id == id) return item;
  }
  ADD_FAILURE() << "no " << id;
  return items.front();
}

template <typename T>
void Erase(CowVector<T>& items, const std::string& id) {
  erase_if(items, [&](const T& item) { return item.id == id; });
}

// A new check-in or comment, by dana (the member) unless said otherwise.
Checkin CheckinOf(std::string kpi, std::string author = "dana") {
  return {std::move(kpi), D("2026-03-01"), 5, "", std::move(author), 0};
}
Comment CommentOn(std::string goal, std::string author = "dana") {
  return {0, std::move(goal), std::move(author), D("2026-03-01"), "Nice"};
}

// `changes` with every new check-in and comment by `who` itself, as the API records them.
ChangeSet ByThemselves(ChangeSet changes, const Principal& who) {
  for (Checkin& c : changes.checkins) c.author = OwnAuthor(who);
  for (Comment& c : changes.comments) c.author = OwnAuthor(who);
  return changes;
}
Review ReviewOf(std::string team) { return {0, D("2026-03-01"), std::move(team), "notes", {}}; }

struct WriteCase {
  const char* name;
  Edit edit;
  bool admin, lead, member, viewer;  // allowed?
};

// Every kind of write, within a lead's and a member's reach (social, a sub-team of the lead's
// marketing; dana's own team) and outside it (sales).
const std::vector<WriteCase>& Cases() {
  static const std::vector<WriteCase> cases = {
      // Teams, people and funnels: admins only.
      {"create team", [](Workspace& ws) { ws.teams.push_back({"events", "Events", "marketing", 0}); },
       true, false, false, false},
      {"update team", [](Workspace& ws) { ById(ws.teams, "social").name = "Social media"; }, true,
       false, false, false},
      {"delete team", [](Workspace& ws) { Erase(ws.teams, "spare-team"); }, true, false, false,
       false},
      {"create person",
       [](Workspace& ws) { ws.people.push_back({"kim", "Kim", "", "social", Role::kMember, 0}); },
       true, false, false, false},
      {"update person", [](Workspace& ws) { ById(ws.people, "sam").email = "sam@example.com"; },
       true, false, false, false},
      {"delete person", [](Workspace& ws) { Erase(ws.people, "spare-person"); }, true, false, false,
       false},
      {"create funnel", [](Workspace& ws) { ws.funnels.push_back({"g", "G", {"k-followers"}, 0}); },
       true, false, false, false},
      {"update funnel", [](Workspace& ws) { ById(ws.funnels, "f").name = "Renamed"; }, true, false,
       false, false},
      {"delete funnel", [](Workspace& ws) { Erase(ws.funnels, "f"); }, true, false, false, false},

      // Goals: leads within their team and its sub-teams.
      {"create goal in sub-team",
       [](Workspace& ws) { ws.goals.push_back(MakeGoal("reels", "social", "sam", "brand")); },
       true, true, false, false},
      {"create goal in sub-sub-team",
       [](Workspace& ws) { ws.goals.push_back(MakeGoal("duets", "tiktok", "sam", "followers")); },
       true, true, false, false},
      {"create goal in lead's own team",
       [](Workspace& ws) { ws.goals.push_back(MakeGoal("awareness", "marketing", "lee")); }, true,
       true, false, false},
      {"update goal in sub-team", [](Workspace& ws) { ById(ws.goals, "followers").weight = 2; },
       true, true, false, false},
      {"delete goal in sub-team", [](Workspace& ws) { Erase(ws.goals, "spare-social"); }, true, true,
       false, false},
      {"create goal in other team",
       [](Workspace& ws) { ws.goals.push_back(MakeGoal("upsell", "sales", "rae", "revenue")); },
       true, false, false, false},
      {"update goal in other team", [](Workspace& ws) { ById(ws.goals, "revenue").weight = 2; },
       true, false, false, false},
      {"delete goal in other team", [](Workspace& ws) { Erase(ws.goals, "spare-sales"); }, true,
       false, false, false},

      // KPIs, actions and experiments follow their goal.
      {"create kpi in sub-team",
       [](Workspace& ws) { ws.kpis.push_back(MakeKpi("k-new", "followers")); }, true, true, false,
       false},
      {"update kpi in sub-team", [](Workspace& ws) { ById(ws.kpis, "k-followers").target = 200; },
       true, true, false, false},
      {"delete kpi in sub-team", [](Workspace& ws) { Erase(ws.kpis, "k-spare-social"); }, true,
       true, false, false},
      {"create kpi in other team",
       [](Workspace& ws) { ws.kpis.push_back(MakeKpi("k-new", "revenue")); }, true, false, false,
       false},
      {"update kpi in other team", [](Workspace& ws) { ById(ws.kpis, "k-revenue").target = 200; },
       true, false, false, false},
      {"delete kpi in other team", [](Workspace& ws) { Erase(ws.kpis, "k-spare-sales"); }, true,
       false, false, false},
      {"create action in sub-team",
       [](Workspace& ws) {
         ws.actions.push_back({"a-new", "followers", "Plan", "sam", std::nullopt, false, {}, 0});
       },
       true, true, false, false},
      {"update action in sub-team", [](Workspace& ws) { ById(ws.actions, "a-followers").done = true; },
       true, true, false, false},
      {"delete action in sub-team", [](Workspace& ws) { Erase(ws.actions, "a-followers"); }, true,
       true, false, false},
      {"create action in other team",
       [](Workspace& ws) {
         ws.actions.push_back({"a-new", "revenue", "Plan", "rae", std::nullopt, false, {}, 0});
       },
       true, false, false, false},
      {"update action in other team", [](Workspace& ws) { ById(ws.actions, "a-revenue").done = true; },
       true, false, false, false},
      {"delete action in other team", [](Workspace& ws) { Erase(ws.actions, "a-revenue"); }, true,
       false, false, false},
      {"create experiment in sub-team",
       [](Workspace& ws) { ws.experiments.push_back({"x-new", "followers", "N", {1, 0}, {1, 0}, 0}); },
       true, true, false, false},
      {"update experiment in sub-team",
       [](Workspace& ws) { ById(ws.experiments, "x-followers").variant.conversions = 9; }, true,
       true, false, false},
      {"delete experiment in sub-team", [](Workspace& ws) { Erase(ws.experiments, "x-followers"); },
       true, true, false, false},
      {"create experiment in other team",
       [](Workspace& ws) { ws.experiments.push_back({"x-new", "revenue", "N", {1, 0}, {1, 0}, 0}); },
       true, false, false, false},
      {"update experiment in other team",
       [](Workspace& ws) { ById(ws.experiments, "x-revenue").variant.conversions = 9; }, true,
       false, false, false},
      {"delete experiment in other team", [](Workspace& ws) { Erase(ws.experiments, "x-revenue"); },
       true, false, false, false},
      {"update experiment without goal",
       [](Workspace& ws) { ById(ws.experiments, "x-loose").name = "Renamed"; }, true, false, false,
       false},

      // Check-ins and comments: members too, on goals they own or their team holds.
      {"check in on team's goal", [](Workspace& ws) { ws.checkins.push_back(CheckinOf("k-followers")); },
       true, true, true, false},
      {"check in on own goal in another team",
       [](Workspace& ws) { ws.checkins.push_back(CheckinOf("k-newsletter")); }, true, true, true,
       false},
      {"check in on sub-team's goal (members: exactly their team)",
       [](Workspace& ws) { ws.checkins.push_back(CheckinOf("k-clips")); }, true, true, false,
       false},
      {"check in on other team's goal",
       [](Workspace& ws) { ws.checkins.push_back(CheckinOf("k-revenue")); }, true, false, false,
       false},
      {"check in on goal the lead owns in another team",
       [](Workspace& ws) { ws.checkins.push_back(CheckinOf("k-partners")); }, true, true, false,
       false},
      // Comments: every account, viewers included, on any goal (spec §1, §6).
      {"comment on team's goal", [](Workspace& ws) { ws.comments.push_back(CommentOn("followers")); },
       true, true, true, true},
      {"comment on own goal", [](Workspace& ws) { ws.comments.push_back(CommentOn("newsletter")); },
       true, true, true, true},
      {"comment on other team's goal",
       [](Workspace& ws) { ws.comments.push_back(CommentOn("revenue")); }, true, true, true, true},

      // Corrections of recorded check-ins and comments: as recording them.
      {"correct check-in on team's goal", [](Workspace& ws) { ws.checkins[0].value = 6; }, true,
       true, true, false},
      {"delete check-in on team's goal", [](Workspace& ws) { ws.checkins.erase(ws.checkins.begin()); },
       true, true, true, false},
      {"correct check-in on sub-team's goal", [](Workspace& ws) { ws.checkins[2].note = "n"; },
       true, true, false, false},
      {"correct check-in on other team's goal", [](Workspace& ws) { ws.checkins[1].value = 6; },
       true, false, false, false},
      {"delete check-in on other team's goal",
       [](Workspace& ws) { ws.checkins.erase(ws.checkins.begin() + 1); }, true, false, false,
       false},
      {"correct comment on team's goal", [](Workspace& ws) { ws.comments[0].text = "Nicer"; },
       true, true, true, false},
      {"delete comment on team's goal", [](Workspace& ws) { ws.comments.erase(ws.comments.begin()); },
       true, true, true, false},
      {"correct comment on other team's goal", [](Workspace& ws) { ws.comments[1].text = "Hmm"; },
       true, false, false, false},
      {"delete comment on other team's goal",
       [](Workspace& ws) { ws.comments.erase(ws.comments.begin() + 1); }, true, false, false,
       false},

      // Reviews: leads of the team reviewed.
      {"review of sub-team", [](Workspace& ws) { ws.reviews.push_back(ReviewOf("social")); }, true,
       true, false, false},
      {"review of other team", [](Workspace& ws) { ws.reviews.push_back(ReviewOf("sales")); }, true,
       false, false, false},
      {"review of whole company", [](Workspace& ws) { ws.reviews.push_back(ReviewOf("")); }, true,
       false, false, false},
  };
  return cases;
}

TEST(AuthorizeChanges, RoleMatrix) {
  const Workspace ws = Org();
  for (const WriteCase& c : Cases()) {
    const ChangeSet changes = Changes(ws, c.edit);
    ASSERT_FALSE(changes.empty()) << c.name;
    const std::pair<const Principal*, bool> expected[] = {
        {&kAdmin, c.admin}, {&kLead, c.lead}, {&kMember, c.member}, {&kViewer, c.viewer}};
    for (const auto& [who, allowed] : expected) {
      auto r = AuthorizeChanges(ws, ByThemselves(changes, *who), *who);
      EXPECT_EQ(r.ok(), allowed) << c.name << " as " << ToString(who->role)
                                 << (r.ok() ? "" : ": " + r.error().message);
      if (!r.ok()) {
        EXPECT_EQ(r.error().code, ErrorCode::kForbidden) << c.name;
        EXPECT_THAT(r.error().message, HasSubstr(who->account + " is a"));
      }
    }
  }
}

// A write that changes nothing needs the same right as one that does: every update of the role
// matrix, made with nothing changed (the entity as stored, in `unchanged`), is allowed to exactly
// the roles that may make the update.
TEST(AuthorizeChanges, ChangingNothingNeedsTheRightAllTheSame) {
  const Workspace ws = Org();
  int updates = 0;
  for (const WriteCase& c : Cases()) {
    const ChangeSet changes = Changes(ws, c.edit);
    if (changes.changes.size() != 1 || changes.changes[0].op != EntityChange::Op::kUpdate) continue;
    ++updates;
    ChangeSet nothing;
    nothing.unchanged.push_back(*changes.changes[0].before);
    ASSERT_TRUE(nothing.empty()) << c.name;
    const std::pair<const Principal*, bool> expected[] = {
        {&kAdmin, c.admin}, {&kLead, c.lead}, {&kMember, c.member}, {&kViewer, c.viewer}};
    for (const auto& [who, allowed] : expected) {
      auto r = AuthorizeChanges(ws, nothing, *who);
      EXPECT_EQ(r.ok(), allowed) << c.name << " (nothing changed) as " << ToString(who->role);
      if (!r.ok()) {
        EXPECT_EQ(r.error().code, ErrorCode::kForbidden) << c.name;
      }
    }
  }
  // team, person, funnel; goal, KPI, action and experiment in and out of reach; loose experiment.
  EXPECT_EQ(updates, 12);
}

// A write with nothing changed and nothing addressed (a plan identical to the workspace): a
// viewer may not write at all; the other roles have nothing to be refused.
TEST(AuthorizeChanges, AViewerMayNotWriteEvenNothing) {
  const std::pair<const Principal*, bool> expected[] = {
      {&kAdmin, true}, {&kLead, true}, {&kMember, true}, {&kViewer, false}};
  for (const auto& [who, allowed] : expected) {
    auto r = AuthorizeChanges(Org(), ChangeSet{}, *who);
    EXPECT_EQ(r.ok(), allowed) << ToString(who->role);
  }
  auto r = AuthorizeChanges(Org(), ChangeSet{}, kViewer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(r.error().message,
            "vic is a viewer: viewers may read everything but change nothing; cannot write, even "
            "a change of nothing");
}

TEST(AuthorizeChanges, LeadEditsSubTeamGoalButNotAnotherTeams) {
  const Workspace ws = Org();
  EXPECT_TRUE(
      AuthorizeChanges(ws, Changes(ws, [](Workspace& w) { ById(w.goals, "clips").title = "T"; }),
                       kLead)
          .ok());
  auto r = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { ById(w.goals, "revenue").title = "T"; }), kLead);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "lee is a lead: leads may change only the goals of their team 'marketing' and its "
            "sub-teams, with their KPIs, actions, experiments, check-ins, spend, comments and "
            "reviews, and check in, record spend and comment on goals they own or contribute "
            "to; goal 'revenue' belongs to team 'sales'");
  EXPECT_EQ(r.error().kind, "goal");
  EXPECT_EQ(r.error().id, "revenue");
}

// A delete takes the goal's KPIs and actions with it, children first; the refusal names the goal
// the user asked to delete, not the first thing the delete would take.
TEST(AuthorizeChanges, ARefusedGoalDeleteNamesTheGoal) {
  const Workspace ws = Org();
  const auto drop_partners = [](Workspace& w) {
    erase_if(w.goals, [](const Goal& g) { return g.id == "partners"; });
    erase_if(w.kpis, [](const Kpi& k) { return k.goal == "partners"; });
  };
  auto lead = AuthorizeChanges(ws, Changes(ws, drop_partners), kLead);
  ASSERT_FALSE(lead.ok());
  EXPECT_EQ(lead.error().kind, "goal");
  EXPECT_THAT(lead.error().message, testing::EndsWith("; goal 'partners' belongs to team 'sales'"));
  auto member = AuthorizeChanges(ws, Changes(ws, drop_partners), kMember);
  ASSERT_FALSE(member.ok());
  EXPECT_EQ(member.error().kind, "goal");
  EXPECT_THAT(member.error().message, testing::EndsWith("; cannot delete goal 'partners'"));
}

TEST(AuthorizeChanges, LeadCannotMoveAGoalOutOfTheirTeamsOrIntoThem) {
  const Workspace ws = Org();
  auto out = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { ById(w.goals, "followers").team = "sales"; }), kLead);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.error().message, HasSubstr("goal 'followers' would move to team 'sales'"));
  auto in = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { ById(w.goals, "revenue").team = "social"; }), kLead);
  ASSERT_FALSE(in.ok());
  EXPECT_THAT(in.error().message, HasSubstr("goal 'revenue' belongs to team 'sales'"));
  // Within their reach, a move is fine.
  EXPECT_TRUE(AuthorizeChanges(
                  ws, Changes(ws, [](Workspace& w) { ById(w.goals, "followers").team = "content"; }),
                  kLead)
                  .ok());
}

TEST(AuthorizeChanges, LeadCannotMoveAKpiToAnotherTeamsGoal) {
  const Workspace ws = Org();
  auto r = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { ById(w.kpis, "k-followers").goal = "revenue"; }), kLead);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message,
              HasSubstr("cannot change kpi 'k-followers': goal 'revenue' belongs to team 'sales'"));
  EXPECT_EQ(r.error().kind, "kpi");
  EXPECT_EQ(r.error().id, "k-followers");
}

TEST(AuthorizeChanges, LeadCannotHangWorkUnderAGoalMovedAwayInTheSameChange) {
  const Workspace ws = Org();
  auto r = AuthorizeChanges(ws, Changes(ws, [](Workspace& w) {
                              ById(w.goals, "followers").team = "sales";
                              w.kpis.push_back(MakeKpi("k-new", "followers"));
                            }),
                            kLead);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("would move to team 'sales'"));
}

TEST(AuthorizeChanges, LeadCreatesAGoalWithItsKpisInOneChange) {
  const Workspace ws = Org();
  EXPECT_TRUE(AuthorizeChanges(ws, Changes(ws, [](Workspace& w) {
                                 w.goals.push_back(MakeGoal("reels", "social", "sam", "brand"));
                                 w.kpis.push_back(MakeKpi("k-reels", "reels"));
                                 w.checkins.push_back(CheckinOf("k-reels", "lee"));
                               }),
                               kLead)
                  .ok());
}

TEST(AuthorizeChanges, AGoalWithoutATeamIsHeldByItsParentsTeam) {
  Workspace ws = Org();
  // reels has no team of its own; followers, its parent, belongs to social (under marketing).
  ws.goals.push_back(MakeGoal("reels", "", "sam", "followers"));
  ws.kpis.push_back(MakeKpi("k-reels", "reels"));
  EXPECT_TRUE(
      AuthorizeChanges(ws, Changes(ws, [](Workspace& w) { ById(w.goals, "reels").title = "T"; }),
                       kLead)
          .ok());
  EXPECT_TRUE(AuthorizeChanges(
                  ws, Changes(ws, [](Workspace& w) { w.checkins.push_back(CheckinOf("k-reels")); }),
                  kMember)
                  .ok());  // dana's team, social, holds it through followers
  const Principal rae{"rae", Role::kLead, "rae", "sales"};
  auto r = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { ById(w.goals, "reels").title = "T"; }), rae);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("goal 'reels' belongs to team 'social'"));
}

TEST(AuthorizeChanges, MemberChecksInOnOwnOrTeamGoalsOnly) {
  const Workspace ws = Org();
  auto check_in = [&](const char* kpi) {
    return AuthorizeChanges(
        ws, Changes(ws, [&](Workspace& w) { w.checkins.push_back(CheckinOf(kpi)); }), kMember);
  };
  EXPECT_TRUE(check_in("k-newsletter").ok());  // dana owns it
  EXPECT_TRUE(check_in("k-followers").ok());   // social holds it
  auto r = check_in("k-revenue");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "dana is a member: members may check in, record spend and change "
            "comments only on goals they own, contribute to or their team holds, and comment on "
            "any goal; goal 'revenue' belongs to team 'sales' and is owned by 'rae'");
  EXPECT_EQ(r.error().kind, "checkin");
  EXPECT_EQ(r.error().id, "k-revenue");
}

TEST(AuthorizeChanges, MemberCannotEditGoalsEvenTheirOwn) {
  const Workspace ws = Org();
  auto r = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { ById(w.goals, "newsletter").title = "T"; }), kMember);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("dana is a member: members may check in, record "
                                           "spend and change comments only on goals they own, "
                                           "contribute to or their team holds, and comment on "
                                           "any goal; cannot change goal 'newsletter'"));
}

TEST(AuthorizeChanges, OneRefusedChangeRefusesTheWholeSet) {
  const Workspace ws = Org();
  auto r = AuthorizeChanges(ws, Changes(ws, [](Workspace& w) {
                              w.checkins.push_back(CheckinOf("k-followers"));
                              w.checkins.push_back(CheckinOf("k-revenue"));
                            }),
                            kMember);
  EXPECT_FALSE(r.ok());
}

TEST(AuthorizeChanges, AccountsThatAreNobodyOwnNothing) {
  Workspace ws = Org();
  ById(ws.goals, "followers").owner = "";
  ById(ws.goals, "followers").team = "";
  ById(ws.goals, "followers").parent = "";  // else brand's team, marketing, would hold it
  const Principal nobody{"bot", Role::kMember, "", ""};
  auto r = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { w.checkins.push_back(CheckinOf("k-followers")); }),
      nobody);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("goal 'followers' belongs to no team and has no owner"));
  const Principal lead_without_team{"lonely", Role::kLead, "", ""};
  EXPECT_FALSE(AuthorizeChanges(
                   ws, Changes(ws, [](Workspace& w) { ById(w.goals, "followers").weight = 3; }),
                   lead_without_team)
                   .ok());
}

TEST(AuthorizeChanges, ViewerMayChangeNothingButComment) {
  const Workspace ws = Org();
  auto r = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { w.checkins.push_back(CheckinOf("k-followers")); }),
      kViewer);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "vic is a viewer: viewers may read everything but change nothing; cannot check in on "
            "kpi 'k-followers'");
  // A comment as itself, on any goal, is stakeholder input every account may give.
  const ChangeSet comment =
      Changes(ws, [](Workspace& w) { w.comments.push_back(CommentOn("revenue")); });
  EXPECT_TRUE(AuthorizeChanges(ws, ByThemselves(comment, kViewer), kViewer).ok());
  // Not as somebody else.
  EXPECT_FALSE(AuthorizeChanges(ws, comment, kViewer).ok());
}

TEST(AuthorizeChanges, CorrectingAnotherTeamsCheckinNamesIt) {
  const Workspace ws = Org();
  auto r = AuthorizeChanges(ws, Changes(ws, [](Workspace& w) { w.checkins[1].value = 6; }),
                            kMember);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "dana is a member: members may check in, record spend and change "
            "comments only on goals they own, contribute to or their team holds, and comment on "
            "any goal; goal 'revenue' belongs to team 'sales' and is owned by 'rae'");
  EXPECT_EQ(r.error().kind, "checkin");
  EXPECT_EQ(r.error().id, "2");
}

TEST(AuthorizeChanges, LeadMayNotTouchTeamsPeopleOrFunnels) {
  const Workspace ws = Org();
  auto r = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { ById(w.teams, "social").name = "S"; }), kLead);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message,
              HasSubstr("only admins may change teams, people and funnels; cannot change team "
                        "'social'"));
}

// Spec §1: through the API a record's author is the signed-in account's person; only an admin
// records on another person's behalf.
TEST(AuthorizeChanges, OnlyAnAdminRecordsOnAnotherPersonsBehalf) {
  const Workspace ws = Org();
  auto r = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { w.checkins.push_back(CheckinOf("k-followers", "sam")); }),
      kMember);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(r.error().message,
            "dana is a member: members may check in, record spend and change "
            "comments only on goals they own, contribute to or their team holds, and comment on "
            "any goal; only admins may record on another person's behalf; cannot check in on "
            "kpi 'k-followers' as 'sam' (this account records as 'dana')");
  EXPECT_EQ(r.error().kind, "checkin");
  EXPECT_EQ(r.error().id, "k-followers");
  EXPECT_EQ(r.error().field, "author");
  // A comment, and a lead on their own team's goal: the same.
  r = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { w.comments.push_back(CommentOn("followers", "ada")); }),
      kLead);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("cannot comment on goal 'followers' as 'ada'"));
  EXPECT_EQ(r.error().field, "author");
  // No author at all is not oneself either.
  EXPECT_FALSE(
      AuthorizeChanges(
          ws, Changes(ws, [](Workspace& w) { w.checkins.push_back(CheckinOf("k-followers", "")); }),
          kMember)
          .ok());
  // An account that is nobody records without an author (spec §1: an author is a person), not
  // under its account name.
  const Principal bot{"bot", Role::kLead, "", "marketing"};
  EXPECT_EQ(OwnAuthor(bot), "");
  EXPECT_EQ(OwnAuthor(kMember), "dana");
  EXPECT_TRUE(
      AuthorizeChanges(
          ws,
          Changes(ws, [](Workspace& w) { w.checkins.push_back(CheckinOf("k-followers", "")); }),
          bot)
          .ok());
  r = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { w.checkins.push_back(CheckinOf("k-followers", "bot")); }),
      bot);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message,
              HasSubstr("as 'bot' (this account is no person and records without an author)"));
  // An admin records for anyone.
  EXPECT_TRUE(AuthorizeChanges(ws,
                               Changes(ws,
                                       [](Workspace& w) {
                                         w.checkins.push_back(CheckinOf("k-revenue", "rae"));
                                         w.comments.push_back(CommentOn("revenue", "sam"));
                                       }),
                               kAdmin)
                  .ok());
}

// Spec §6: a goal placed under a parent changes what the parent shows, so it needs the right to
// edit the parent; so does taking it away (moving or deleting it), or changing the weight or state
// it counts with there. rae leads sales; lee leads marketing (and social, content and tiktok under
// it).
TEST(AuthorizeChanges, ALeadReachesIntoAnotherTeamsGoalsOnlyWithTheRightToEditThem) {
  Workspace ws = Org();
  // A social goal that an admin placed under sales's revenue.
  ws.goals.push_back(MakeGoal("social-sales", "social", "sam", "revenue"));
  const Principal rae{"rae", Role::kLead, "rae", "sales"};
  struct Case {
    const char* name;
    const Principal* who;
    Edit edit;
    std::string field;    // "" = allowed
    std::string message;  // what the refusal says after the rule
  };
  const std::vector<Case> cases = {
      {"create a goal under another team's goal", &rae,
       [](Workspace& w) { w.goals.push_back(MakeGoal("hijack", "sales", "rae", "brand")); },
       "parent",
       "cannot place goal 'hijack' under goal 'brand': goal 'brand' belongs to team 'marketing'"},
      {"move one's goal under another team's goal", &rae,
       [](Workspace& w) { ById(w.goals, "spare-sales").parent = "brand"; }, "parent",
       "cannot place goal 'spare-sales' under goal 'brand': goal 'brand' belongs to team "
       "'marketing'"},
      {"take one's goal from under another team's goal", &kLead,
       [](Workspace& w) { ById(w.goals, "social-sales").parent = "brand"; }, "parent",
       "cannot take goal 'social-sales' from under goal 'revenue': goal 'revenue' belongs to "
       "team 'sales'"},
      {"make one's goal top-level, away from another team's goal", &kLead,
       [](Workspace& w) {
         Goal& g = ById(w.goals, "social-sales");
         g.parent = "";
         g.level = Level::kMacro;
       },
       "parent",
       "cannot take goal 'social-sales' from under goal 'revenue': goal 'revenue' belongs to "
       "team 'sales'"},
      {"change the weight one's goal counts with in another team's goal", &kLead,
       [](Workspace& w) { ById(w.goals, "social-sales").weight = 1000; }, "weight",
       "cannot change the weight goal 'social-sales' counts with in goal 'revenue': goal "
       "'revenue' belongs to team 'sales'"},
      {"cancel one's goal under another team's goal", &kLead,
       [](Workspace& w) { ById(w.goals, "social-sales").state = GoalState::kCancelled; }, "state",
       "cannot change the state of goal 'social-sales' (active to cancelled), which decides "
       "whether it counts in goal 'revenue': goal 'revenue' belongs to team 'sales'"},
      {"delete one's goal from under another team's goal", &kLead,
       [](Workspace& w) { Erase(w.goals, "social-sales"); }, "parent",
       "cannot delete goal 'social-sales' from under goal 'revenue': goal 'revenue' belongs to "
       "team 'sales'"},
      // Within reach, and what leaves another team's goal as it shows.
      {"cancel a goal under one's own goal", &kLead,
       [](Workspace& w) { ById(w.goals, "spare-social").state = GoalState::kCancelled; }, "", ""},
      {"change the title of one's goal under another team's goal", &kLead,
       [](Workspace& w) { ById(w.goals, "social-sales").title = "T"; }, "", ""},
      {"move one's goal between one's own goals", &kLead,
       [](Workspace& w) { ById(w.goals, "spare-social").parent = "followers"; }, "", ""},
      {"change the weight under one's own goal", &kLead,
       [](Workspace& w) { ById(w.goals, "followers").weight = 5; }, "", ""},
      {"create a top-level goal", &rae,
       [](Workspace& w) { w.goals.push_back(MakeGoal("upsell", "sales", "rae")); }, "", ""},
      {"an admin places anything anywhere", &kAdmin,
       [](Workspace& w) {
         w.goals.push_back(MakeGoal("hijack", "sales", "rae", "brand"));
         ById(w.goals, "social-sales").weight = 1000;
       },
       "", ""},
  };
  for (const Case& c : cases) {
    auto r = AuthorizeChanges(ws, Changes(ws, c.edit), *c.who);
    if (c.field.empty()) {
      EXPECT_TRUE(r.ok()) << c.name << ": " << (r.ok() ? "" : r.error().message);
      continue;
    }
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden) << c.name;
    EXPECT_EQ(r.error().field, c.field) << c.name;
    EXPECT_EQ(r.error().kind, "goal") << c.name;
    EXPECT_THAT(r.error().message, HasSubstr(c.who->account + " is a lead: leads may change only"))
        << c.name;
    EXPECT_THAT(r.error().message, ::testing::EndsWith("; " + c.message)) << c.name;
  }
}

// A contributor shares the owner's accountability (spec §1): dana (a member of social) checks in
// and comments on sales's revenue as its owner rae may, once she is one of its contributors.
TEST(AuthorizeChanges, AContributorPassesTheChecksTheOwnerPasses) {
  Workspace ws = Org();
  auto write = [&ws](const Edit& edit) {
    return AuthorizeChanges(ws, ByThemselves(Changes(ws, edit), kMember), kMember);
  };
  const Edit check_in = [](Workspace& w) { w.checkins.push_back(CheckinOf("k-revenue")); };
  const Edit correct = [](Workspace& w) { w.checkins[1].value = 6; };
  ASSERT_FALSE(write(check_in).ok());
  ASSERT_FALSE(write(correct).ok());
  ById(ws.goals, "revenue").contributors = {"sam", "dana"};
  EXPECT_TRUE(write(check_in).ok());
  EXPECT_TRUE(write(correct).ok());
  EXPECT_TRUE(write([](Workspace& w) { w.comments.push_back(CommentOn("revenue")); }).ok());
  // Still not an editor of the goal, nor of the goals under it.
  EXPECT_FALSE(write([](Workspace& w) { ById(w.goals, "revenue").title = "T"; }).ok());
  EXPECT_FALSE(write([](Workspace& w) { w.checkins.push_back(CheckinOf("k-partners")); }).ok());
  // Nor on another's behalf.
  auto as_rae = AuthorizeChanges(
      ws, Changes(ws, [](Workspace& w) { w.checkins.push_back(CheckinOf("k-revenue", "rae")); }),
      kMember);
  EXPECT_FALSE(as_rae.ok());
}

// Spec §1: contributors check in and comment as the owner does, whatever their team; they do not
// edit the goal. The refusal names the rule, contributors in it.
TEST(AuthorizeChanges, AContributorOfAnotherTeamChecksInButDoesNotEdit) {
  Workspace ws = Org();
  ById(ws.goals, "newsletter").contributors = {"sam"};  // content's goal; sam is in social
  const Principal sam{"sam", Role::kMember, "sam", "social"};
  auto write = [&](const Edit& edit) {
    return AuthorizeChanges(ws, ByThemselves(Changes(ws, edit), sam), sam);
  };
  EXPECT_TRUE(write([](Workspace& w) { w.checkins.push_back(CheckinOf("k-newsletter")); }).ok());
  EXPECT_TRUE(write([](Workspace& w) {
                w.spend.push_back({0, "newsletter", D("2026-02-01"), 10, "", "sam"});
              }).ok());
  auto r = write([](Workspace& w) { ById(w.goals, "newsletter").title = "T"; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(r.error().message,
            "sam is a member: members may check in, record spend and change comments only on "
            "goals they own, contribute to or their team holds, and comment on any goal; cannot "
            "change goal 'newsletter'");
  EXPECT_EQ(r.error().kind, "goal");
  EXPECT_EQ(r.error().id, "newsletter");

  // A lead of another team who contributes: the same, with the lead's rule.
  ById(ws.goals, "followers").contributors = {"rae"};  // social's goal; rae leads sales
  const Principal rae{"rae", Role::kLead, "rae", "sales"};
  auto as_rae = [&](const Edit& edit) {
    return AuthorizeChanges(ws, ByThemselves(Changes(ws, edit), rae), rae);
  };
  EXPECT_TRUE(as_rae([](Workspace& w) { w.checkins.push_back(CheckinOf("k-followers")); }).ok());
  r = as_rae([](Workspace& w) { ById(w.goals, "followers").title = "T"; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "rae is a lead: leads may change only the goals of their team 'sales' and its "
            "sub-teams, with their KPIs, actions, experiments, check-ins, spend, comments and "
            "reviews, and check in, record spend and comment on goals they own or contribute "
            "to; goal 'followers' belongs to team 'social'");
}

// A goal made to support another (spec §1 supports) changes what that goal shows: it needs the
// right to change it, as placing a goal under a parent does (spec §6).
TEST(AuthorizeChanges, SupportingAGoalNeedsTheRightToEditIt) {
  Workspace ws = Org();
  ById(ws.goals, "spare-social").supports = {"revenue"};  // an admin linked it
  const Principal social_lead{"sol", Role::kLead, "sol", "social"};
  struct Case {
    const char* name;
    const Principal* who;
    Edit edit;
    std::string message;  // "" = allowed; else what the refusal ends with
  };
  const std::vector<Case> cases = {
      {"create a goal supporting another team's goal", &social_lead,
       [](Workspace& w) {
         Goal g = MakeGoal("reels", "social", "sam", "followers");
         g.supports = {"brand"};
         w.goals.push_back(g);
       },
       "cannot make goal 'reels' support goal 'brand': goal 'brand' belongs to team 'marketing'"},
      {"make one's goal support another team's goal", &social_lead,
       [](Workspace& w) { ById(w.goals, "clips").supports = {"newsletter"}; },
       "cannot make goal 'clips' support goal 'newsletter': goal 'newsletter' belongs to team "
       "'content'"},
      {"add a second, foreign link", &kLead,
       [](Workspace& w) { ById(w.goals, "spare-social").supports = {"revenue", "spare-sales"}; },
       "cannot make goal 'spare-social' support goal 'spare-sales': goal 'spare-sales' belongs "
       "to team 'sales'"},
      {"support one's own team's goal", &social_lead,
       [](Workspace& w) { ById(w.goals, "clips").supports = {"spare-social"}; }, ""},
      {"a lead supports a goal of a sub-team", &kLead,
       [](Workspace& w) { ById(w.goals, "newsletter").supports = {"followers"}; }, ""},
      {"keep a link made by an admin while editing", &kLead,
       [](Workspace& w) { ById(w.goals, "spare-social").title = "T"; }, ""},
      {"drop a link to another team's goal", &kLead,
       [](Workspace& w) { ById(w.goals, "spare-social").supports.clear(); }, ""},
      {"an admin links anything", &kAdmin,
       [](Workspace& w) { ById(w.goals, "clips").supports = {"revenue", "newsletter"}; }, ""},
  };
  for (const Case& c : cases) {
    auto r = AuthorizeChanges(ws, Changes(ws, c.edit), *c.who);
    if (c.message.empty()) {
      EXPECT_TRUE(r.ok()) << c.name << ": " << (r.ok() ? "" : r.error().message);
      continue;
    }
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden) << c.name;
    EXPECT_EQ(r.error().field, "supports") << c.name;
    EXPECT_EQ(r.error().kind, "goal") << c.name;
    EXPECT_THAT(r.error().message, ::testing::EndsWith("; " + c.message)) << c.name;
  }
}

}  // namespace
}  // namespace cascade
