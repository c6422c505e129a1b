// rollup_bench: the in-process parts of `status --json` (spec §8) on generated workspaces —
// Store::Load, ComputeRollup and the status JSON text — each timed on its own.
//
//   rollup_bench --workspace=10k:/tmp/w10k.db --workspace=100k:/tmp/w100k.db [--as-of=2026-06-30]
//                [benchmark flags]
//
// Benchmarks are named Load/LABEL, Rollup/LABEL and StatusJson/LABEL, with a `goals` counter;
// bench/run reads their medians from --benchmark_out.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/big_vector.h"
#include "core/rollup.h"
#include "io/report_json.h"
#include "store/store.h"

namespace cascade::bench {
namespace {

struct Target {
  std::string label;
  std::string path;
};

// Each label's workspace, loaded once when its first benchmark runs and kept: run with one
// --workspace at a time where memory is short (the workspace of 1,000,000 goals holds 2.5 GB).
class Loaded {
 public:
  static Loaded& Get(const Target& t) {
    static std::map<std::string, std::unique_ptr<Loaded>> loaded;
    std::unique_ptr<Loaded>& l = loaded[t.label];
    if (!l) l.reset(new Loaded(t));
    return *l;
  }
  const Workspace& ws() const { return ws_; }
  bool rolled_up = false;  // BM_Rollup's first, untimed roll-up is done

 private:
  explicit Loaded(const Target& t) {
    auto store = OpenStore(t.path);
    if (!store) Die(store.error().ToString());
    store_ = std::move(*store);
    auto ws = store_->Load(kLoadForStatus);  // as status loads it
    if (!ws) Die(ws.error().ToString());
    ws_ = std::move(*ws);
  }
  [[noreturn]] static void Die(const std::string& why) {
    std::fprintf(stderr, "rollup_bench: %s\n", why.c_str());
    std::exit(1);
  }
  std::unique_ptr<Store> store_;
  Workspace ws_;
};

Date g_as_of = *Date::FromCivil(2026, 6, 30);

void SetCounters(benchmark::State& state, const Workspace& ws) {
  state.counters["goals"] = static_cast<double>(ws.goals.size());
  state.counters["checkins"] = static_cast<double>(ws.checkins.size());
}

// What `status` does first: open the store (a fresh connection, its page cache empty, as in a
// new process) and load the workspace as status loads it (check-ins without notes and authors).
void BM_Load(benchmark::State& state, const Target& t) {
  Loaded& l = Loaded::Get(t);
  for (auto _ : state) {
    auto store = OpenStore(t.path);
    if (!store) {
      state.SkipWithError(store.error().ToString().c_str());
      break;
    }
    auto ws = (*store)->Load(kLoadForStatus);
    if (!ws) state.SkipWithError(ws.error().ToString().c_str());
    benchmark::DoNotOptimize(ws);
  }
  SetCounters(state, l.ws());
}

long MinorFaults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

// Reads a buffer twice the size of this machine's last-level cache (at least 64 MiB), so that
// nothing the last iteration touched is still cached.
void EvictCaches() {
  static const size_t bytes = [] {
    long l3 = sysconf(_SC_LEVEL3_CACHE_SIZE);
    return std::max<size_t>(size_t{64} << 20, l3 > 0 ? 2 * static_cast<size_t>(l3) : 0);
  }();
  static std::vector<unsigned char> buffer(bytes, 1);
  unsigned sum = 0;
  for (size_t i = 0; i < buffer.size(); i += 64) sum += buffer[i];
  benchmark::DoNotOptimize(sum);
}

// Each roll-up starts with nothing of the workspace cached, at every size. Repeated on warm data,
// a small workspace would stay cached from one iteration to the next while a large one cannot,
// and the figures would show the sizes of the caches rather than how the roll-up's cost grows
// with the workspace. (Within `status`, the load before the roll-up streams the whole workspace
// through the caches; from 100,000 goals on that is far more than they hold.)
//
// The `page_faults` counter is the roll-up's minor page faults: memory it takes from the kernel
// rather than reusing.
//
// One roll-up of each workspace runs untimed first: it takes the memory every later one reuses.
// (Google Benchmark's own first runs, which find how many iterations fill its minimum time, do
// that for the small workspaces but not for the largest, whose one iteration fills it.)
void BM_Rollup(benchmark::State& state, const Target& t) {
  Loaded& loaded = Loaded::Get(t);
  const Workspace& ws = loaded.ws();
  if (!loaded.rolled_up) {
    benchmark::DoNotOptimize(ComputeRollup(ws, g_as_of));
    loaded.rolled_up = true;
  }
  long faults = 0;
  for (auto _ : state) {
    state.PauseTiming();
    EvictCaches();
    const long before = MinorFaults();
    state.ResumeTiming();
    {
      Rollup r = ComputeRollup(ws, g_as_of);
      benchmark::DoNotOptimize(r);
    }
    state.PauseTiming();
    faults += MinorFaults() - before;
    state.ResumeTiming();
  }
  SetCounters(state, ws);
  state.counters["page_faults"] =
      benchmark::Counter(static_cast<double>(faults), benchmark::Counter::kAvgIterations);
}

// Counts what is written and keeps nothing, like a fast consumer on the other end of a pipe.
class CountingBuf : public std::streambuf {
 public:
  size_t bytes = 0;

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes += static_cast<size_t>(n);
    return n;
  }
  int_type overflow(int_type c) override {
    ++bytes;
    return c;
  }
};

// What `status --json` does after the roll-up: the JSON written out as it is made.
void BM_StatusJson(benchmark::State& state, const Target& t) {
  const Workspace& ws = Loaded::Get(t).ws();
  const Rollup rollup = ComputeRollup(ws, g_as_of);
  size_t bytes = 0;
  for (auto _ : state) {
    CountingBuf buf;
    std::ostream out(&buf);
    WriteStatusJson(out, ws, rollup);
    bytes = buf.bytes;
  }
  SetCounters(state, ws);
  state.counters["bytes"] = static_cast<double>(bytes);
}

// Takes our own flags out of argv, leaving Google Benchmark's.
std::vector<Target> ParseTargets(int& argc, char** argv) {
  std::vector<Target> out;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a.starts_with("--workspace=")) {
      const std::string_view v = a.substr(12);
      const size_t colon = v.find(':');
      if (colon == std::string_view::npos) {
        std::fprintf(stderr, "rollup_bench: --workspace=LABEL:PATH\n");
        std::exit(2);
      }
      out.push_back({std::string(v.substr(0, colon)), std::string(v.substr(colon + 1))});
    } else if (a.starts_with("--as-of=")) {
      auto d = Date::Parse(a.substr(8));
      if (!d) {
        std::fprintf(stderr, "rollup_bench: --as-of=YYYY-MM-DD\n");
        std::exit(2);
      }
      g_as_of = *d;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return out;
}

}  // namespace
}  // namespace cascade::bench

int main(int argc, char** argv) {
  using namespace cascade::bench;
  const std::vector<Target> targets = ParseTargets(argc, argv);
  if (targets.empty()) {
    std::fprintf(stderr, "usage: rollup_bench --workspace=LABEL:PATH … [benchmark flags]\n");
    return 2;
  }
  // CPU time is the process's: a large Load reads check-ins on a second thread.
  for (const Target& t : targets) {
    benchmark::RegisterBenchmark(("Load/" + t.label).c_str(), BM_Load, t)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MeasureProcessCPUTime();
    // One roll-up a repetition at every size, as the largest takes anyway: left to find its own
    // iteration count, a small workspace's figure would average ten or a hundred roll-ups each
    // run right after the same one, a large one's would not.
    benchmark::RegisterBenchmark(("Rollup/" + t.label).c_str(), BM_Rollup, t)
        ->Iterations(1)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MeasureProcessCPUTime();
    benchmark::RegisterBenchmark(("StatusJson/" + t.label).c_str(), BM_StatusJson, t)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime()
        ->MeasureProcessCPUTime();
  }
  // Repeated roll-ups reuse their blocks, as in the server (BigBlocks::Keep).
  cascade::BigBlocks::Keep(true);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
