// checkins list|set|rm and comments list|set|rm: the recorded check-ins and comments, addressed by
// the seq the store gave them; spend add|list|rm, money spent on goals, addressed the same way. Plural groups rather than `checkin rm SEQ`: `checkin KPI VALUE` and
// `comment GOAL TEXT` would read a KPI or goal named "rm" or "set" as the subcommand.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "cli/arg_parse.h"
#include "cli/change_printer.h"
#include "cli/commands.h"
#include "cli/terminal_text.h"
#include "core/operations.h"
#include "io/entity_json.h"

namespace cascade {
namespace {

// A correction run on the record `seq` names and what it reaches (ScopeRequest::*seqs); a seq
// that does not exist is refused saying how to find seqs (exit 2).
Result<ChangeSet> CommitOnRecord(Context& ctx, const Operation& op, const std::string& seq,
                                 std::vector<int64_t> ScopeRequest::*seqs,
                                 const std::string& group) {
  ScopeRequest scope;
  scope.*seqs = SeqsNamed(seq);
  auto changes = ctx.Commit(op, scope);
  if (!changes && changes.error().code == ErrorCode::kNotFound && changes.error().field == "seq") {
    Error e = changes.error();
    e.message += "; `cascade " + group + " list` shows each one's seq";
    return e;
  }
  return changes;
}

// `checkins set SEQ`: what to correct (nullopt: leave as recorded).
struct CheckinSetOptions {
  std::string seq;
  std::optional<std::string> value, date, note;
};

struct CommentSetOptions {
  std::string seq, text;
};

struct SpendAddOptions {
  std::string goal, amount, date, note, author;
};

int ListCheckins(Context& ctx, const std::string& kpi) {
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load();
  if (!ws) return ctx.Fail(ws.error());
  if (!kpi.empty()) {
    if (auto pos = FindById(ws->kpis, "kpi", kpi); !pos) return ctx.Fail(pos.error());
  }
  nlohmann::json list = nlohmann::json::array();
  for (const Checkin& c : ws->checkins) {
    if (!kpi.empty() && c.kpi != kpi) continue;
    if (ctx.json) {
      list.push_back(ToJson(c));
    } else {
      std::cout << fmt::format("{:>7}  {}  {:<24} {:>12}  {}{}\n", "#" + std::to_string(c.seq),
                               c.date.ToString(), c.kpi, c.value,
                               c.author.empty() ? "-" : Visible(c.author),
                               c.note.empty() ? "" : "  " + Visible(c.note));
    }
  }
  if (ctx.json) std::cout << TerminalJson(nlohmann::json{{"checkins", list}}) << "\n";
  return kExitOk;
}

// The workspace without check-ins, for a list of a goal's records; refuses a --goal that is no
// goal.
Result<Workspace> LoadForGoalList(Context& ctx, const std::string& goal) {
  auto store = ctx.OpenedStore();
  if (!store) return store.error();
  auto ws = (*store)->Load(LoadOptions{.checkins = false});
  if (!ws) return ws.error();
  if (!goal.empty()) {
    if (auto pos = FindById(ws->goals, "goal", goal); !pos) return pos.error();
  }
  return ws;
}

int ListComments(Context& ctx, const std::string& goal) {
  auto ws = LoadForGoalList(ctx, goal);
  if (!ws) return ctx.Fail(ws.error());
  nlohmann::json list = nlohmann::json::array();
  for (const Comment& c : ws->comments) {
    if (!goal.empty() && c.goal != goal) continue;
    if (ctx.json) {
      list.push_back(ToJson(c));
    } else {
      std::cout << fmt::format("{:>7}  {}  {:<24} {}: {}\n", "#" + std::to_string(c.seq),
                               c.date.ToString(), c.goal,
                               c.author.empty() ? "-" : Visible(c.author), Visible(c.text));
    }
  }
  if (ctx.json) std::cout << TerminalJson(nlohmann::json{{"comments", list}}) << "\n";
  return kExitOk;
}

int ListSpend(Context& ctx, const std::string& goal) {
  auto ws = LoadForGoalList(ctx, goal);
  if (!ws) return ctx.Fail(ws.error());
  nlohmann::json list = nlohmann::json::array();
  double total = 0;
  for (const Spend& s : ws->spend) {
    if (!goal.empty() && s.goal != goal) continue;
    total += s.amount;
    if (ctx.json) {
      list.push_back(ToJson(s));
    } else {
      std::cout << fmt::format("{:>7}  {}  {:<24} {:>12}  {}{}\n", "#" + std::to_string(s.seq),
                               s.date.ToString(), s.goal, s.amount,
                               s.author.empty() ? "-" : Visible(s.author),
                               s.note.empty() ? "" : "  " + Visible(s.note));
    }
  }
  if (ctx.json) {
    std::cout << TerminalJson(nlohmann::json{{"spend", list}, {"total", total}}) << "\n";
  } else {
    std::cout << fmt::format("{:>7}  {:<10}  {:<24} {:>12}\n", "", "total", "", total);
  }
  return kExitOk;
}

}  // namespace

void AddRecordCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;

  // ---- checkins ----
  CLI::App* checkins = app.add_subcommand(
      "checkins", "Recorded check-ins by seq: list, set (correct value, date, note), rm");
  checkins->require_subcommand(1);

  auto list_kpi = std::make_shared<std::string>();
  CLI::App* list = checkins->add_subcommand("list", "Check-ins with their seq, oldest first");
  list->add_option("--kpi", *list_kpi, "Only this KPI's");
  list->callback([&ctx, &code, list_kpi] { code = ListCheckins(ctx, *list_kpi); });

  auto cs = std::make_shared<CheckinSetOptions>();
  CLI::App* set = checkins->add_subcommand("set", "Correct a check-in's value, date or note");
  set->add_option("seq", cs->seq, "The check-in's seq (see checkins list)")->required();
  set->add_option("--value", cs->value, "The corrected value");
  set->add_option("--date", cs->date, "The corrected date (YYYY-MM-DD)");
  set->add_option("--note", cs->note, "The corrected note");
  set->callback([&ctx, &code, cs] {
    const auto correct = [&](const OperationContext& at) {
      return CorrectCheckin(at, cs->seq, [&](Checkin& c) -> Result<void> {
        if (!cs->value && !cs->date && !cs->note) {
          return Error::Invalid("check-in #" + cs->seq + ": give --value, --date or --note",
                                "checkin", cs->seq, "value");
        }
        if (cs->value) {
          auto v = ParseNumberArg("--value", *cs->value);
          if (!v) return v.error();
          c.value = *v;
        }
        if (cs->date) {
          auto d = ParseDateArg("--date", *cs->date);
          if (!d) return d.error();
          c.date = *d;
        }
        if (cs->note) c.note = *cs->note;
        return Ok();
      });
    };
    code = ReportWrite(
        ctx, CommitOnRecord(ctx, correct, cs->seq, &ScopeRequest::checkin_seqs, "checkins"));
  });

  auto checkin_seq = std::make_shared<std::string>();
  CLI::App* rm = checkins->add_subcommand("rm", "Remove a check-in (the history keeps it)");
  rm->add_option("seq", *checkin_seq, "The check-in's seq (see checkins list)")->required();
  rm->callback([&ctx, &code, checkin_seq] {
    code = ReportWrite(
        ctx, CommitOnRecord(
                 ctx, [&](const OperationContext& at) { return RemoveCheckin(at, *checkin_seq); },
                 *checkin_seq, &ScopeRequest::checkin_seqs, "checkins"));
  });

  // ---- comments ----
  CLI::App* comments =
      app.add_subcommand("comments", "Recorded comments by seq: list, set (correct text), rm");
  comments->require_subcommand(1);

  auto list_goal = std::make_shared<std::string>();
  CLI::App* clist = comments->add_subcommand("list", "Comments with their seq, oldest first");
  clist->add_option("--goal", *list_goal, "Only this goal's");
  clist->callback([&ctx, &code, list_goal] { code = ListComments(ctx, *list_goal); });

  auto co = std::make_shared<CommentSetOptions>();
  CLI::App* cset = comments->add_subcommand("set", "Correct a comment's text");
  cset->add_option("seq", co->seq, "The comment's seq (see comments list)")->required();
  cset->add_option("--text", co->text, "The corrected text")->required();
  cset->callback([&ctx, &code, co] {
    const auto correct = [&](const OperationContext& at) {
      return CorrectComment(at, co->seq, [&](Comment& c) -> Result<void> {
        if (co->text.find_first_not_of(" \t\r\n") == std::string::npos) {
          return Error::Invalid("comment #" + co->seq +
                                    ": the text is empty; write what you want to say",
                                "comment", co->seq, "text");
        }
        c.text = co->text;
        return Ok();
      });
    };
    code = ReportWrite(
        ctx, CommitOnRecord(ctx, correct, co->seq, &ScopeRequest::comment_seqs, "comments"));
  });

  auto comment_seq = std::make_shared<std::string>();
  CLI::App* crm = comments->add_subcommand("rm", "Remove a comment (the history keeps it)");
  crm->add_option("seq", *comment_seq, "The comment's seq (see comments list)")->required();
  crm->callback([&ctx, &code, comment_seq] {
    code = ReportWrite(
        ctx, CommitOnRecord(
                 ctx, [&](const OperationContext& at) { return RemoveComment(at, *comment_seq); },
                 *comment_seq, &ScopeRequest::comment_seqs, "comments"));
  });

  // ---- spend ----
  CLI::App* spend =
      app.add_subcommand("spend", "Money spent on goals: add, list, rm (by seq, as checkins rm)");
  spend->require_subcommand(1);

  auto sa = std::make_shared<SpendAddOptions>();
  CLI::App* sadd = spend->add_subcommand("add", "Record money spent on a goal");
  sadd->add_option("goal", sa->goal, "Goal id")->required();
  sadd->add_option("amount", sa->amount, "The amount (negative for a refund or a correction)")
      ->required();
  sadd->add_option("--date", sa->date, "Date spent (default: --as-of or today)");
  sadd->add_option("--note", sa->note, "A note (what it paid for)");
  sadd->add_option("--author", sa->author,
                   "Who spent it (person id; default: $CASCADE_PERSON, else $CASCADE_ACTOR or $USER if a person)");
  sadd->callback([&ctx, &code, sa] {
    code = ReportWrite(ctx, ctx.Commit([&](const OperationContext& at) -> Result<ChangeSet> {
      auto fail = [&](Error e) {
        e.kind = "spend";
        e.id = sa->goal;
        e.message = "spend on goal '" + sa->goal + "': " + e.message;
        return e;
      };
      Spend s;
      s.goal = sa->goal;
      auto amount = ParseNumberArg("amount", sa->amount);
      if (!amount) return fail(amount.error());
      s.amount = *amount;
      if (sa->date.empty()) {
        auto as_of = ctx.AsOf();
        if (!as_of) return as_of.error();
        s.date = *as_of;
      } else {
        auto d = ParseDateArg("--date", sa->date);
        if (!d) return fail(d.error());
        s.date = *d;
      }
      s.note = sa->note;
      auto author = Context::Author(at.index, sa->author);
      if (!author) return author.error();
      s.author = std::move(*author);
      return AppendSpend(at, {std::move(s)});
    }, Context::RecordScope(sa->goal, sa->author)));
  });

  auto spend_goal = std::make_shared<std::string>();
  CLI::App* slist = spend->add_subcommand("list", "Spend with its seq, in the order recorded");
  slist->add_option("--goal", *spend_goal, "Only this goal's");
  slist->callback([&ctx, &code, spend_goal] { code = ListSpend(ctx, *spend_goal); });

  auto spend_seq = std::make_shared<std::string>();
  CLI::App* srm = spend->add_subcommand("rm", "Remove a spend record (the history keeps it)");
  srm->add_option("seq", *spend_seq, "The record's seq (see spend list)")->required();
  srm->callback([&ctx, &code, spend_seq] {
    code = ReportWrite(
        ctx, CommitOnRecord(
                 ctx, [&](const OperationContext& at) { return RemoveSpend(at, *spend_seq); },
                 *spend_seq, &ScopeRequest::spend_seqs, "spend"));
  });
}

}  // namespace cascade
