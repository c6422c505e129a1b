#include "core/permissions.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

namespace cascade {
namespace {

std::string_view Verb(EntityChange::Op op) {
  switch (op) {
    case EntityChange::Op::kCreate:
      return "create";
    case EntityChange::Op::kUpdate:
      return "change";
    case EntityChange::Op::kDelete:
      return "delete";
  }
  return "change";
}

std::string Quoted(std::string_view id) { return "'" + std::string(id) + "'"; }

// "goal 'x'", "kpi 'y'", … for messages.
std::string Describe(const Entity& e) {
  return std::string(EntityKindName(e)) + " " + Quoted(EntityId(e));
}

// Checks one ChangeSet against one principal. Goals and KPIs are looked up both as they were
// (`before`) and as the change set leaves them, so that a write is allowed only when every
// version of what it touches is in the principal's reach: a lead cannot move a goal out of their
// team, nor hang a KPI under a goal they may not change.
class Rules {
 public:
  Rules(const Workspace& before, const ChangeSet& changes, const Principal& who)
      : changes_(changes), who_(who) {
    for (const Goal& g : before.goals) goals_[g.id].push_back(&g);
    for (const Kpi& k : before.kpis) kpi_goals_[k.id].push_back(k.goal);
    for (const EntityChange& c : changes.changes) {
      if (!c.after) continue;
      if (const auto* g = std::get_if<Goal>(&*c.after)) goals_[g->id].push_back(g);
      if (const auto* k = std::get_if<Kpi>(&*c.after)) kpi_goals_[k->id].push_back(k->goal);
    }
    if (who.role == Role::kLead && !who.team.empty()) {
      // The lead's team and, transitively, every team under it.
      std::unordered_map<std::string_view, std::vector<std::string_view>> children;
      for (const Team& t : before.teams) {
        if (!t.parent.empty()) children[t.parent].push_back(t.id);
      }
      std::vector<std::string_view> queue = {who.team};
      while (!queue.empty()) {
        const std::string_view team = queue.back();
        queue.pop_back();
        if (!lead_teams_.insert(team).second) continue;  // also stops a (refused) cycle
        if (auto it = children.find(team); it != children.end()) {
          queue.insert(queue.end(), it->second.begin(), it->second.end());
        }
      }
    }
  }

  Result<void> Check() const {
    // Goals first: a refused goal delete names the goal asked for, not the first of its KPIs or
    // actions that the delete takes with it.
    for (const bool goals : {true, false}) {
      for (const EntityChange& c : changes_.changes) {
        const Entity& e = c.after ? *c.after : *c.before;
        if (std::holds_alternative<Goal>(e) != goals) continue;
        if (auto r = CheckChange(c, e, /*after=*/c.after.has_value()); !r) return r;
        // An update is checked as it was, too: moving something into one's reach is no more
        // allowed than moving it out.
        if (c.before && c.after) {
          if (auto r = CheckChange(c, *c.before, /*after=*/false); !r) return r;
        }
      }
    }
    for (const Checkin& checkin : changes_.checkins) {
      const std::string what = "check in on kpi " + Quoted(checkin.kpi);
      if (auto r = CheckKpiGoal(checkin.kpi, what); !r) {
        return Named(r.error(), "checkin", checkin.kpi);
      }
      if (auto r = CheckAuthor(checkin.author, what); !r) {
        return Named(r.error(), "checkin", checkin.kpi, "author");
      }
    }
    // Every account may comment on any goal, viewers included (spec §1, §6: stakeholder input),
    // as itself.
    for (const Comment& comment : changes_.comments) {
      const std::string what = "comment on goal " + Quoted(comment.goal);
      if (auto r = CheckAuthor(comment.author, what); !r) {
        return Named(r.error(), "comment", comment.goal, "author");
      }
    }
    // Spend: as check-ins, on the goal itself (spec §1: only an admin on another's behalf).
    for (const Spend& spend : changes_.spend) {
      const std::string what = "record spend on goal " + Quoted(spend.goal);
      if (auto r = CheckGoal(spend.goal, what); !r) return Named(r.error(), "spend", spend.goal);
      if (auto r = CheckAuthor(spend.author, what); !r) {
        return Named(r.error(), "spend", spend.goal, "author");
      }
    }
    for (const Review& review : changes_.reviews) {
      if (auto r = CheckReview(review); !r) return r;
    }
    // Corrections of stored check-ins and comments: the same rules as recording them, as they
    // were and as they will be.
    for (const CheckinChange& c : changes_.checkin_changes) {
      const std::string what =
          std::string(Verb(c.op)) + " check-in #" + std::to_string(c.before.seq) + " of kpi ";
      for (const Checkin* version : {&c.before, c.after ? &*c.after : nullptr}) {
        if (version == nullptr) continue;
        if (auto r = CheckKpiGoal(version->kpi, what + Quoted(version->kpi)); !r) {
          return Named(r.error(), "checkin", std::to_string(c.before.seq));
        }
      }
    }
    for (const CommentChange& c : changes_.comment_changes) {
      const std::string what =
          std::string(Verb(c.op)) + " comment #" + std::to_string(c.before.seq) + " on goal ";
      for (const Comment* version : {&c.before, c.after ? &*c.after : nullptr}) {
        if (version == nullptr) continue;
        if (auto r = CheckGoal(version->goal, what + Quoted(version->goal)); !r) {
          return Named(r.error(), "comment", std::to_string(c.before.seq));
        }
      }
    }
    for (const SpendChange& c : changes_.spend_changes) {
      const std::string what =
          std::string(Verb(c.op)) + " spend #" + std::to_string(c.before.seq) + " on goal ";
      for (const Spend* version : {&c.before, c.after ? &*c.after : nullptr}) {
        if (version == nullptr) continue;
        if (auto r = CheckGoal(version->goal, what + Quoted(version->goal)); !r) {
          return Named(r.error(), "spend", std::to_string(c.before.seq));
        }
      }
    }
    // What the write addressed but left as it was needs the same right as changing it.
    for (const Entity& e : changes_.unchanged) {
      const EntityChange as_update{EntityChange::Op::kUpdate, e, e};
      if (auto r = CheckChange(as_update, e, /*after=*/true); !r) return r;
    }
    // A viewer's write is refused even when it would change nothing; its comments (checked above,
    // as everything else it may not do is) are the one exception.
    if (who_.role == Role::kViewer && changes_.comments.empty()) {
      return Refuse("cannot write, even a change of nothing");
    }
    return Ok();
  }

 private:
  // The principal as messages name them: "dana is a member".
  std::string Who() const {
    const std::string name = who_.account.empty() ? "this account" : who_.account;
    const std::string_view role = ToString(who_.role);
    return name + " is " + (role == "admin" ? "an " : "a ") + std::string(role);
  }

  // What the principal's role may write, as one clause.
  std::string Rule() const {
    switch (who_.role) {
      case Role::kAdmin:
        return "admins may change everything";
      case Role::kLead:
        return "leads may change only the goals of " +
               (who_.team.empty() ? std::string("their team")
                                  : "their team " + Quoted(who_.team)) +
               " and its sub-teams, with their KPIs, actions, experiments, check-ins, spend, "
               "comments and reviews, and check in, record spend and comment on goals they own "
               "or contribute to";
      case Role::kMember:
        // Contributors share the owner's accountability (spec §1): they check in and comment as
        // the owner does. New comments are every account's (spec §6).
        return "members may check in, record spend and change comments only on goals they own, "
               "contribute to or their team holds, and comment on any goal";
      case Role::kViewer:
        return "viewers may read everything but change nothing";
    }
    return "";
  }

  Error Refuse(const std::string& why) const {
    return Error::Forbidden(Who() + ": " + Rule() + "; " + why);
  }

  static Error Named(Error e, std::string kind, std::string id, std::string field = {}) {
    e.kind = std::move(kind);
    e.id = std::move(id);
    if (!field.empty()) e.field = std::move(field);
    return e;
  }

  // A new check-in or comment is by the principal itself: only admins (who never get here) record
  // on another person's behalf.
  Result<void> CheckAuthor(const std::string& author, const std::string& what) const {
    const std::string own = OwnAuthor(who_);
    if (author == own) return Ok();
    return Refuse("only admins may record on another person's behalf; cannot " + what + " as " +
                  Quoted(author) +
                  (own.empty() ? " (this account is no person and records without an author)"
                               : " (this account records as " + Quoted(own) + ")"));
  }

  // The team holding `g`: its own, else its parent's as the change set leaves it, recursively
  // (core/goal_team.h says why).
  std::string_view HoldingTeam(const Goal& g) const {
    const Goal* at = &g;
    for (size_t steps = 0; at->team.empty() && steps <= goals_.size(); ++steps) {
      const auto it = goals_.find(at->parent);
      if (it == goals_.end() || it->second.empty()) break;
      at = it->second.back();
    }
    return at->team;
  }

  bool LeadReaches(const Goal& g) const {
    const std::string_view team = HoldingTeam(g);
    return who_.role == Role::kLead && !team.empty() && lead_teams_.count(team) > 0;
  }
  // A member's reach, which a lead has too. A contributor shares the owner's accountability
  // (spec §1): they check in and comment as the owner does.
  bool HoldsOrOwns(const Goal& g) const {
    if (!who_.person.empty() &&
        (g.owner == who_.person || std::find(g.contributors.begin(), g.contributors.end(),
                                             who_.person) != g.contributors.end())) {
      return true;
    }
    return who_.role == Role::kMember && !who_.team.empty() && HoldingTeam(g) == who_.team;
  }

  // Why goal `g` is out of reach, e.g. "goal 'x' belongs to team 'y'".
  std::string WhereGoalIs(const Goal& g, bool moved) const {
    std::string out = "goal " + Quoted(g.id) + (moved ? " would move to " : " belongs to ");
    const std::string_view team = HoldingTeam(g);
    out += team.empty() ? "no team" : "team " + Quoted(team);
    if (who_.role == Role::kMember) {
      out += g.owner.empty() ? " and has no owner" : " and is owned by " + Quoted(g.owner);
    }
    return out;
  }

  // Why goal `id` is out of reach (checking every version of it), or nullopt when it is within.
  // `lead_rights`: a lead's teams count; `member_rights`: goals one owns or one's team holds count.
  std::optional<std::string> GoalOutOfReach(std::string_view id, bool lead_rights,
                                            bool member_rights) const {
    auto it = goals_.find(id);
    if (it == goals_.end()) return "goal " + Quoted(id) + " is unknown";
    const std::vector<const Goal*>& versions = it->second;
    for (size_t i = 0; i < versions.size(); ++i) {
      const Goal& g = *versions[i];
      if ((lead_rights && LeadReaches(g)) || (member_rights && HoldsOrOwns(g))) continue;
      return WhereGoalIs(g, /*moved=*/i > 0 && versions[0]->team != g.team);
    }
    return std::nullopt;
  }

  // Check-ins and comments: a lead on their teams' goals; a lead or member on goals they own;
  // a member on goals their team holds.
  Result<void> CheckGoal(std::string_view goal, const std::string& what) const {
    if (who_.role == Role::kViewer) return Refuse("cannot " + what);
    if (auto why = GoalOutOfReach(goal, /*lead_rights=*/true, /*member_rights=*/true)) {
      return Refuse(*why);
    }
    return Ok();
  }

  Result<void> CheckKpiGoal(const std::string& kpi, const std::string& what) const {
    if (who_.role == Role::kViewer) return Refuse("cannot " + what);
    auto it = kpi_goals_.find(kpi);
    if (it == kpi_goals_.end()) return Refuse("cannot " + what + ": it is unknown");
    for (std::string_view goal : it->second) {
      if (auto r = CheckGoal(goal, what); !r) return r;
    }
    return Ok();
  }

  // One version `e` of a created, updated or deleted entity; `after` tells which version it is.
  Result<void> CheckChange(const EntityChange& c, const Entity& e, bool after) const {
    const std::string what = std::string(Verb(c.op)) + " " + Describe(e);
    auto refuse = [&](const std::string& why) -> Result<void> {
      return Named(Refuse(why), std::string(EntityKindName(e)), EntityId(e));
    };
    if (who_.role != Role::kLead) return refuse("cannot " + what);
    std::string_view goal;
    if (const auto* g = std::get_if<Goal>(&e)) {
      if (!LeadReaches(*g)) {
        const bool moved = after && c.before && std::get<Goal>(*c.before).team != g->team;
        return refuse(WhereGoalIs(*g, moved));
      }
      if (c.op == EntityChange::Op::kDelete) return CheckGoalLinks(g, nullptr);
      if (!after) return Ok();
      return CheckGoalLinks(c.before ? &std::get<Goal>(*c.before) : nullptr, g);
    } else if (const auto* k = std::get_if<Kpi>(&e)) {
      goal = k->goal;
    } else if (const auto* a = std::get_if<Action>(&e)) {
      goal = a->goal;
    } else if (const auto* x = std::get_if<Experiment>(&e)) {
      if (x->goal.empty()) return refuse("cannot " + what + ": it belongs to no goal");
      goal = x->goal;
    } else if (std::holds_alternative<Cycle>(e)) {
      return Ok();  // planning periods are the whole workspace's: admins and leads keep them
    } else {
      return refuse("only admins may change teams, people and funnels; cannot " + what);
    }
    if (auto why = GoalOutOfReach(goal, /*lead_rights=*/true, /*member_rights=*/false)) {
      return refuse("cannot " + what + ": " + *why);
    }
    return Ok();
  }

  // The parents a created, updated or deleted goal reaches into (`old`: as it was, null for a new
  // one; `g`: as it will be, null for a deleted one): the parent it is placed under or taken from
  // (deleting it takes it away too), and the parent in which its weight or state (whether it
  // counts: drafts and cancelled goals do not) changes. Each changes what that parent shows, so
  // it needs the right to change the parent.
  Result<void> CheckGoalLinks(const Goal* old, const Goal* g) const {
    const std::string& id = g ? g->id : old->id;
    auto need = [&](const std::string& parent, const std::string& what,
                    const char* field) -> Result<void> {
      if (parent.empty()) return Ok();
      if (auto why = GoalOutOfReach(parent, /*lead_rights=*/true, /*member_rights=*/false)) {
        return Named(Refuse("cannot " + what + ": " + *why), "goal", id, field);
      }
      return Ok();
    };
    const std::string none;
    const std::string& old_parent = old ? old->parent : none;
    const std::string& new_parent = g ? g->parent : none;
    // A goal newly supported (spec §1 supports) shows the link: as for a parent, it needs the
    // right to change that goal. Dropping a link is the supporting goal's own business.
    if (g) {
      for (const std::string& supported : g->supports) {
        if (old && std::find(old->supports.begin(), old->supports.end(), supported) !=
                       old->supports.end()) {
          continue;
        }
        if (auto r = need(supported,
                          "make goal " + Quoted(id) + " support goal " + Quoted(supported),
                          "supports");
            !r) {
          return r;
        }
      }
    }
    if (!g) {
      return need(old_parent,
                  "delete goal " + Quoted(id) + " from under goal " + Quoted(old_parent), "parent");
    }
    if (new_parent != old_parent) {
      if (auto r = need(new_parent,
                        "place goal " + Quoted(id) + " under goal " + Quoted(new_parent), "parent");
          !r) {
        return r;
      }
      return need(old_parent, "take goal " + Quoted(id) + " from under goal " + Quoted(old_parent),
                  "parent");
    }
    if (!old) return Ok();
    if (g->weight != old->weight) {
      if (auto r = need(
              new_parent,
              "change the weight goal " + Quoted(id) + " counts with in goal " + Quoted(new_parent),
              "weight");
          !r) {
        return r;
      }
    }
    if (g->state != old->state) {
      return need(new_parent,
                  "change the state of goal " + Quoted(id) + " (" +
                      std::string(ToString(old->state)) + " to " + std::string(ToString(g->state)) +
                      "), which decides whether it counts in goal " + Quoted(new_parent),
                  "state");
    }
    return Ok();
  }

  Result<void> CheckReview(const Review& review) const {
    auto refuse = [&](const std::string& why) -> Result<void> {
      return Named(Refuse(why), "review", review.team);
    };
    if (who_.role != Role::kLead) return refuse("cannot record a review");
    if (review.team.empty()) return refuse("cannot record a review of the whole company");
    if (lead_teams_.count(review.team) == 0) {
      return refuse("cannot record a review of team " + Quoted(review.team));
    }
    return Ok();
  }

  const ChangeSet& changes_;
  const Principal& who_;
  std::unordered_map<std::string_view, std::vector<const Goal*>> goals_;  // before, then after
  std::unordered_map<std::string_view, std::vector<std::string_view>> kpi_goals_;
  std::unordered_set<std::string_view> lead_teams_;
};

}  // namespace

std::string OwnAuthor(const Principal& who) { return who.person; }

Result<void> AuthorizeChanges(const Workspace& before, const ChangeSet& changes,
                              const Principal& who) {
  if (who.role == Role::kAdmin) return Ok();
  return Rules(before, changes, who).Check();
}

}  // namespace cascade
