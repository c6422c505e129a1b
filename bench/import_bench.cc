// import_bench: Cascade's CSV import (spec §4, §8) against a bare SQLite prepared-insert loop
// inserting the same rows into the same `checkins` table in one transaction.
//
//   import_bench --base=BASE.db --csv=ROWS.csv --workdir=DIR [benchmark flags]
//
// BASE.db is a workspace with goals and KPIs and no check-ins, made by generate_workspace (so its
// schema is the one a Store creates); every iteration starts from a fresh copy of it in DIR.
//
// - Reference/insert: the rows parsed before the clock starts, then one connection, one
//   transaction, one prepared INSERT bound and stepped per row. The connection is set up as the
//   Store sets up its own for a large import (WAL, synchronous FULL, foreign keys on, 64 MiB page
//   cache), so the database does the same work in both and the ratio measures Cascade's own
//   overhead: reading and parsing the CSV, loading the workspace, looking KPIs and authors up,
//   building the change set, history.
// - Cascade/import: `cascade --db COPY import checkins ROWS.csv` run in process (RunCli), from
//   reading the file to the commit.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/app.h"

namespace cascade::bench {
namespace {

std::string g_base, g_csv, g_workdir;

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "import_bench: %s\n", why.c_str());
  std::exit(1);
}

// A fresh copy of the base database (no WAL or SHM files: the generator closed it cleanly).
std::string FreshCopy(const std::string& name) {
  namespace fs = std::filesystem;
  const std::string path = g_workdir + "/" + name;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  fs::copy_file(g_base, path);
  return path;
}

void RemoveCopy(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

struct Row {
  std::string kpi, date, note, author;
  double value = 0;
};

// The generator's CSV is plain (no quotes, no separators inside fields): a split is enough.
const std::vector<Row>& Rows() {
  static const std::vector<Row> rows = [] {
    std::ifstream in(g_csv, std::ios::binary);
    if (!in) Die("cannot read " + g_csv);
    std::vector<Row> out;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::vector<std::string> f;
      std::stringstream s(line);
      std::string field;
      while (std::getline(s, field, ',')) f.push_back(field);
      if (!line.empty() && line.back() == ',') f.emplace_back();
      if (f.size() != 5) Die("unexpected row in " + g_csv + ": " + line);
      out.push_back(Row{f[0], f[1], f[3], f[4], std::strtod(f[2].c_str(), nullptr)});
    }
    return out;
  }();
  return rows;
}

void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE) Die(std::string(what) + ": " + sqlite3_errmsg(db));
}

void BM_ReferenceInsert(benchmark::State& state) {
  const std::vector<Row>& rows = Rows();
  for (auto _ : state) {
    state.PauseTiming();
    const std::string path = FreshCopy("reference.db");
    state.ResumeTiming();

    sqlite3* db = nullptr;
    Check(db, sqlite3_open(path.c_str(), &db), "open");
    for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                               "PRAGMA foreign_keys = ON", "PRAGMA cache_size = -65536"}) {
      Check(db, sqlite3_exec(db, pragma, nullptr, nullptr, nullptr), pragma);
    }
    Check(db, sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), "begin");
    sqlite3_stmt* insert = nullptr;
    Check(db,
          sqlite3_prepare_v2(
              db, "INSERT INTO checkins (kpi, date, value, note, author) VALUES (?, ?, ?, ?, ?)",
              -1, &insert, nullptr),
          "prepare");
    for (const Row& r : rows) {
      sqlite3_bind_text(insert, 1, r.kpi.data(), static_cast<int>(r.kpi.size()), SQLITE_STATIC);
      sqlite3_bind_text(insert, 2, r.date.data(), static_cast<int>(r.date.size()), SQLITE_STATIC);
      sqlite3_bind_double(insert, 3, r.value);
      sqlite3_bind_text(insert, 4, r.note.data(), static_cast<int>(r.note.size()), SQLITE_STATIC);
      if (r.author.empty()) {
        sqlite3_bind_null(insert, 5);
      } else {
        sqlite3_bind_text(insert, 5, r.author.data(), static_cast<int>(r.author.size()),
                          SQLITE_STATIC);
      }
      Check(db, sqlite3_step(insert), "insert");
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    Check(db, sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), "commit");
    sqlite3_close(db);

    state.PauseTiming();
    RemoveCopy(path);
    state.ResumeTiming();
  }
  state.counters["rows"] = static_cast<double>(rows.size());
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows.size()),
                                                    benchmark::Counter::kIsIterationInvariantRate);
}

// Runs the CLI in process with its standard output (one summary line) sent to /dev/null.
int RunQuietly(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::fflush(stdout);
  const int saved = dup(STDOUT_FILENO);
  const int null = open("/dev/null", O_WRONLY);
  dup2(null, STDOUT_FILENO);
  close(null);
  const int code = RunCli(static_cast<int>(argv.size()), argv.data());
  std::fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  return code;
}

void BM_CascadeImport(benchmark::State& state) {
  const size_t rows = Rows().size();
  for (auto _ : state) {
    state.PauseTiming();
    const std::string path = FreshCopy("cascade.db");
    state.ResumeTiming();
    const int code = RunQuietly({"cascade", "--db", path, "import", "checkins", g_csv});
    if (code != 0) state.SkipWithError("cascade import failed");
    state.PauseTiming();
    RemoveCopy(path);
    state.ResumeTiming();
  }
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsIterationInvariantRate);
}

// Takes our own flags out of argv, leaving Google Benchmark's.
void ParseFlags(int& argc, char** argv) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--base=")) {
      g_base = a.substr(7);
    } else if (a.starts_with("--csv=")) {
      g_csv = a.substr(6);
    } else if (a.starts_with("--workdir=")) {
      g_workdir = a.substr(10);
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  if (g_base.empty() || g_csv.empty() || g_workdir.empty()) {
    Die("usage: import_bench --base=BASE.db --csv=ROWS.csv --workdir=DIR [benchmark flags]");
  }
}

}  // namespace
}  // namespace cascade::bench

int main(int argc, char** argv) {
  using namespace cascade::bench;
  ParseFlags(argc, argv);
  Rows();  // parse the reference's rows before any clock starts
  benchmark::RegisterBenchmark("Reference/insert", BM_ReferenceInsert)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(1);
  benchmark::RegisterBenchmark("Cascade/import", BM_CascadeImport)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime()
      ->Iterations(1);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
