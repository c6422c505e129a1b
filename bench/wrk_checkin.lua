-- POST /api/v1/checkins with wrk: each request a new check-in of one KPI, a different value and
-- one of 180 dates, as JSON. Environment: CHECKIN_KPI (the KPI id), BENCH_DIR (this folder, for
-- wrk_report.lua). The bearer token comes from wrk's -H "Authorization: Bearer …".
dofile(os.getenv("BENCH_DIR") .. "/wrk_report.lua")

local kpi = os.getenv("CHECKIN_KPI")
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  n = n + 1
  local body = string.format('{"kpi":"%s","value":%d,"date":"2026-%02d-%02d","note":"wrk %d"}',
                             kpi, n % 1000, 1 + (n % 6), 1 + (n % 28), n)
  return wrk.format(nil, "/api/v1/checkins", nil, body)  -- wrk.headers: -H's and Content-Type
end
