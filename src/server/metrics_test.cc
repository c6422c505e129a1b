#include "server/metrics.h"

#include <gtest/gtest.h>

namespace cascade {
namespace {

TEST(MetricsTest, CountsRequestsByRouteMethodAndStatus) {
  Metrics m;
  m.RecordRequest("GET", "/api/v1/goals", 200, 0.002);
  m.RecordRequest("GET", "/api/v1/goals", 200, 0.004);
  m.RecordRequest("POST", "/api/v1/checkins", 201, 0.03);
  m.RecordRequest("GET", "", 404, 0.0001);
  const std::string text = m.Render();
  EXPECT_NE(text.find("cascade_http_requests_total{route=\"/api/v1/goals\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("cascade_http_requests_total{route=\"/api/v1/checkins\",method=\"POST\",status=\"201\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE cascade_http_request_duration_seconds histogram"), std::string::npos);
}

TEST(MetricsTest, HistogramBucketsAreCumulativeAndEndInInf) {
  Metrics m;
  m.RecordRequest("GET", "/r", 200, 0.0004);  // first bucket
  m.RecordRequest("GET", "/r", 200, 0.003);   // le 0.005
  m.RecordRequest("GET", "/r", 200, 10);      // only +Inf
  const std::string text = m.Render();
  auto has = [&](const std::string& line) {
    EXPECT_NE(text.find(line + "\n"), std::string::npos) << line << "\n" << text;
  };
  has("cascade_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.0005\"} 1");
  has("cascade_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.0025\"} 1");
  has("cascade_http_request_duration_seconds_bucket{route=\"/r\",le=\"0.005\"} 2");
  has("cascade_http_request_duration_seconds_bucket{route=\"/r\",le=\"5\"} 2");
  has("cascade_http_request_duration_seconds_bucket{route=\"/r\",le=\"+Inf\"} 3");
  has("cascade_http_request_duration_seconds_count{route=\"/r\"} 3");
}

TEST(MetricsTest, GaugesAndDatabaseTime) {
  Metrics m;
  m.SetOpenConnections(7);
  m.AddDatabaseTime(0.25);
  m.AddDatabaseTime(0.5);
  const std::string text = m.Render();
  EXPECT_NE(text.find("cascade_http_open_connections 7\n"), std::string::npos);
  EXPECT_NE(text.find("cascade_db_seconds_total 0.75\n"), std::string::npos);
  EXPECT_NE(text.find("cascade_db_operations_total 2\n"), std::string::npos);
}

TEST(MetricsTest, EscapesLabelValues) {
  EXPECT_EQ(PrometheusLabel("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace cascade
