#include "io/checkin_csv.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "core/date.h"
#include "core/id_table.h"
#include "core/validate.h"
#include "io/csv_reader.h"
#include "io/visible_text.h"

namespace cascade {
namespace {

constexpr size_t kProgressEvery = 1 << 16;  // rows between progress calls

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// Header names compare without regard to ASCII case or surrounding spaces.
bool SameHeader(std::string_view a, std::string_view b) {
  a = Trim(a);
  b = Trim(b);
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return Lower(x) == Lower(y); });
}

// Text from the file (or the command line) in a message: quoted, control characters visible.
std::string Quote(std::string_view s) { return "'" + VisibleText(s) + "'"; }

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits with optional thousands separators: groups of three after a first group of one to three.
bool ValidGrouping(std::string_view digits) {
  const size_t first = digits.find(',');
  if (first == std::string_view::npos) return true;
  if (first == 0 || first > 3) return false;
  size_t group = 0;
  for (size_t i = first + 1; i < digits.size(); ++i) {
    if (digits[i] == ',') {
      if (group != 3) return false;
      group = 0;
    } else {
      ++group;
    }
  }
  return group == 3;
}

Error FileError(std::string message, int line, std::string_view column = {}) {
  Error e = Error::Invalid(std::move(message), "", "", std::string(column));
  e.line = line;
  return e;
}

std::string ListHeader(const std::vector<std::string_view>& header) {
  std::string out;
  for (std::string_view h : header) {
    if (!out.empty()) out += ", ";
    out += VisibleText(Trim(h));
  }
  return out;
}

// Finds the one column whose header is `name`; -1 when none. Two columns of that name is an Error.
Result<int> FindColumn(const std::vector<std::string_view>& header, std::string_view name,
                       int line) {
  int found = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    if (!SameHeader(header[i], name)) continue;
    if (found >= 0) {
      return FileError("the header names column " + Quote(Trim(header[i])) +
                           " twice; each column must have its own name",
                       line, VisibleText(Trim(header[i])));
    }
    found = static_cast<int>(i);
  }
  return found;
}

// The column layout of a file, worked out from its header.
struct Layout {
  int width = 0;                   // fields every row must have
  std::vector<std::string> names;  // column names as the header writes them (trimmed)
  int kpi = -1, date = -1, value = -1, note = -1, author = -1;  // long files
  int confidence = -1;                                          // long files, optional
  std::vector<std::pair<int, const Kpi*>> kpi_columns;          // wide files
};

class Reader {
 public:
  Reader(const CheckinCsvOptions& options, const Workspace& ws)
      : options_(options),
        kpis_(ws.kpis),
        kpi_ids_(ws.kpis),
        people_(ws.people),
        person_ids_(ws.people) {}

  Result<CheckinCsv> Read(std::string_view text);

 private:
  const Kpi* FindKpi(std::string_view id) {
    if (last_kpi_ != nullptr && last_kpi_->id == id) return last_kpi_;
    const int k = kpi_ids_.Find(id, kpis_);
    if (k < 0) return nullptr;
    last_kpi_pos_ = static_cast<size_t>(k);
    last_kpi_ = &kpis_[last_kpi_pos_];
    return last_kpi_;
  }
  // The position in kpis_ of a KPI FindKpi gave.
  size_t PositionOf(const Kpi* kpi) const {
    if (kpi == last_kpi_) return last_kpi_pos_;
    return static_cast<size_t>(kpi_ids_.Find(kpi->id, kpis_));
  }
  std::string_view Header(std::string_view field) const {
    auto it = options_.columns.find(field);
    return it == options_.columns.end() ? field : std::string_view(it->second);
  }

  Result<void> LongLayout(const CsvRecord& header);
  Result<void> WideLayout(const CsvRecord& header);
  void ReadRow(const CsvRecord& row);
  void ReadLongRow(const CsvRecord& row);
  void ReadWideRow(const CsvRecord& row);
  void Problem(int line, int column, std::string reason);
  // Widens the file's date range to `date`, a good row's.
  void Cover(Date date) {
    if (!out_.first_date || date < *out_.first_date) out_.first_date = date;
    if (!out_.last_date || *out_.last_date < date) out_.last_date = date;
  }
  // The row's date, or nullopt after recording the problem.
  std::optional<Date> ReadDate(const CsvRecord& row);
  // The number in `column` for `kpi`, or nullopt after recording the problem.
  std::optional<double> Value(const CsvRecord& row, int column, const Kpi& kpi);

  const CheckinCsvOptions& options_;
  const CowVector<Kpi>& kpis_;
  const IdTable kpi_ids_;  // a flat table: std::unordered_map cost a tenth of a large import
  const Kpi* last_kpi_ = nullptr;
  size_t last_kpi_pos_ = 0;
  const CowVector<Person>& people_;
  const IdTable person_ids_;  // an author must be one of them
  Layout layout_;
  CheckinCsv out_;
  bool row_bad_ = false;
  std::vector<bool> kpi_seen_ = std::vector<bool>(kpis_.size());  // by position in kpis_
};

Result<void> Reader::LongLayout(const CsvRecord& header) {
  for (const auto& [field, name] : options_.columns) {
    if (field != "kpi" && field != "date" && field != "value" && field != "note" &&
        field != "author" && field != "confidence") {
      return FileError("--map names " + Quote(field) +
                           ", which is not a column of a check-in; map kpi, date, value, note, "
                           "author or confidence (or use --wide for one column per KPI)",
                       0, "map");
    }
  }
  struct Wanted {
    std::string_view field;
    int* column;
    bool required;
  };
  for (const Wanted& w :
       {Wanted{"kpi", &layout_.kpi, true}, Wanted{"date", &layout_.date, true},
        Wanted{"value", &layout_.value, true}, Wanted{"note", &layout_.note, false},
        Wanted{"author", &layout_.author, false},
        Wanted{"confidence", &layout_.confidence, false}}) {
    const std::string_view name = Header(w.field);
    auto column = FindColumn(header.fields, name, header.line);
    if (!column) return column.error();
    *w.column = *column;
    const bool mapped = options_.columns.contains(w.field);
    if (*column < 0 && (w.required || mapped)) {
      std::string message = "the header has no column " + Quote(name);
      if (mapped) message += " (mapped to " + std::string(w.field) + " by --map)";
      message += "; a check-in file needs columns kpi, date and value";
      message += " (it has: " + ListHeader(header.fields) + ")";
      return FileError(std::move(message), header.line, VisibleText(name));
    }
  }
  const std::array<int, 6> used = {layout_.kpi,  layout_.date,   layout_.value,
                                   layout_.note, layout_.author, layout_.confidence};
  for (size_t i = 0; i < used.size(); ++i) {
    for (size_t j = i + 1; j < used.size(); ++j) {
      if (used[i] >= 0 && used[i] == used[j]) {
        const std::string& name = layout_.names[static_cast<size_t>(used[i])];
        return FileError("--map reads two fields from column " + Quote(name) +
                             "; map each field to its own column",
                         header.line, name);
      }
    }
  }
  return Ok();
}

Result<void> Reader::WideLayout(const CsvRecord& header) {
  // Mapped KPI columns: header name (lower case) → KPI.
  std::unordered_map<std::string, const Kpi*> mapped;
  for (const auto& [field, name] : options_.columns) {
    if (field == "date") continue;
    const Kpi* kpi = FindKpi(field);
    if (kpi == nullptr) {
      return FileError("--map names KPI " + Quote(field) +
                           ", which does not exist; in a wide file map date or KPI ids to columns",
                       0, "map");
    }
    mapped.emplace(Lower(Trim(name)), kpi);
  }
  const std::string_view date_name = Header("date");
  auto date = FindColumn(header.fields, date_name, header.line);
  if (!date) return date.error();
  if (*date < 0) {
    return FileError("the header has no column " + Quote(date_name) +
                         "; a wide file needs a date column and one column per KPI (it has: " +
                         ListHeader(header.fields) + ")",
                     header.line, VisibleText(date_name));
  }
  layout_.date = *date;
  std::unordered_set<const Kpi*> seen;
  for (size_t i = 0; i < header.fields.size(); ++i) {
    if (static_cast<int>(i) == layout_.date) continue;
    const std::string_view name = Trim(header.fields[i]);
    const std::string lower = Lower(name);
    const Kpi* kpi = nullptr;
    if (auto it = mapped.find(lower); it != mapped.end()) {
      kpi = it->second;
    } else if ((kpi = FindKpi(name)) == nullptr) {
      kpi = FindKpi(lower);
    }
    if (kpi == nullptr) {
      return FileError("column " + Quote(name) +
                           " is not a KPI id; in a wide file every column but the date is a KPI "
                           "(name it by its id, or map it: --map KPI_ID=" +
                           VisibleText(name) + ")",
                       header.line, VisibleText(name));
    }
    if (!seen.insert(kpi).second) {
      return FileError("KPI " + Quote(kpi->id) + " has two columns; give each KPI one column",
                       header.line, VisibleText(name));
    }
    layout_.kpi_columns.emplace_back(static_cast<int>(i), kpi);
  }
  for (const auto& [field, name] : options_.columns) {
    if (field == "date") continue;
    const Kpi* kpi = FindKpi(field);
    if (!seen.contains(kpi)) {
      return FileError("the header has no column " + Quote(name) + " (mapped to KPI " +
                           Quote(field) + " by --map; it has: " + ListHeader(header.fields) + ")",
                       header.line, VisibleText(name));
    }
  }
  return Ok();
}

void Reader::Problem(int line, int column, std::string reason) {
  row_bad_ = true;
  ++out_.problem_count;
  if (out_.problems.size() >= options_.max_problems) return;
  out_.problems.push_back({line,
                           column >= 0 ? layout_.names[static_cast<size_t>(column)] : std::string(),
                           std::move(reason)});
}

std::optional<double> Reader::Value(const CsvRecord& row, int column, const Kpi& kpi) {
  auto value = ParseCsvNumber(row.fields[static_cast<size_t>(column)]);
  if (!value) {
    Problem(row.line, column, value.error().message);
    return std::nullopt;
  }
  if (kpi.kind == KpiKind::kFormula) {
    Problem(row.line, column,
            "KPI " + Quote(kpi.id) +
                " is a formula KPI; its value is computed from the KPIs it reads, so it takes no "
                "check-ins");
    return std::nullopt;
  }
  if (kpi.kind == KpiKind::kMilestone && *value != 0 && *value != 1) {
    Problem(row.line, column,
            Quote(Trim(row.fields[static_cast<size_t>(column)])) + " for milestone KPI " +
                Quote(kpi.id) + ": a milestone is 0 (not done) or 1 (done)");
    return std::nullopt;
  }
  return *value;
}

std::optional<Date> Reader::ReadDate(const CsvRecord& row) {
  const std::string_view text = Trim(row.fields[static_cast<size_t>(layout_.date)]);
  const std::optional<Date> date = Date::ParseLoose(text);
  if (!date) {
    Problem(row.line, layout_.date,
            (text.empty() ? std::string("no date") : Quote(text) + " is not a date") +
                "; use YYYY-MM-DD or YYYYMMDD");
  } else if (!IsEntryDate(*date)) {
    Problem(row.line, layout_.date,
            Quote(text) +
                " is outside the dates Cascade accepts; use a "
                "date from " +
                EntryDateRangeText());
  }
  return date;
}

void Reader::ReadLongRow(const CsvRecord& row) {
  const auto field = [&row](int column) {
    return column < 0 ? std::string_view() : Trim(row.fields[static_cast<size_t>(column)]);
  };
  const std::string_view kpi_id = field(layout_.kpi);
  const Kpi* kpi = nullptr;
  if (kpi_id.empty()) {
    Problem(row.line, layout_.kpi, "no KPI id; name the KPI this value is for");
  } else if ((kpi = FindKpi(kpi_id)) == nullptr) {
    Problem(row.line, layout_.kpi, "KPI " + Quote(kpi_id) + " does not exist");
  }
  const std::optional<Date> date = ReadDate(row);
  std::optional<double> value;
  if (kpi != nullptr) {
    value = Value(row, layout_.value, *kpi);
  } else if (auto v = ParseCsvNumber(row.fields[static_cast<size_t>(layout_.value)]); !v) {
    Problem(row.line, layout_.value, v.error().message);
  }
  const std::string_view author = field(layout_.author);
  if (!author.empty() && person_ids_.Find(author, people_) < 0) {
    Problem(row.line, layout_.author,
            "author " + Quote(author) +
                " is not a person of the workspace; name a person's id, or leave it empty");
  }
  const std::string_view confidence_text = field(layout_.confidence);
  const std::optional<Confidence> confidence = ParseConfidence(confidence_text);
  if (!confidence) {
    Problem(row.line, layout_.confidence,
            "confidence " + Quote(confidence_text) +
                " is not allowed; use on_track, at_risk or off_track, or leave it empty");
  }
  if (row_bad_) return;
  // What `checkin` refuses of the text (too long, not UTF-8: ValidateCheckinText), refused here by
  // line, since AppendCheckins would refuse the whole file naming none.
  Checkin text;
  text.kpi = kpi->id;
  text.date = *date;
  text.note = field(layout_.note);
  text.author = author;
  Errors errors;
  ValidateCheckinText(text, errors);
  for (const Error& e : errors) {
    Problem(row.line, e.field == "author" ? layout_.author : layout_.note, e.message);
  }
  if (row_bad_) return;
  Cover(*date);
  kpi_seen_[PositionOf(kpi)] = true;
  Checkin& c = out_.checkins.emplace_back();
  c.kpi = kpi->id;
  c.date = *date;
  c.value = *value;
  c.note = field(layout_.note);
  c.author = author;
  c.confidence = *confidence;
}

void Reader::ReadWideRow(const CsvRecord& row) {
  const std::optional<Date> date = ReadDate(row);
  const size_t first = out_.checkins.size();
  for (const auto& [column, kpi] : layout_.kpi_columns) {
    if (Trim(row.fields[static_cast<size_t>(column)]).empty()) continue;  // no check-in
    std::optional<double> value = Value(row, column, *kpi);
    if (!value || row_bad_) continue;
    Checkin& c = out_.checkins.emplace_back();
    c.kpi = kpi->id;
    c.date = *date;
    c.value = *value;
  }
  if (row_bad_) {
    out_.checkins.resize(first);  // a row is kept whole or not at all
  } else {
    Cover(*date);  // a date with no values in a corrected export: none in the range either
  }
}

void Reader::ReadRow(const CsvRecord& row) {
  row_bad_ = false;
  if (std::all_of(row.fields.begin(), row.fields.end(),
                  [](std::string_view f) { return Trim(f).empty(); })) {
    return;  // spreadsheets often end with rows of empty cells
  }
  ++out_.rows;
  if (static_cast<int>(row.fields.size()) != layout_.width) {
    Problem(row.line, -1,
            std::to_string(row.fields.size()) + (row.fields.size() == 1 ? " field" : " fields") +
                " where the header has " + std::to_string(layout_.width) +
                "; quote values that hold a comma (\"1,234\")");
  } else if (row.bad_field >= 0) {
    Problem(row.line, row.bad_field, std::string(row.problem));
  } else if (options_.wide) {
    ReadWideRow(row);
  } else {
    ReadLongRow(row);
  }
  if (row_bad_) ++out_.bad_rows;
}

Result<CheckinCsv> Reader::Read(std::string_view text) {
  CsvReader csv(text);
  CsvRecord record;
  if (!csv.Next(record)) {
    if (csv.error()) return *csv.error();
    return FileError(std::string("the file is empty; it needs a header row (") +
                         (options_.wide ? "date,KPI_ID,…" : "kpi,date,value") + ")",
                     0);
  }
  if (record.bad_field >= 0) {
    return FileError("header: " + std::string(record.problem), record.line);
  }
  layout_.width = static_cast<int>(record.fields.size());
  // The names problems give for columns: shown, so made visible.
  for (std::string_view name : record.fields) layout_.names.push_back(VisibleText(Trim(name)));
  if (auto r = options_.wide ? WideLayout(record) : LongLayout(record); !r) return r.error();

  // One check-in per line (long) or up to one per KPI column (wide): reserving up front keeps a
  // million-row import from copying its check-ins while the vector grows.
  const size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  out_.checkins.reserve(options_.wide ? lines * layout_.kpi_columns.size() : lines);

  size_t until_progress = kProgressEvery;
  while (csv.Next(record)) {
    ReadRow(record);
    if (--until_progress == 0) {
      until_progress = kProgressEvery;
      if (options_.progress) options_.progress(csv.position(), csv.size());
    }
  }
  if (csv.error()) return *csv.error();
  if (options_.progress) options_.progress(csv.size(), csv.size());
  if (options_.wide) {
    for (const auto& [column, kpi] : layout_.kpi_columns) {
      kpi_seen_[PositionOf(kpi)] = true;
    }
  }
  for (size_t k = 0; k < kpis_.size(); ++k) {
    if (kpi_seen_[k]) out_.kpis.push_back(kpis_[k].id);
  }
  return std::move(out_);
}

}  // namespace

Result<void> ParseColumnMap(std::string_view text, CheckinCsvOptions& options) {
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view pair = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const size_t eq = pair.find('=');
    const std::string_view field = Trim(pair.substr(0, eq));
    const std::string_view name =
        eq == std::string_view::npos ? std::string_view() : Trim(pair.substr(eq + 1));
    if (eq == std::string_view::npos || field.empty() || name.empty()) {
      return Error::Invalid(
          "--map " + Quote(pair) +
              " is not FIELD=COLUMN; write e.g. --map kpi=Metric,date=Day,value=Count",
          "", "", "map");
    }
    if (!options.columns.emplace(std::string(field), std::string(name)).second) {
      return Error::Invalid("--map names " + Quote(field) + " twice", "", "", "map");
    }
  }
  return Ok();
}

Result<double> ParseCsvNumber(std::string_view text) {
  const std::string_view written = Trim(text);
  std::string_view s = written;
  const auto refuse = [&written](const char* why) {
    return Error::Invalid(
        written.empty() ? std::string("no value; write a number") : Quote(written) + why, "", "",
        "value");
  };
  if (!s.empty() && s.back() == '%') s = Trim(s.substr(0, s.size() - 1));
  if (s.empty()) return refuse(" is not a number");

  // The digits without sign and separators go to a small buffer: std::from_chars takes neither a
  // '+' nor a ','.
  char buffer[128];
  size_t n = 0;
  if (s.front() == '+' || s.front() == '-') {
    if (s.front() == '-') buffer[n++] = '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.size() >= sizeof buffer - n || !(IsDigit(s.front()) || s.front() == '.')) {
    // A leading digit or point also keeps out "inf" and "nan", which from_chars would take.
    const std::string word = Lower(s);
    if (word == "inf" || word == "infinity" || word == "nan") {
      return refuse(" is not a finite number");
    }
    return refuse(" is not a number");
  }
  const size_t integer_end = s.find_first_of(".eE");
  if (s.find(',') != std::string_view::npos) {
    const std::string_view integer = s.substr(0, integer_end);
    if (s.find(',', integer.size()) != std::string_view::npos || !ValidGrouping(integer)) {
      return refuse(" is not a number (thousands separators go between groups of three digits)");
    }
  }
  for (char c : s) {
    if (c != ',') buffer[n++] = c;
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(buffer, buffer + n, value, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) return refuse(" is out of range; not a finite number");
  if (ec != std::errc() || end != buffer + n) return refuse(" is not a number");
  if (!std::isfinite(value)) return refuse(" is not a finite number");
  if (!IsEntryValue(value))
    return refuse((" is out of range; a value must be " + EntryValueRangeText()).c_str());
  return value;
}

Result<CheckinCsv> ReadCheckinCsv(std::string_view text, const CheckinCsvOptions& options,
                                  const Workspace& ws) {
  std::string transcoded;  // the check-ins copy what they keep, so it may go with this call
  auto decoded = DecodeCsvText(text, options.encoding, transcoded);
  if (!decoded) return decoded.error();
  return Reader(options, ws).Read(*decoded);
}

}  // namespace cascade
