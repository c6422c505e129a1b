// The demo workspace: Northwind, a consumer-electronics and apparel company whose marketing
// department runs the four worked examples of spec §7 at once, with a brand-awareness goal beside
// them.
//
// Every date is an offset from `today`, so the statuses are the same whatever day the demo is
// loaded. The dates are chosen so that the roll-up as of `today` shows every status:
//
//   on track     market-share (ex. 1), leading-tracker, smart-plans-adoption, blog-posts,
//                social-engagement, three-year-share, inbound-leads, organic-traffic,
//                web-conversion, customer-value, gen-z-campaigns, online-engagement,
//                brand-awareness
//   at risk      rebrand-sales, blogger-collabs, testimonials, content-leads
//   off track    new-designs, email-open-rate, media-mentions (its KPI is also stale),
//                review-roundups (its owner's check-in says on track: the review's disagreement)
//   achieved     preorders, launch-followers, tech-coverage, training-guides, dedicated-support,
//                running-events
//   missed       launch-reviews (a late batch of reviews after the due date does not count),
//                brand-film-views, branded-search
//   not started  webinars
//   draft        referral-programme, brand-film-views-this-quarter, branded-search-this-quarter
//   cancelled    local-influencers
//
// The cycles: last-quarter (98 to 8 days ago) is closed, holding running-events (achieved),
// brand-film-views and branded-search (unfinished; as of its end both off track); those two are
// carried over into this-quarter (from 7 days ago, open) as drafts, as `goal copy` does, beside
// web-conversion, whose KPI is a formula of the inbound leads and customers. leading-tracker's
// share has a competitor's share as its benchmark. Goals shared across teams: contributors on
// leading-tracker, review-roundups, web-conversion and brand-film-views; brand-awareness supports
// three-year-share and running-events supports leading-tracker.
//
// The weekly organic visits lead the weekly leads by two weeks (leads ≈ 2.4% of the visits two
// weeks earlier), for the correlation analysis. Nothing is random.
#include "demo/demo_workspace.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/changeset.h"
#include "core/cycles.h"
#include "core/rollup.h"

// The rows below name only the fields that differ from the model's defaults, on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace cascade {
namespace {

// One check-in of a series: `day` counts from the series' origin date.
struct Reading {
  int day = 0;
  double value = 0;
  std::string_view note;
  Confidence confidence = Confidence::kNone;  // the author's judgement, when they gave one
};

// Appends entities to a workspace; goals, KPIs and actions are given as designated-initializer
// aggregates of the model types, so each row reads like a line of a plan file.
class DemoBuilder {
 public:
  explicit DemoBuilder(Date today) : today_(today) {}

  Date today() const { return today_; }
  // The day `offset` days from today (negative: in the past).
  Date Day(int offset) const { return today_ + offset; }

  void AddTeam(std::string_view id, std::string_view name, std::string_view parent) {
    ws_.teams.push_back(
        {.id = std::string(id), .name = std::string(name), .parent = std::string(parent)});
  }

  void AddPerson(std::string_view id, std::string_view name, std::string_view team, Role role) {
    ws_.people.push_back({.id = std::string(id),
                          .name = std::string(name),
                          .email = std::string(id) + "@northwind.example",
                          .team = std::string(team),
                          .role = role});
  }

  void AddGoal(Goal goal) { ws_.goals.push_back(std::move(goal)); }
  void AddKpi(Kpi kpi) { ws_.kpis.push_back(std::move(kpi)); }
  void AddAction(Action action) { ws_.actions.push_back(std::move(action)); }

  // Check-ins of one KPI, each dated `origin + reading.day`.
  void AddCheckins(std::string_view kpi, std::string_view author, Date origin,
                   std::initializer_list<Reading> readings) {
    for (const Reading& r : readings) {
      AddCheckin(kpi, author, origin + r.day, r.value, r.note, r.confidence);
    }
  }

  void AddCheckin(std::string_view kpi, std::string_view author, Date date, double value,
                  std::string_view note = {}, Confidence confidence = Confidence::kNone) {
    ws_.checkins.push_back({.kpi = std::string(kpi),
                            .date = date,
                            .value = value,
                            .note = std::string(note),
                            .author = std::string(author),
                            .confidence = confidence});
  }

  void AddCycle(std::string_view id, std::string_view name, Date start, Date end) {
    ws_.cycles.push_back(
        {.id = std::string(id), .name = std::string(name), .start = start, .end = end});
  }

  void AddFunnel(std::string_view id, std::string_view name,
                 std::initializer_list<std::string_view> stages) {
    Funnel f{.id = std::string(id), .name = std::string(name)};
    for (std::string_view s : stages) f.stages.emplace_back(s);
    ws_.funnels.push_back(std::move(f));
  }

  void AddExperiment(std::string_view id, std::string_view goal, std::string_view name, Arm control,
                     Arm variant) {
    ws_.experiments.push_back({.id = std::string(id),
                               .goal = std::string(goal),
                               .name = std::string(name),
                               .control = control,
                               .variant = variant});
  }

  void AddComment(std::string_view goal, std::string_view author, Date date,
                  std::string_view text) {
    ws_.comments.push_back({.goal = std::string(goal),
                            .author = std::string(author),
                            .date = date,
                            .text = std::string(text)});
  }

  // The workspace with its check-ins in the order a team would have recorded them: by date.
  Workspace Finish() {
    std::stable_sort(ws_.checkins.begin(), ws_.checkins.end(),
                     [](const Checkin& a, const Checkin& b) { return a.date < b.date; });
    return std::move(ws_);
  }

 private:
  Date today_;
  Workspace ws_;
};

void AddOrganisation(DemoBuilder& b) {
  struct TeamRow {
    std::string_view id, name, parent;
  };
  static constexpr TeamRow kTeams[] = {
      {"company", "Northwind", ""},
      {"marketing", "Marketing", "company"},
      {"brand", "Brand & Apparel", "marketing"},
      {"social", "Social Media", "marketing"},
      {"content", "Content", "marketing"},
      {"email", "Email & Lifecycle", "marketing"},
      {"seo", "SEO", "marketing"},
      {"pr", "Public Relations", "marketing"},
      {"product-marketing", "Product Marketing", "marketing"},
  };
  for (const TeamRow& t : kTeams) b.AddTeam(t.id, t.name, t.parent);

  struct PersonRow {
    std::string_view id, name, team;
    Role role;
  };
  static constexpr PersonRow kPeople[] = {
      {"ava", "Ava Thompson", "marketing", Role::kAdmin},  // CMO
      {"maya", "Maya Johnson", "brand", Role::kLead},
      {"dana", "Dana Lee", "social", Role::kLead},
      {"marcus", "Marcus Chen", "content", Role::kLead},
      {"priya", "Priya Patel", "email", Role::kLead},
      {"leo", "Leo Garcia", "seo", Role::kLead},
      {"sofia", "Sofia Rossi", "pr", Role::kLead},
      {"noah", "Noah Kim", "product-marketing", Role::kLead},
      {"jules", "Jules Martin", "brand", Role::kMember},
      {"sam", "Sam Rivera", "social", Role::kMember},
      {"lena", "Lena Fischer", "content", Role::kMember},
      {"ivy", "Ivy Nguyen", "email", Role::kMember},
      {"omar", "Omar Haddad", "product-marketing", Role::kMember},
      {"grace", "Grace Okafor", "company", Role::kViewer},  // CFO, follows the numbers
  };
  for (const PersonRow& p : kPeople) b.AddPerson(p.id, p.name, p.team, p.role);
}

// The planning cycles: last quarter ended a week ago and is closed; this quarter began after it.
constexpr std::string_view kLastQuarter = "last-quarter";
constexpr std::string_view kThisQuarter = "this-quarter";

void AddCycles(DemoBuilder& b) {
  b.AddCycle(kLastQuarter, "Last quarter", b.Day(-98), b.Day(-8));
  b.AddCycle(kThisQuarter, "This quarter", b.Day(-7), b.Day(83));
}

// §7.1 Launching a new fitness tracker. Pre-orders opened 54 days ago, the tracker launched 40 days
// ago; the launch-month goals are over (three achieved, the reviews missed) and the six-month
// market-share goal is on track.
void AddFitnessTrackerLaunch(DemoBuilder& b) {
  const Date preorder_open = b.Day(-54);
  const Date launch = b.Day(-40);

  b.AddGoal({.id = "market-share",
             .title = "Achieve 20% market share within six months of launch",
             .description = "Pulse 2 fitness tracker: take a fifth of the mid-range tracker "
                            "market by the end of the launch half-year.",
             .level = Level::kMacro,
             .owner = "noah",
             .team = "product-marketing",
             .start = preorder_open,
             .due = launch + 182,
             .priority = Priority::kHigh,
             .tags = {"pulse-2", "launch"}});
  b.AddKpi({.id = "tracker-share",
            .goal = "market-share",
            .name = "Market share",
            .unit = "%",
            .kind = KpiKind::kLevel,
            .baseline = 0,
            .target = 20,
            .weight = 2,
            .source = "Retail panel"});
  b.AddKpi({.id = "tracker-nps",
            .goal = "market-share",
            .name = "Net promoter score",
            .kind = KpiKind::kThreshold,
            .target = 50,
            .direction = Direction::kAbove,
            .source = "In-app survey"});
  b.AddCheckins("tracker-share", "noah", launch,
                {{7, 1.2, "First week of retail data"},
                 {14, 2.3},
                 {21, 3.1, "Second retailer live"},
                 {28, 4.0},
                 {35, 4.6, "Growth slowing; promo planned"}});
  b.AddCheckins("tracker-nps", "omar", launch,
                {{7, 48, "Early adopters complain about strap sizes"},
                 {14, 53, "Strap exchange programme helped"},
                 {21, 55},
                 {28, 51},
                 {35, 57}});

  b.AddGoal({.id = "preorders",
             .title = "Secure 1,000 pre-orders in the first week",
             .level = Level::kMicro,
             .parent = "market-share",
             .owner = "noah",
             .team = "product-marketing",
             .start = preorder_open,
             .due = preorder_open + 7,
             .priority = Priority::kHigh,
             .channel = "paid",
             .stage = Stage::kConversion,
             .tags = {"pulse-2"}});
  b.AddKpi({.id = "preorder-count",
            .goal = "preorders",
            .name = "Pre-orders",
            .unit = "pre-orders",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 1000,
            .cadence_days = 1,
            .source = "Shop"});
  b.AddCheckins("preorder-count", "omar", preorder_open,
                {{1, 180, "Announcement day"},
                 {2, 150},
                 {3, 130},
                 {4, 140, "Newsletter went out"},
                 {5, 160},
                 {6, 170},
                 {7, 210, "Last-chance email"}});

  b.AddGoal({.id = "launch-reviews",
             .title = "Earn 50 positive reviews in the first two weeks",
             .level = Level::kMicro,
             .parent = "market-share",
             .owner = "omar",
             .team = "product-marketing",
             .start = launch,
             .due = launch + 14,
             .channel = "community",
             .stage = Stage::kConsideration,
             .tags = {"pulse-2", "reviews"}});
  b.AddKpi({.id = "positive-reviews",
            .goal = "launch-reviews",
            .name = "Positive reviews",
            .unit = "reviews",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 50,
            .cadence_days = 3,
            .source = "Review sites"});
  b.AddCheckins("positive-reviews", "omar", launch,
                {{2, 6, "Review units arrived late"},
                 {5, 9},
                 {8, 8},
                 {11, 10},
                 {14, 8, "41 in two weeks, short of 50"},
                 {17, 11, "Late reviews; they do not count for the goal"}});

  b.AddGoal({.id = "launch-followers",
             .title = "Generate 10,000 social media followers in the first month",
             .level = Level::kMicro,
             .parent = "market-share",
             .owner = "dana",
             .team = "social",
             .start = launch,
             .due = launch + 30,
             .channel = "social",
             .stage = Stage::kAwareness,
             .tags = {"pulse-2"}});
  b.AddKpi({.id = "followers",
            .goal = "launch-followers",
            .name = "Followers",
            .unit = "followers",
            .kind = KpiKind::kLevel,
            .baseline = 1200,
            .target = 10000,
            .cadence_days = 3,
            .source = "Social analytics"});
  b.AddCheckins("followers", "sam", launch,
                {{3, 2900, "Launch video"},
                 {6, 4100},
                 {10, 5200},
                 {13, 6000, "Creator unboxings"},
                 {17, 7300},
                 {20, 8200},
                 {24, 9400},
                 {27, 10350, "Passed 10,000!"}});
  b.AddAction({.id = "plan-launch-posts",
               .goal = "launch-followers",
               .title = "Plan the launch posts",
               .owner = "dana",
               .due = launch - 5,
               .done = true});
  b.AddAction({.id = "publish-launch-posts",
               .goal = "launch-followers",
               .title = "Publish the launch posts",
               .owner = "sam",
               .due = launch + 2,
               .done = true,
               .depends_on = {"plan-launch-posts"}});

  b.AddGoal({.id = "tech-coverage",
             .title = "Land coverage in 3 key tech publications in the first month",
             .level = Level::kMicro,
             .parent = "market-share",
             .owner = "sofia",
             .team = "pr",
             .start = launch,
             .due = launch + 30,
             .channel = "pr",
             .stage = Stage::kAwareness,
             .tags = {"pulse-2"}});
  b.AddKpi({.id = "tech-articles",
            .goal = "tech-coverage",
            .name = "Tech publication articles",
            .unit = "articles",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 3,
            .source = "Media monitoring"});
  b.AddCheckins("tech-articles", "sofia", launch,
                {{1, 1, "Gadget Weekly hands-on review"},
                 {9, 1, "TechPulse feature"},
                 {22, 1, "Wearables Today: best tracker of the month"}});
  b.AddAction({.id = "press-kit",
               .goal = "tech-coverage",
               .title = "Send the press kit",
               .owner = "sofia",
               .due = launch - 7,
               .done = true});
}

// §7.2 Rebranding a clothing line: day 60 of 91. Sales lag the plan (at risk) because the new
// designs are late (off track); one micro goal was cancelled in favour of the blogger
// collaborations.
void AddClothingRebrand(DemoBuilder& b) {
  const Date start = b.Day(-60);
  const Date due = start + 91;

  b.AddGoal({.id = "rebrand-sales",
             .title = "Increase sales by 15% in the target demographic within three months",
             .description = "Relaunch the Northwind Threads line for shoppers aged 18-25.",
             .level = Level::kMacro,
             .owner = "maya",
             .team = "brand",
             .start = start,
             .due = due,
             .priority = Priority::kHigh,
             .segment = "gen-z",
             .stage = Stage::kConversion,
             .tags = {"rebrand", "gen-z"}});
  b.AddKpi({.id = "genz-weekly-sales",
            .goal = "rebrand-sales",
            .name = "Weekly sales to 18-25s",
            .unit = "$",
            .kind = KpiKind::kLevel,
            .baseline = 40000,
            .target = 46000,
            .weight = 2,
            .source = "Shop"});
  b.AddCheckins("genz-weekly-sales", "jules", start,
                {{7, 40200},
                 {14, 40900, "Teaser campaign"},
                 {21, 41100},
                 {28, 41800},
                 {35, 42000},
                 {42, 42300, "Waiting on the new designs"},
                 {49, 42400},
                 {56, 42900}});
  b.AddAction({.id = "shoot-lookbook",
               .goal = "rebrand-sales",
               .title = "Shoot the new lookbook",
               .owner = "jules",
               .due = start + 20,
               .done = true});

  b.AddGoal({.id = "gen-z-campaigns",
             .title = "Run 3 Gen-Z social campaigns",
             .level = Level::kMicro,
             .parent = "rebrand-sales",
             .owner = "dana",
             .team = "social",
             .due = start + 84,
             .growth_potential = 2,
             .budget_min = 1000,
             .budget_max = 6000,
             .channel = "social",
             .segment = "gen-z",
             .stage = Stage::kAwareness,
             .tags = {"rebrand", "gen-z"}});
  b.AddKpi({.id = "genz-campaigns",
            .goal = "gen-z-campaigns",
            .name = "Campaigns launched",
            .unit = "campaigns",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 3,
            .cadence_days = 30,
            .source = "Campaign calendar"});
  b.AddCheckins("genz-campaigns", "sam", start,
                {{10, 1, "#WearYourWeekend"}, {38, 1, "Campus tour"}});
  b.AddAction({.id = "brief-third-campaign",
               .goal = "gen-z-campaigns",
               .title = "Brief the third Gen-Z campaign",
               .owner = "dana",
               .due = b.Day(10),
               .depends_on = {"shoot-lookbook"}});

  b.AddGoal({.id = "blogger-collabs",
             .title = "Launch 2 fashion-blogger collaborations",
             .level = Level::kMicro,
             .parent = "rebrand-sales",
             .owner = "maya",
             .team = "brand",
             .due = due,
             .growth_potential = 3,
             .budget_min = 2000,
             .budget_max = 9000,
             .channel = "influencer",
             .stage = Stage::kConsideration,
             .tags = {"rebrand"}});
  b.AddKpi({.id = "blogger-collab-count",
            .goal = "blogger-collabs",
            .name = "Blogger collaborations",
            .unit = "collaborations",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 2,
            .cadence_days = 30,
            .source = "Manual"});
  b.AddCheckins("blogger-collab-count", "jules", start, {{35, 1, "Street Edit capsule is live"}});

  b.AddGoal({.id = "new-designs",
             .title = "Release 5 new designs for the relaunch",
             .level = Level::kMicro,
             .parent = "rebrand-sales",
             .owner = "jules",
             .team = "brand",
             .due = due,
             .stage = Stage::kConsideration,
             .tags = {"rebrand"}});
  b.AddKpi({.id = "designs-released",
            .goal = "new-designs",
            .name = "Designs released",
            .unit = "designs",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 5,
            .cadence_days = 14,
            .source = "Manual"});
  b.AddCheckins("designs-released", "jules", start,
                {{40, 1, "Oversized hoodie"}, {54, 0, "Two designs stuck in sampling"}});
  b.AddAction({.id = "approve-samples",
               .goal = "new-designs",
               .title = "Approve the spring samples",
               .owner = "maya",
               .due = b.Day(7)});

  b.AddGoal({.id = "online-engagement",
             .title = "Lift online engagement 20% during the relaunch",
             .level = Level::kMicro,
             .parent = "rebrand-sales",
             .owner = "sam",
             .team = "social",
             .start = start + 14,
             .due = due,
             .growth_potential = 2,
             .budget_max = 4000,
             .channel = "social",
             .stage = Stage::kAwareness,
             .tags = {"rebrand"}});
  b.AddKpi({.id = "threads-engagement",
            .goal = "online-engagement",
            .name = "Engagement rate",
            .unit = "%",
            .kind = KpiKind::kLevel,
            .baseline = 3.5,
            .target = 4.2,
            .source = "Social analytics"});
  b.AddCheckins("threads-engagement", "sam", start + 14,
                {{0, 3.5},
                 {7, 3.6},
                 {14, 3.7, "Polls in stories"},
                 {21, 3.75},
                 {28, 3.9},
                 {35, 3.95},
                 {42, 4.0, "Creator duets"}});

  b.AddGoal({.id = "local-influencers",
             .title = "Partner with 3 local influencers",
             .level = Level::kMicro,
             .parent = "rebrand-sales",
             .owner = "maya",
             .team = "brand",
             .due = due,
             .channel = "influencer",
             .state = GoalState::kCancelled,
             .tags = {"rebrand"}});
  b.AddKpi({.id = "influencer-partners",
            .goal = "local-influencers",
            .name = "Influencer partnerships",
            .unit = "influencers",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 3,
            .cadence_days = 30});
  b.AddComment("local-influencers", "maya", start + 30,
               "Cancelled: the budget moves to the blogger collaborations, which convert better.");
}

// §7.3 Introducing a software feature: Smart Plans in the Northwind app, day 120 of 365.
void AddFeatureLaunch(DemoBuilder& b) {
  const Date start = b.Day(-120);

  b.AddGoal({.id = "smart-plans-adoption",
             .title = "Reach 80% adoption of Smart Plans within 12 months",
             .description = "Smart Plans builds a weekly training plan from the tracker's data.",
             .level = Level::kMacro,
             .owner = "noah",
             .team = "product-marketing",
             .start = start,
             .due = start + 365,
             .stage = Stage::kRetention,
             .tags = {"smart-plans"}});
  b.AddKpi({.id = "smart-plans-users",
            .goal = "smart-plans-adoption",
            .name = "Active users on Smart Plans",
            .unit = "%",
            .kind = KpiKind::kLevel,
            .baseline = 0,
            .target = 80,
            .weight = 2,
            .cadence_days = 14,
            .source = "Product analytics"});
  b.AddCheckins("smart-plans-users", "omar", start,
                {{14, 3},
                 {28, 6},
                 {42, 9, "Guides published"},
                 {56, 12},
                 {70, 15},
                 {84, 18},
                 {98, 20},
                 {112, 23}});

  b.AddGoal({.id = "training-guides",
             .title = "Publish 5 training guides for Smart Plans",
             .level = Level::kMicro,
             .parent = "smart-plans-adoption",
             .owner = "lena",
             .team = "content",
             .due = start + 60,
             .channel = "content",
             .stage = Stage::kRetention,
             .tags = {"smart-plans"}});
  b.AddKpi({.id = "guides-published",
            .goal = "training-guides",
            .name = "Guides published",
            .unit = "guides",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 5,
            .source = "CMS"});
  b.AddCheckins("guides-published", "lena", start,
                {{12, 2, "Getting started; Your first plan"},
                 {26, 1, "Plans for runners"},
                 {41, 1, "Plans for cyclists"},
                 {55, 1, "Recovery weeks"}});

  b.AddGoal({.id = "webinars",
             .title = "Host 3 customer webinars on Smart Plans",
             .level = Level::kMicro,
             .parent = "smart-plans-adoption",
             .owner = "noah",
             .team = "product-marketing",
             .start = b.Day(10),
             .due = b.Day(70),
             .growth_potential = 1,
             .budget_max = 3000,
             .channel = "events",
             .stage = Stage::kConsideration,
             .tags = {"smart-plans"}});
  b.AddKpi({.id = "webinars-held",
            .goal = "webinars",
            .name = "Webinars held",
            .unit = "webinars",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 3,
            .cadence_days = 14,
            .source = "Manual"});
  b.AddAction({.id = "book-speakers",
               .goal = "webinars",
               .title = "Book the webinar speakers",
               .owner = "omar",
               .due = b.Day(-5),
               .done = true});
  b.AddAction({.id = "webinar-page",
               .goal = "webinars",
               .title = "Set up the registration page",
               .owner = "omar",
               .due = b.Day(4),
               .depends_on = {"book-speakers"}});
  b.AddAction({.id = "webinar-invites",
               .goal = "webinars",
               .title = "Send the invitations",
               .owner = "ivy",
               .due = b.Day(8),
               .depends_on = {"webinar-page"}});

  b.AddGoal({.id = "blog-posts",
             .title = "Publish 10 blog posts about Smart Plans",
             .level = Level::kMicro,
             .parent = "smart-plans-adoption",
             .owner = "marcus",
             .team = "content",
             .due = start + 150,
             .growth_potential = 2,
             .budget_max = 5000,
             .channel = "content",
             .stage = Stage::kAwareness,
             .tags = {"smart-plans"}});
  b.AddKpi({.id = "smart-plans-posts",
            .goal = "blog-posts",
            .name = "Blog posts",
            .unit = "posts",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 10,
            .cadence_days = 14,
            .source = "CMS"});
  b.AddCheckins("smart-plans-posts", "lena", start,
                {{10, 1},
                 {22, 1},
                 {35, 1},
                 {50, 1, "Guest post from a coach"},
                 {64, 1},
                 {80, 1},
                 {95, 1},
                 {114, 1}});

  b.AddGoal({.id = "dedicated-support",
             .title = "Staff dedicated support for Smart Plans",
             .level = Level::kMicro,
             .parent = "smart-plans-adoption",
             .owner = "noah",
             .team = "product-marketing",
             .due = start + 30,
             .stage = Stage::kRetention,
             .tags = {"smart-plans"}});
  b.AddKpi({.id = "support-desk-live",
            .goal = "dedicated-support",
            .name = "Support desk live",
            .kind = KpiKind::kMilestone,
            .baseline = 0,
            .target = 1,
            .source = "Manual"});
  b.AddCheckin("support-desk-live", "noah", start + 21, 1, "Two agents trained, queue live");

  b.AddGoal({.id = "testimonials",
             .title = "Collect 15 customer testimonials for Smart Plans",
             .level = Level::kMicro,
             .parent = "smart-plans-adoption",
             .owner = "omar",
             .team = "product-marketing",
             .start = start + 30,
             .due = start + 180,
             .stage = Stage::kConsideration,
             .tags = {"smart-plans"}});
  b.AddKpi({.id = "testimonial-count",
            .goal = "testimonials",
            .name = "Testimonials",
            .unit = "testimonials",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 15,
            .cadence_days = 14,
            .source = "Manual"});
  b.AddCheckins("testimonial-count", "omar", start,
                {{40, 1}, {55, 2, "From the beta group"}, {70, 1}, {86, 1}, {101, 1}, {115, 1}});

  b.AddGoal({.id = "referral-programme",
             .title = "Launch a Smart Plans referral programme",
             .description = "Being planned: a free month for each friend who activates.",
             .level = Level::kMicro,
             .parent = "smart-plans-adoption",
             .owner = "noah",
             .team = "product-marketing",
             .start = b.Day(30),
             .due = b.Day(120),
             .channel = "referral",
             .stage = Stage::kConversion,
             .state = GoalState::kDraft,
             .tags = {"smart-plans"}});
  b.AddKpi({.id = "referral-signups",
            .goal = "referral-programme",
            .name = "Referral sign-ups",
            .unit = "sign-ups",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 500});
}

// §7.4: the website's lead-to-customer conversion rate, computed from the inbound
// funnel's leads and customers (a formula KPI: it takes no check-ins), this quarter's goal.
void AddWebsiteConversion(DemoBuilder& b) {
  b.AddGoal({.id = "web-conversion",
             .title = "Lift the website's lead-to-customer conversion rate to 2.8%",
             .level = Level::kMicro,
             .parent = "inbound-leads",
             .owner = "priya",
             .contributors = {"marcus"},  // Content writes the nurture pages
             .team = "email",
             .cycle = std::string(kThisQuarter),
             .channel = "web",
             .stage = Stage::kConversion,
             .tags = {"inbound"}});
  b.AddKpi({.id = "web-conversion-rate",
            .goal = "web-conversion",
            .name = "Website conversion rate",
            .unit = "%",
            .kind = KpiKind::kFormula,
            .baseline = 2.2,
            .target = 2.8,
            .source = "CRM",
            .formula = "{new-customers} / {leads} * 100"});
}

// Twelve weeks of the inbound engine (the quarter started 84 days ago): organic visits lead
// leads by two weeks; qualified leads and customers follow the leads.
struct InboundWeek {
  double organic_visits, leads, qualified_leads, content_leads, customers;
  std::string_view note;
};
constexpr InboundWeek kInboundWeeks[] = {
    {11800, 275, 58, 3, 6, ""},
    {12600, 280, 60, 3, 7, ""},
    {12200, 286, 59, 2, 6, "Site migration hiccup"},
    {13500, 300, 64, 4, 7, "Pillar page on training zones"},
    {14600, 298, 62, 3, 7, ""},
    {13900, 320, 68, 3, 8, ""},
    {15400, 352, 73, 4, 8, "Featured snippet for 'best fitness tracker'"},
    {16100, 329, 70, 3, 7, ""},
    {15200, 376, 78, 3, 9, ""},
    {16800, 383, 81, 4, 9, "Backlinks from the launch coverage"},
    {17500, 366, 77, 3, 8, ""},
    {16900, 402, 85, 3, 10, ""},
};

// §7.4 A marketing department's quarter: three macros, micros by channel, the inbound funnel, the
// landing-page pilot and growth potentials for the allocation.
void AddMarketingQuarter(DemoBuilder& b) {
  const Date quarter = b.Day(-84);
  const Date month = b.Day(-20);

  // Macro: market share over three years, with this month's social and PR pushes under it.
  const Date share_start = b.Day(-270);
  b.AddGoal({.id = "three-year-share",
             .title = "Increase market share by 15% over three years",
             .description = "From 8.0% to 9.2% of the wearables category.",
             .level = Level::kMacro,
             .owner = "ava",
             .team = "marketing",
             .start = share_start,
             .due = share_start + 1095,
             .priority = Priority::kHigh,
             .tags = {"strategy"}});
  b.AddKpi({.id = "category-share",
            .goal = "three-year-share",
            .name = "Category market share",
            .unit = "%",
            .kind = KpiKind::kLevel,
            .baseline = 8.0,
            .target = 9.2,
            .weight = 2,
            .cadence_days = 91,
            .source = "Industry report"});
  b.AddCheckins("category-share", "ava", share_start,
                {{30, 8.05, "Q3 industry report"}, {120, 8.2}, {210, 8.3}, {265, 8.35}});

  b.AddGoal({.id = "social-engagement",
             .title = "Increase social engagement by 20% this month",
             .level = Level::kMicro,
             .parent = "three-year-share",
             .owner = "dana",
             .team = "social",
             .start = month,
             .due = month + 30,
             .growth_potential = 3,
             .budget_min = 500,
             .budget_max = 8000,
             .channel = "social",
             .stage = Stage::kAwareness,
             .tags = {"always-on"},
             // The same posts feed the rebrand's engagement goal: a cross-team link, not rolled up.
             .supports = {"online-engagement"}});
  b.AddKpi({.id = "social-engagement-rate",
            .goal = "social-engagement",
            .name = "Engagement rate",
            .unit = "%",
            .kind = KpiKind::kLevel,
            .baseline = 4.0,
            .target = 4.8,
            .source = "Social analytics"});
  b.AddCheckins("social-engagement-rate", "sam", month,
                {{2, 4.0},
                 {5, 4.1, "Reels test"},
                 {7, 4.05},
                 {9, 4.2},
                 {12, 4.3},
                 {14, 4.35, "Community Q&A"},
                 {16, 4.45},
                 {19, 4.5}});

  b.AddGoal({.id = "media-mentions",
             .title = "Earn 3 media mentions this month",
             .level = Level::kMicro,
             .parent = "three-year-share",
             .owner = "sofia",
             .team = "pr",
             .start = month,
             .due = month + 30,
             .growth_potential = 1,
             .budget_max = 4000,
             .channel = "pr",
             .stage = Stage::kAwareness,
             .tags = {"always-on"}});
  b.AddKpi({.id = "media-mention-count",
            .goal = "media-mentions",
            .name = "Media mentions",
            .unit = "mentions",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 3,
            .source = "Media monitoring"});
  b.AddCheckins("media-mention-count", "sofia", month, {{8, 1, "Podcast interview"}});

  // Macro: lead generation, fed by organic traffic and content.
  b.AddGoal({.id = "inbound-leads",
             .title = "Generate 8,000 inbound leads this half-year",
             .description = "The inbound engine: organic traffic to leads to customers.",
             .level = Level::kMacro,
             .owner = "ava",
             .team = "marketing",
             .start = quarter,
             .due = quarter + 181,
             .priority = Priority::kHigh,
             .stage = Stage::kConversion,
             .tags = {"inbound"}});
  b.AddKpi({.id = "leads",
            .goal = "inbound-leads",
            .name = "Leads",
            .unit = "leads",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 8000,
            .weight = 2,
            .source = "CRM"});
  b.AddKpi({.id = "qualified-leads",
            .goal = "inbound-leads",
            .name = "Qualified leads",
            .unit = "leads",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 1700,
            .source = "CRM"});
  b.AddKpi({.id = "new-customers",
            .goal = "inbound-leads",
            .name = "New customers",
            .unit = "customers",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 180,
            .source = "CRM"});

  b.AddGoal({.id = "organic-traffic",
             .title = "Grow organic traffic by 15% this quarter",
             .description = "179,400 organic visits, 15% more than last quarter's 156,000.",
             .level = Level::kMicro,
             .parent = "inbound-leads",
             .owner = "leo",
             .team = "seo",
             .due = quarter + 90,
             .growth_potential = 5,
             .budget_min = 2000,
             .budget_max = 12000,
             .channel = "seo",
             .stage = Stage::kAwareness,
             .tags = {"inbound"}});
  b.AddKpi({.id = "organic-visits",
            .goal = "organic-traffic",
            .name = "Organic visits",
            .unit = "visits",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 179400,
            .source = "Web analytics"});

  b.AddGoal({.id = "content-leads",
             .title = "Generate 50 qualified leads from content this quarter",
             .level = Level::kMicro,
             .parent = "inbound-leads",
             .owner = "marcus",
             .team = "content",
             .due = quarter + 90,
             .growth_potential = 4,
             .budget_min = 1000,
             .budget_max = 10000,
             .channel = "content",
             .stage = Stage::kConsideration,
             .tags = {"inbound"}});
  b.AddKpi({.id = "content-mqls",
            .goal = "content-leads",
            .name = "Qualified leads from content",
            .unit = "leads",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 50,
            .source = "CRM"});
  b.AddAction({.id = "lp-headline-test",
               .goal = "content-leads",
               .title = "Run the landing-page headline test",
               .owner = "lena",
               .due = b.Day(-14),
               .done = true});
  b.AddAction({.id = "roll-out-headline",
               .goal = "content-leads",
               .title = "Roll out the winning headline",
               .owner = "lena",
               .due = b.Day(3),
               .depends_on = {"lp-headline-test"}});
  AddWebsiteConversion(b);

  for (size_t i = 0; i < std::size(kInboundWeeks); ++i) {
    const InboundWeek& w = kInboundWeeks[i];
    const Date week_end = quarter + 6 + 7 * static_cast<int>(i);
    b.AddCheckin("organic-visits", "leo", week_end, w.organic_visits, w.note);
    b.AddCheckin("leads", "marcus", week_end, w.leads);
    b.AddCheckin("qualified-leads", "marcus", week_end, w.qualified_leads);
    b.AddCheckin("content-mqls", "lena", week_end, w.content_leads);
    b.AddCheckin("new-customers", "ava", week_end, w.customers);
  }

  // Macro: customer lifetime value, with this month's email push under it.
  const Date clv_start = b.Day(-150);
  b.AddGoal({.id = "customer-value",
             .title = "Increase customer lifetime value by 20% this year",
             .description = "From $1,450 to $1,740 per customer.",
             .level = Level::kMacro,
             .owner = "priya",
             .team = "email",
             .start = clv_start,
             .due = clv_start + 365,
             .stage = Stage::kRetention,
             .tags = {"retention"}});
  b.AddKpi({.id = "lifetime-value",
            .goal = "customer-value",
            .name = "Customer lifetime value",
            .unit = "$",
            .kind = KpiKind::kLevel,
            .baseline = 1450,
            .target = 1740,
            .cadence_days = 30,
            .source = "Finance"});
  b.AddKpi({.id = "monthly-churn",
            .goal = "customer-value",
            .name = "Monthly churn",
            .unit = "%",
            .kind = KpiKind::kThreshold,
            .baseline = 5.6,
            .target = 5,
            .direction = Direction::kBelow,
            .cadence_days = 30,
            .source = "Finance"});
  b.AddCheckins("lifetime-value", "priya", clv_start,
                {{30, 1470}, {60, 1490}, {90, 1520, "Bundle upsell"}, {120, 1545}, {148, 1560}});
  b.AddCheckins("monthly-churn", "priya", clv_start,
                {{30, 5.4},
                 {60, 4.9, "Win-back flow live"},
                 {90, 4.8},
                 {120, 5.1, "Price change"},
                 {148, 4.6}});

  b.AddGoal({.id = "email-open-rate",
             .title = "Improve email open rate by 10% this month",
             .level = Level::kMicro,
             .parent = "customer-value",
             .owner = "priya",
             .team = "email",
             .start = b.Day(-25),
             .due = b.Day(5),
             .growth_potential = 2,
             .budget_max = 3000,
             .channel = "email",
             .stage = Stage::kRetention,
             .tags = {"always-on"}});
  b.AddKpi({.id = "open-rate",
            .goal = "email-open-rate",
            .name = "Open rate",
            .unit = "%",
            .kind = KpiKind::kLevel,
            .baseline = 24.0,
            .target = 26.4,
            .source = "Email platform"});
  b.AddCheckins("open-rate", "ivy", b.Day(-25),
                {{2, 24.1},
                 {6, 23.8, "Promotions tab"},
                 {9, 24.4},
                 {13, 24.2},
                 {16, 24.6, "Subject-line test"},
                 {20, 24.5},
                 {23, 24.6}});
  b.AddAction({.id = "segment-list",
               .goal = "email-open-rate",
               .title = "Segment the list by purchase recency",
               .owner = "ivy",
               .due = b.Day(-15),
               .done = true});
  b.AddAction({.id = "sender-reputation",
               .goal = "email-open-rate",
               .title = "Fix the sender reputation warnings",
               .owner = "priya",
               .due = b.Day(3),
               .depends_on = {"segment-list"}});

  b.AddFunnel("inbound", "Inbound funnel",
              {"organic-visits", "leads", "qualified-leads", "new-customers"});
  b.AddExperiment("lp-headline", "content-leads", "Landing page: benefit-led headline",
                  {.visitors = 2000, .conversions = 80}, {.visitors = 2000, .conversions = 120});
  b.AddExperiment("subject-emoji", "email-open-rate", "Subject line with an emoji",
                  {.visitors = 5000, .conversions = 1200}, {.visitors = 5000, .conversions = 1235});

  b.AddComment("media-mentions", "ava", b.Day(-3),
               "Sofia, can we get an update? No mention logged since the podcast.");
  b.AddComment("email-open-rate", "grace", b.Day(-6),
               "Is the open-rate dip related to the Promotions tab? Worth a look.");
  b.AddComment("inbound-leads", "ava", b.Day(-2),
               "Leads follow organic traffic by about two weeks; keep the SEO push going.");
}

// §7.1 continued: besides the share of the whole market, the launch aims to make Pulse 2 the
// leading mid-range tracker, measured against the segment leader, Fitbolt's Charge 6 (a benchmark
// series beside our share). The review roundups are behind, though their owner judges them on
// track: the review's disagreement.
void AddTrackerLeadership(DemoBuilder& b) {
  const Date launch = b.Day(-40);

  b.AddGoal({.id = "leading-tracker",
             .title = "Establish Pulse 2 as the leading solution in mid-range fitness trackers",
             .description = "Overtake Fitbolt's Charge 6, the segment leader, within the launch "
                            "half-year.",
             .level = Level::kMacro,
             .owner = "noah",
             .contributors = {"maya"},  // Brand & Apparel shares the goal with Product Marketing
             .team = "product-marketing",
             .start = launch,
             .due = launch + 182,
             .priority = Priority::kHigh,
             .stage = Stage::kConsideration,
             .tags = {"pulse-2", "launch"}});
  b.AddKpi({.id = "mid-range-share",
            .goal = "leading-tracker",
            .name = "Share of mid-range tracker sales",
            .unit = "%",
            .kind = KpiKind::kLevel,
            .baseline = 0,
            .target = 30,
            .weight = 2,
            .source = "Retail panel"});
  b.AddKpi({.id = "rival-share",
            .goal = "leading-tracker",
            .name = "Fitbolt Charge 6 share of mid-range tracker sales",
            .unit = "%",
            .kind = KpiKind::kLevel,
            .baseline = 0,
            .target = 30,
            .source = "Retail panel",
            .benchmark_for = "mid-range-share"});
  b.AddCheckins("mid-range-share", "noah", launch,
                {{7, 2.8},
                 {14, 5.1, "", Confidence::kOnTrack},
                 {21, 6.9},
                 {28, 8.4, "Closing on the Charge 6", Confidence::kOnTrack},
                 {35, 9.6, "", Confidence::kOnTrack}});
  b.AddCheckins("rival-share", "omar", launch,
                {{7, 31.5}, {14, 31.0}, {21, 30.4, "Fitbolt cut its price"}, {28, 29.8}, {35, 29.1}});

  b.AddGoal({.id = "review-roundups",
             .title = "Win best mid-range tracker in 2 review roundups",
             .level = Level::kMicro,
             .parent = "leading-tracker",
             .owner = "sofia",
             .contributors = {"omar"},  // Product Marketing supplies the review units
             .team = "pr",
             .due = launch + 60,
             .channel = "pr",
             .stage = Stage::kConsideration,
             .tags = {"pulse-2", "reviews"}});
  b.AddKpi({.id = "roundup-wins",
            .goal = "review-roundups",
            .name = "Roundups won",
            .unit = "roundups",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 2,
            .cadence_days = 14,
            .source = "Media monitoring"});
  b.AddCheckin("roundup-wins", "sofia", b.Day(-3), 0,
               "Shortlisted in both roundups; the results are out next week",
               Confidence::kOnTrack);
}

// Brand awareness: a two-year macro goal measured by the quarterly brand survey, with last
// quarter's micro goals under it (one achieved, two unfinished and carried over by
// CarryOverUnfinished). It also serves the three-year market share.
void AddBrandAwareness(DemoBuilder& b) {
  const Date start = b.Day(-200);
  b.AddGoal({.id = "brand-awareness",
             .title = "Raise aided brand awareness from 18% to 25% in two years",
             .description = "Share of wearables shoppers who recognise Northwind when shown the "
                            "name, from the quarterly brand survey.",
             .level = Level::kMacro,
             .owner = "maya",
             .team = "brand",
             .start = start,
             .due = start + 730,
             .stage = Stage::kAwareness,
             .tags = {"brand"},
             .supports = {"three-year-share"}});
  b.AddKpi({.id = "aided-awareness",
            .goal = "brand-awareness",
            .name = "Aided brand awareness",
            .unit = "%",
            .kind = KpiKind::kLevel,
            .baseline = 18,
            .target = 25,
            .weight = 2,
            .cadence_days = 91,
            .source = "Quarterly brand survey"});
  b.AddCheckins("aided-awareness", "maya", start,
                {{91, 19.0, "Survey wave 1", Confidence::kOnTrack},
                 {182, 20.1, "Survey wave 2: up with the running events", Confidence::kOnTrack}});

  const Date quarter = b.Day(-98);
  b.AddGoal({.id = "running-events",
             .title = "Sponsor 4 city running events",
             .level = Level::kMicro,
             .parent = "brand-awareness",
             .owner = "maya",
             .team = "brand",
             .cycle = std::string(kLastQuarter),
             .channel = "events",
             .stage = Stage::kAwareness,
             .tags = {"brand"},
             // Runners who see the tracker at the start line: a cross-team link to the launch.
             .supports = {"leading-tracker"}});
  b.AddKpi({.id = "running-events-held",
            .goal = "running-events",
            .name = "Events sponsored",
            .unit = "events",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 4,
            .cadence_days = 30,
            .source = "Manual"});
  b.AddCheckins("running-events-held", "maya", quarter,
                {{20, 1, "Lakeside 10K"},
                 {45, 1, "Harbour 5K"},
                 {66, 1, "City half marathon"},
                 {84, 1, "Night run: 3,000 runners"}});

  b.AddGoal({.id = "brand-film-views",
             .title = "Reach 2 million views of the brand film",
             .level = Level::kMicro,
             .parent = "brand-awareness",
             .owner = "jules",
             .contributors = {"sam"},  // Social Media runs the film's channels
             .team = "brand",
             .cycle = std::string(kLastQuarter),
             .channel = "video",
             .stage = Stage::kAwareness,
             .tags = {"brand"}});
  b.AddKpi({.id = "brand-film-view-count",
            .goal = "brand-film-views",
            .name = "Brand film views",
            .unit = "views",
            .kind = KpiKind::kCumulative,
            .baseline = 0,
            .target = 2000000,
            .cadence_days = 14,
            .source = "Video analytics"});
  b.AddCheckins("brand-film-view-count", "sam", quarter,
                {{10, 420000, "Premiere week"},
                 {24, 310000},
                 {38, 220000},
                 {52, 180000},
                 {66, 150000},
                 {80, 120000, "The paid boost ended"}});

  b.AddGoal({.id = "branded-search",
             .title = "Grow monthly branded searches by 25%",
             .level = Level::kMicro,
             .parent = "brand-awareness",
             .owner = "leo",
             .team = "seo",
             .cycle = std::string(kLastQuarter),
             .channel = "seo",
             .stage = Stage::kAwareness,
             .tags = {"brand"}});
  b.AddKpi({.id = "branded-searches",
            .goal = "branded-search",
            .name = "Monthly branded searches",
            .unit = "searches",
            .kind = KpiKind::kLevel,
            .baseline = 40000,
            .target = 50000,
            .target_written = "+25%",
            .cadence_days = 30,
            .source = "Search console"});
  b.AddCheckins("branded-searches", "leo", quarter,
                {{30, 42500}, {60, 44800}, {88, 46000, "Flat since the film's boost ended"}});
}

// Last quarter's goals not achieved by its end, carried over into this quarter as drafts, the way
// `cascade goal copy ID --cycle this-quarter` does it as of today (CopyGoal: each KPI's baseline is
// its value now, its target kept or, when relative, re-resolved).
void CarryOverUnfinished(Workspace& ws, Date today) {
  const Cycle& last = *std::find_if(ws.cycles.begin(), ws.cycles.end(),
                                    [](const Cycle& c) { return c.id == kLastQuarter; });
  const Rollup at_end = ComputeRollup(ws, last.end);
  std::vector<std::string> unfinished;
  for (size_t g = 0; g < ws.goals.size(); ++g) {
    if (ws.goals[g].cycle == kLastQuarter && ws.goals[g].state == GoalState::kActive &&
        at_end.goals[g].status != GoalStatus::kAchieved) {
      unfinished.push_back(ws.goals[g].id);
    }
  }
  for (const std::string& id : unfinished) {
    const Rollup now = ComputeRollup(ws, today);
    // Cannot fail: both exist, and no KPI of an unfinished goal here is at its target (which
    // CopyGoal refuses); DemoCliTest sees the copies.
    (void)CopyGoal(ws, now, id, std::string(kThisQuarter), "");
  }
}

// The last monthly review, two weeks ago, so that the review agenda has progress changes and
// celebrations (the launch followers were reached since then).
void AddLastReview(Workspace& ws, Date today) {
  const Date date = today - 14;
  const Rollup then = ComputeRollup(ws, date);
  Review review{.date = date,
                .team = "marketing",
                .notes = "Monthly review: launch reviews missed; new designs are late."};
  for (size_t i = 0; i < ws.goals.size(); ++i) {
    review.snapshot.push_back({.goal = ws.goals[i].id,
                               .progress = then.goals[i].progress,
                               .status = std::string(ToString(then.goals[i].status))});
  }
  ws.reviews.push_back(std::move(review));
}

// The demo as a team would have entered it, last quarter still open: what `cascade demo` creates
// before it closes that quarter.
Workspace BuildOpenDemo(Date today) {
  DemoBuilder b(today);
  AddOrganisation(b);
  AddCycles(b);
  AddFitnessTrackerLaunch(b);
  AddClothingRebrand(b);
  AddFeatureLaunch(b);
  AddMarketingQuarter(b);
  AddTrackerLeadership(b);
  AddBrandAwareness(b);
  Workspace ws = b.Finish();
  AddLastReview(ws, today);
  CarryOverUnfinished(ws, today);
  return ws;
}

}  // namespace

Result<ChangeSet> DemoChangeSet(const Workspace& current, Date today) {
  const Workspace open = BuildOpenDemo(today);
  ChangeSet out = DiffWorkspaces(current, open);
  // `cycle close` as the command line runs it on what storage holds: the cycles created at version
  // 1. Its update and its history notes follow the creates in the same transaction.
  Workspace stored = open;
  for (Cycle& c : stored.cycles) c.version = 1;
  auto close = CloseCycle(stored, std::string(kLastQuarter), nullptr);
  if (!close) return close.error();
  for (EntityChange& c : close->changes) out.changes.push_back(std::move(c));
  for (HistoryNote& n : close->notes) out.notes.push_back(std::move(n));
  return out;
}

Workspace BuildDemoWorkspace(Date today) {
  Workspace ws = BuildOpenDemo(today);
  // The cycle as the close leaves it (its versions aside: nothing here is stored yet).
  auto close = CloseCycle(ws, std::string(kLastQuarter), nullptr);
  if (!close) return ws;  // cannot happen: the cycle exists and is open
  for (const EntityChange& c : close->changes) {
    const Cycle* after = c.after ? std::get_if<Cycle>(&*c.after) : nullptr;
    if (after == nullptr) continue;
    for (Cycle& cycle : ws.cycles) {
      if (cycle.id == after->id) cycle.state = after->state;
    }
  }
  return ws;
}

}  // namespace cascade
