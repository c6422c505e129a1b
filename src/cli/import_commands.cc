// import checkins: bulk check-ins from a CSV file (spec §4). The file is read whole, parsed against
// the workspace's KPIs and written as one ChangeSet in one transaction: a file with a bad row
// changes nothing unless --skip-bad says to import the rest. Rows equal to stored check-ins are
// skipped, so a file imported twice counts once; --replace-range replaces the file's dates instead.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/terminal_text.h"
#include "cli/progress.h"
#include "core/cycles.h"
#include "core/operations.h"
#include "io/checkin_csv.h"
#include "io/spend_csv.h"

namespace cascade {
namespace {

constexpr size_t kShownProblems = 20;
// About 100,000 rows of a long file: below this a parse takes a blink and a bar would only flicker.

struct ImportOptions {
  std::string file;
  std::vector<std::string> maps;  // --map may be given more than once
  bool wide = false;
  bool skip_bad = false;
  std::string encoding;  // "" is UTF-8 (or UTF-16 with a byte-order mark)
  bool replace_range = false;
  bool spend = false;  // the file holds spend rows (goal,date,amount[,note]), not check-ins
};

// The whole file in one buffer ("-" reads standard input): the CSV reader hands out views into it.
Result<std::string> ReadWholeFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (path != "-" && fs::is_directory(path, ec)) {
    return Error::Invalid("cannot read " + path + ": it is a folder, not a CSV file", "", "",
                          "file");
  }
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      return Error::Invalid("cannot open " + path + ": " + std::strerror(errno), "", "", "file");
    }
  }
  std::istream& in = path == "-" ? std::cin : file;
  std::string text;
  if (const auto size = path == "-" ? 0 : fs::file_size(path, ec); !ec && size > 0) {
    // A regular file: one allocation and one read.
    text.resize(size);
    if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
      return Error::Invalid("cannot read " + path + ": " + std::strerror(errno), "", "", "file");
    }
  } else {
    std::ostringstream s;  // a pipe or standard input: read until it ends
    s << in.rdbuf();
    text = std::move(s).str();
  }
  return text;
}

// "FILE:LINE: column C: reason" (no column part for a problem with the row as a whole).
std::string Describe(const std::string& file, const CsvProblem& p) {
  std::string out = file + ":" + std::to_string(p.line) + ": ";
  if (!p.column.empty()) out += "column " + p.column + ": ";
  return out + p.reason;
}

void PrintProblems(const std::string& prefix, const std::string& file, const CheckinCsv& csv) {
  const size_t shown = std::min(csv.problems.size(), kShownProblems);
  for (size_t i = 0; i < shown; ++i) {
    std::cerr << prefix << Visible(Describe(file, csv.problems[i])) << "\n";
  }
  if (csv.problem_count > shown) {
    const size_t more = csv.problem_count - shown;
    std::cerr << "… and " << more << " more " << (more == 1 ? "problem" : "problems") << "\n";
  }
}

nlohmann::json ToJson(const CheckinCsv& csv, const CheckinImport& result, size_t skipped) {
  nlohmann::json problems = nlohmann::json::array();
  for (size_t i = 0; i < csv.problems.size() && i < kShownProblems; ++i) {
    const CsvProblem& p = csv.problems[i];
    problems.push_back(
        {{"line", p.line},
         {"column", p.column.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.column)},
         {"reason", p.reason}});
  }
  return {{"imported", result.changes.checkins.size()},
          {"skipped", skipped},
          {"already_stored", result.already_stored},
          {"removed", result.removed},
          {"problems", std::move(problems)},
          {"problem_count", csv.problem_count}};
}

std::string Rows(size_t n) { return std::to_string(n) + (n == 1 ? " row" : " rows"); }
std::string CheckinCount(size_t n) {
  return std::to_string(n) + (n == 1 ? " check-in" : " check-ins");
}

int RunImportCheckins(Context& ctx, const ImportOptions& o) {
  CheckinCsvOptions options;
  options.wide = o.wide;
  options.max_problems = kShownProblems;
  for (const std::string& map : o.maps) {
    if (auto r = ParseColumnMap(map, options); !r) return ctx.Fail(r.error());
  }
  if (!o.encoding.empty()) {
    auto encoding = ParseCsvEncoding(o.encoding);
    if (!encoding) return ctx.Fail(encoding.error());
    options.encoding = *encoding;
  }

  auto text = ReadWholeFile(o.file);
  if (!text) return ctx.Fail(text.error());
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  // The rows are checked against the KPIs, and against the stored check-ins (notes included) so
  // that a row already stored is not stored again.
  auto ws = (*store)->Load();
  if (!ws) return ctx.Fail(ws.error());

  ProgressBar bar("reading " + o.file, text->size());
  options.progress = [&bar](size_t done, size_t total) { bar.Update(done, total); };
  auto parsed = ReadCheckinCsv(*text, options, *ws);
  bar.Clear();
  if (!parsed) {
    Error e = parsed.error();
    if (e.field != "map" && e.field != "encoding") e.file = o.file;
    return ctx.Fail(e);
  }
  CheckinCsv& csv = *parsed;

  if (csv.problem_count > 0 && !o.skip_bad) {
    PrintProblems("error: ", o.file, csv);
    std::cerr << "error: " << o.file << ": " << csv.bad_rows << " of " << Rows(csv.rows)
              << " refused; nothing was imported (fix them, or use --skip-bad to import the "
                 "good rows)\n";
    if (ctx.json) std::cout << TerminalJson(ToJson(csv, CheckinImport{}, 0)) << "\n";
    return kExitUsage;
  }
  if (csv.problem_count > 0) {
    PrintProblems("skipped: ", o.file, csv);
    std::cerr << "skipped " << Rows(csv.bad_rows) << " of " << csv.rows << "\n";
  }

  std::optional<CheckinRange> range;
  if (o.replace_range && csv.first_date) {
    range = CheckinRange{csv.kpis, *csv.first_date, *csv.last_date};
  }
  CheckinImport result =
      ImportCheckins(ws->checkins, std::move(csv.checkins), range ? &*range : nullptr);
  ChangeSet& changes = result.changes;
  // The rows appended are what `checkin` appends (AppendCheckins: the same rules, the same
  // closed-cycle freeze); the stored ones a range replaces are checked against the freeze too.
  const WorkspaceIndex index(*ws);
  auto appended = AppendCheckins(OperationContext{*ws, index}, std::move(changes.checkins));
  if (!appended) return ctx.Fail(appended.error());
  changes.checkins = std::move(appended->checkins);
  const size_t imported = changes.checkins.size();
  if (auto open = CheckClosedCycles(*ws, changes); !open) return ctx.Fail(open.error());
  if (!changes.empty()) {
    ProgressBar writing("", text->size());
    writing.Say("writing " + std::to_string(imported) + " check-ins…");
    if (auto r = (*store)->Apply(changes, Context::Actor()); !r) {
      writing.Clear();
      return ctx.Fail(r.error());
    }
  }

  if (ctx.json) {
    std::cout << TerminalJson(ToJson(csv, result, csv.bad_rows)) << "\n";
  } else if (result.already_stored == 0 && !o.replace_range) {
    std::cout << "imported " << CheckinCount(imported) << " (" << csv.bad_rows << " skipped)\n";
  } else {
    std::cout << "imported " << CheckinCount(imported) << ", skipped " << result.already_stored
              << " already stored";
    if (range) {
      std::cout << ", removed " << result.removed << " stored from " << range->first.ToString()
                << " to " << range->last.ToString() << " (" << range->kpis.size()
                << (range->kpis.size() == 1 ? " KPI" : " KPIs") << ")";
    }
    if (csv.bad_rows > 0) std::cout << ", skipped " << Rows(csv.bad_rows) << " with problems";
    std::cout << "\n";
  }
  return kExitOk;
}

// `import checkins FILE --spend` (spec §4): spend rows, all or nothing unless --skip-bad; a row
// equal in (goal, date, amount, note) to a stored record, one for one, is not stored again.
int RunImportSpend(Context& ctx, const ImportOptions& o) {
  if (o.wide || !o.maps.empty() || o.replace_range || !o.encoding.empty()) {
    return ctx.Fail(Error::Invalid(
        "--spend reads columns goal,date,amount[,note] as UTF-8; it takes no --wide, --map, "
        "--replace-range or --encoding",
        "", "", "spend"));
  }
  auto text = ReadWholeFile(o.file);
  if (!text) return ctx.Fail(text.error());
  auto store = ctx.OpenedStore();
  if (!store) return ctx.Fail(store.error());
  auto ws = (*store)->Load(LoadOptions{.checkins = false});
  if (!ws) return ctx.Fail(ws.error());
  auto parsed = ReadSpendCsv(*text, *ws, kShownProblems);
  if (!parsed) {
    Error e = parsed.error();
    e.file = o.file;
    return ctx.Fail(e);
  }
  const SpendCsv& csv = *parsed;
  const char* prefix = o.skip_bad ? "skipped: " : "error: ";
  for (const CsvProblem& p : csv.problems) std::cerr << prefix << Visible(Describe(o.file, p)) << "\n";
  if (csv.problem_count > csv.problems.size()) {
    std::cerr << "… and " << csv.problem_count - csv.problems.size() << " more problems\n";
  }
  if (csv.problem_count > 0 && !o.skip_bad) {
    std::cerr << "error: " << o.file << ": " << csv.bad_rows << " of " << Rows(csv.rows)
              << " refused; nothing was imported (fix them, or use --skip-bad to import the "
                 "good rows)\n";
    return kExitUsage;
  }
  std::map<std::tuple<std::string, Date, double, std::string>, size_t> stored;
  for (const Spend& s : ws->spend) ++stored[{s.goal, s.date, s.amount, s.note}];
  std::vector<Spend> rows;
  size_t already = 0;
  for (const Spend& s : csv.spend) {
    auto it = stored.find({s.goal, s.date, s.amount, s.note});
    if (it != stored.end() && it->second > 0) {
      --it->second;
      ++already;
      continue;
    }
    rows.push_back(s);
  }
  // What `spend add` appends, by the same rules (AppendSpend).
  const WorkspaceIndex index(*ws);
  auto changes = AppendSpend(OperationContext{*ws, index}, std::move(rows));
  if (!changes) return ctx.Fail(changes.error());
  if (!changes->empty()) {
    if (auto r = (*store)->Apply(*changes, Context::Actor()); !r) return ctx.Fail(r.error());
  }
  const size_t n = changes->spend.size();
  if (ctx.json) {
    std::cout << TerminalJson(nlohmann::json{{"imported", n},
                                             {"already_stored", already},
                                             {"skipped", csv.bad_rows}})
              << "\n";
  } else {
    std::cout << "imported " << n << (n == 1 ? " spend record" : " spend records") << ", skipped "
              << already << " already stored";
    if (csv.bad_rows > 0) std::cout << ", skipped " << Rows(csv.bad_rows) << " with problems";
    std::cout << "\n";
  }
  return kExitOk;
}

}  // namespace

void AddImportCommands(CLI::App& app, CommandEnv env) {
  Context& ctx = env.ctx;
  int& code = env.exit_code;
  CLI::App* import = app.add_subcommand("import", "Bulk imports from files");
  import->require_subcommand(1);

  auto o = std::make_shared<ImportOptions>();
  CLI::App* checkins = import->add_subcommand(
      "checkins", "Import check-ins from a CSV file (kpi,date,value[,note,author]) in one go");
  checkins->add_option("file", o->file, "The CSV file (- for standard input)")->required();
  checkins
      ->add_option("--map", o->maps,
                   "Columns by other names: FIELD=HEADER,… (kpi=Metric,date=Day,value=Count; "
                   "with --wide: date=Day,KPI_ID=HEADER)")
      ->allow_extra_args(false);
  checkins->add_flag("--wide", o->wide, "A date column and one column per KPI id");
  checkins->add_flag("--skip-bad", o->skip_bad, "Import the good rows and report the bad ones");
  checkins->add_option("--encoding", o->encoding,
                       "latin1 or cp1252 for files saved in those; the default reads UTF-8 and "
                       "UTF-16 with a byte-order mark");
  checkins->add_flag("--replace-range", o->replace_range,
                     "Replace the stored check-ins of the file's KPIs dated from its first to its "
                     "last date by the file's rows (a corrected export)");
  checkins->add_flag("--spend", o->spend,
                     "The file holds spend rows: columns goal,date,amount[,note,author]");
  checkins->callback(
      [&ctx, &code, o] { code = o->spend ? RunImportSpend(ctx, *o) : RunImportCheckins(ctx, *o); });

  // `import spend FILE`: the same rows, rules and refusals as `import checkins FILE --spend`.
  auto so = std::make_shared<ImportOptions>();
  so->spend = true;
  CLI::App* spend = import->add_subcommand(
      "spend", "Import money spent from a CSV file (goal,date,amount[,note]) in one go");
  spend->add_option("file", so->file, "The CSV file (- for standard input)")->required();
  spend->add_flag("--skip-bad", so->skip_bad, "Import the good rows and report the bad ones");
  spend->callback([&ctx, &code, so] { code = RunImportSpend(ctx, *so); });
}

}  // namespace cascade
