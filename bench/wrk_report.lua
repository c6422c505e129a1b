-- wrk's summary as "key value" lines for bench/http_bench: the request rate, the latency
-- percentiles in milliseconds, and every kind of error (a status >= 400 counts as one).
-- Loaded by the other scripts here; on its own: wrk -s bench/wrk_report.lua URL.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("rate %.1f\n", summary.requests / seconds))
  io.write(string.format("p50_ms %.3f\n", latency:percentile(50) / 1000))
  io.write(string.format("p99_ms %.3f\n", latency:percentile(99) / 1000))
  io.write(string.format("errors %d\n", e.connect + e.read + e.write + e.status + e.timeout))
  io.write(string.format("status_errors %d\n", e.status))
end
