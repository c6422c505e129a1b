#include "io/spend_csv.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "core/validate.h"
#include "io/csv_reader.h"
#include "io/visible_text.h"

namespace cascade {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Quote(std::string_view s) { return "'" + VisibleText(s) + "'"; }

}  // namespace

Result<SpendCsv> ReadSpendCsv(std::string_view text, const Workspace& ws, size_t max_problems) {
  CsvReader reader(text);
  CsvRecord record;
  bool have_header = false;
  while (reader.Next(record)) {
    if (!record.fields.empty() && Trim(record.fields[0]).starts_with("#")) continue;
    have_header = true;
    break;
  }
  if (reader.error()) return *reader.error();
  if (!have_header) {
    return Error::Invalid("the file is empty; a spend file needs a header row goal,date,amount", "",
                          "", "file");
  }
  // Column positions: goal, date, amount, note, author.
  std::array<int, 5> at = {-1, -1, -1, -1, -1};
  constexpr std::array<std::string_view, 5> kNames = {"goal", "date", "amount", "note", "author"};
  std::string have;
  for (size_t i = 0; i < record.fields.size(); ++i) {
    const std::string name = Lower(Trim(record.fields[i]));
    have += (have.empty() ? "" : ", ") + VisibleText(Trim(record.fields[i]));
    for (size_t n = 0; n < kNames.size(); ++n) {
      if (name == kNames[n] && at[n] < 0) at[n] = static_cast<int>(i);
    }
  }
  for (size_t n = 0; n < 3; ++n) {
    if (at[n] >= 0) continue;
    Error e = Error::Invalid("the header has no column " + Quote(kNames[n]) +
                                 "; a spend file needs columns goal, date and amount (it has: " +
                                 have + ")",
                             "", "", std::string(kNames[n]));
    e.line = record.line;
    return e;
  }
  const WorkspaceIndex index(ws);
  SpendCsv out;
  while (reader.Next(record)) {
    ++out.rows;
    bool bad = false;
    auto problem = [&](std::string_view column, std::string reason) {
      bad = true;
      ++out.problem_count;
      if (out.problems.size() < max_problems) {
        out.problems.push_back({record.line, std::string(column), std::move(reason)});
      }
    };
    auto field = [&](int column) -> std::string_view {
      return column >= 0 && static_cast<size_t>(column) < record.fields.size()
                 ? Trim(record.fields[static_cast<size_t>(column)])
                 : std::string_view();
    };
    Spend s;
    s.goal = std::string(field(at[0]));
    if (s.goal.empty()) {
      problem("goal", "no goal id; name the goal this money was spent on");
    } else if (index.goal(s.goal) < 0) {
      problem("goal", "goal " + Quote(s.goal) + " does not exist");
    }
    const std::string_view date_text = field(at[1]);
    if (auto d = Date::ParseLoose(date_text); !d) {
      problem("date", (date_text.empty() ? std::string("no date") : Quote(date_text) + " is not a date") +
                          "; use YYYY-MM-DD or YYYYMMDD");
    } else {
      s.date = *d;
    }
    if (auto v = ParseCsvNumber(field(at[2])); !v) {
      problem("amount", v.error().message);
    } else {
      s.amount = *v;
    }
    s.note = std::string(field(at[3]));
    s.author = std::string(field(at[4]));
    if (!s.author.empty() && index.person(s.author) < 0) {
      problem("author", "author " + Quote(s.author) +
                            " is not a person of the workspace; name a person's id, or leave it "
                            "empty");
    }
    if (!bad) {
      Errors errors;
      ValidateSpend(s, true, errors);
      if (!errors.empty()) problem(errors.front().field, errors.front().message);
    }
    if (bad) {
      ++out.bad_rows;
      continue;
    }
    out.spend.push_back(std::move(s));
  }
  if (reader.error()) return *reader.error();
  return out;
}

}  // namespace cascade
