// Prometheus metrics of the server (text exposition format 0.0.4): requests by route, method and
// status, a latency histogram by route, open connections and time spent in the database.
// Thread-safe; every process keeps its own, as Prometheus expects of a scraped target.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>

#include "core/mutex.h"

namespace cascade {

class Metrics {
 public:
  // Upper bounds of the latency histogram's buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,     5};

  // `route` is the matched pattern ("/api/v1/goals/{id}"), never the raw path, so the number of
  // series stays bounded; "" is reported as "unmatched".
  void RecordRequest(std::string_view method, std::string_view route, int status, double seconds)
      EXCLUDES(mu_);
  void SetOpenConnections(int n) { open_connections_ = n; }
  void AddDatabaseTime(double seconds) EXCLUDES(mu_);

  // The exposition text.
  std::string Render() const EXCLUDES(mu_);

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};  // non-cumulative counts
    uint64_t count = 0;
    double sum = 0;
  };
  mutable Mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t, std::less<>> requests_
      GUARDED_BY(mu_);
  std::map<std::string, Histogram, std::less<>> latency_ GUARDED_BY(mu_);
  double db_seconds_ GUARDED_BY(mu_) = 0;
  uint64_t db_operations_ GUARDED_BY(mu_) = 0;
  std::atomic<int> open_connections_{0};
};

// Escapes a label value for the exposition format (backslash, quote, newline).
std::string PrometheusLabel(std::string_view value);

}  // namespace cascade
