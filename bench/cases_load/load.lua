-- wrk script for the cases benchmark. The runner prepends a `data` table:
--   data.mode     "baseline" | "list" | "detail" | "intake" | "mix"
--   data.workers  { {token, {case ids}}, ... }
--   data.ops      { {token, {{subdistrict, village, person id}, ...}}, ... }
--   data.nonce    a string that makes this run's idempotency keys unique
-- Prints one line "RESULT {json}" in done().

local threads = {}
local counter = 0
statuses = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + tid * 7919)
end

local categories = {
  {"elderly", "elderly_bedridden", "bedridden"}, {"disabled", "disabled_care", ""},
  {"children_youth", "child_neglect", "child_alone"}, {"homeless", "homeless_street", "no_food"},
  {"violence", "violence_child", "violence"}, {"drugs", "drugs_treatment", "drugs"},
}

local function worker()
  return data.workers[math.random(#data.workers)]
end

local function list()
  local w = worker()
  -- Most people look at the first pages; a few page further back.
  local page = math.random(100) <= 70 and 1 or math.random(2, 10)
  return wrk.format("GET", "/api/cases/?page=" .. page, {["Authorization"] = "Token " .. w[1]})
end

local function detail()
  local w = worker()
  local id = w[2][math.random(#w[2])]
  return wrk.format("GET", "/api/cases/" .. id .. "/", {["Authorization"] = "Token " .. w[1]})
end

local function intake()
  local op = data.ops[math.random(#data.ops)]
  local place = op[2][math.random(#op[2])]
  local cat = categories[math.random(#categories)]
  counter = counter + 1
  local risks = cat[3] == "" and "[]" or ('["' .. cat[3] .. '"]')
  local village = place[2] == "" and "null" or ('"' .. place[2] .. '"')
  local body = string.format(
    '{"channel":"hotline","call_type":"new","subdistrict":"%s","village":%s,' ..
    '"category":"%s","subcategory":"%s","urgency":"normal","risks":%s,' ..
    '"parties":[{"role":"victim","person_id":%d},' ..
    '{"role":"family","name":"ลูกสาว","sex":"female","age":40}],' ..
    '"reporter_name":"ผู้แจ้ง","reporter_phone":"0812345678",' ..
    '"summary":"ขอความช่วยเหลือ: โทรแจ้งผ่านสายด่วน 1300"}',
    place[1], village, cat[1], cat[2], risks, place[3])
  return wrk.format("POST", "/api/reports/", {
    ["Authorization"] = "Token " .. op[1],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = data.nonce .. "-" .. tid .. "-" .. counter,
  }, body)
end

local function baseline()
  return wrk.format("GET", "/api/", {["Authorization"] = "Token " .. worker()[1]})
end

function request()
  local mode = data.mode
  if mode == "mix" then
    local r = math.random(100)
    if r <= 45 then return list() elseif r <= 90 then return detail() else return intake() end
  elseif mode == "list" then return list()
  elseif mode == "detail" then return detail()
  elseif mode == "intake" then return intake()
  end
  return baseline()
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local codes = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do codes[code] = (codes[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(codes) do table.insert(parts, string.format('"%d":%d', code, n)) end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,' ..
    '"mean":%.1f,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"codes":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status,
    e.timeout, table.concat(parts, ",")))
end
