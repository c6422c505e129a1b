#include "server/metrics.h"

#include <fmt/format.h>

namespace cascade {

std::string PrometheusLabel(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Metrics::RecordRequest(std::string_view method, std::string_view route, int status,
                            double seconds) {
  const std::string_view label = route.empty() ? std::string_view("unmatched") : route;
  MutexLock lock(mu_);
  auto key = std::make_tuple(std::string(label), std::string(method), status);
  ++requests_[std::move(key)];
  auto it = latency_.find(label);
  if (it == latency_.end()) it = latency_.emplace(std::string(label), Histogram{}).first;
  Histogram& h = it->second;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::AddDatabaseTime(double seconds) {
  MutexLock lock(mu_);
  db_seconds_ += seconds;
  ++db_operations_;
}

std::string Metrics::Render() const {
  MutexLock lock(mu_);
  std::string out;
  out += "# HELP cascade_http_requests_total HTTP requests answered, by route, method and status.\n";
  out += "# TYPE cascade_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += fmt::format("cascade_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                       PrometheusLabel(route), PrometheusLabel(method), status, n);
  }
  out += "# HELP cascade_http_request_duration_seconds Time to handle a request, by route.\n";
  out += "# TYPE cascade_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    const std::string r = PrometheusLabel(route);
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out += fmt::format(
          "cascade_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", r,
          kBuckets[i], cumulative);
    }
    out += fmt::format("cascade_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                       r, h.count);
    out += fmt::format("cascade_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r, h.sum);
    out += fmt::format("cascade_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r,
                       h.count);
  }
  out += "# HELP cascade_http_open_connections Client connections open now.\n";
  out += "# TYPE cascade_http_open_connections gauge\n";
  out += fmt::format("cascade_http_open_connections {}\n", open_connections_.load());
  out += "# HELP cascade_db_seconds_total Time spent in the database (loads and writes).\n";
  out += "# TYPE cascade_db_seconds_total counter\n";
  out += fmt::format("cascade_db_seconds_total {}\n", db_seconds_);
  out += "# HELP cascade_db_operations_total Database loads and writes.\n";
  out += "# TYPE cascade_db_operations_total counter\n";
  out += fmt::format("cascade_db_operations_total {}\n", db_operations_);
  return out;
}

}  // namespace cascade
