-- wrk script for scripts/load_test.py: POST /v1/correct with real OCR lines, in turn, and the
-- status of every response counted. done() prints one line, "WRK_JSON {...}", for the driver.
local texts = {
  "Ths is a smple txt.",
  "It was a very fine day, and the shlp arrived at tbe port in the rnorning.",
  "The Govemment has announced tho new rules for the harbour.",
}
local token = os.getenv("OCRFIX_LOAD_TOKEN") or ""
local tier = os.getenv("OCRFIX_LOAD_TIER") or "fast"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  sent = 0
end

function request()
  sent = sent + 1
  local body = string.format('{"text": "%s", "tier": "%s"}', texts[(sent % #texts) + 1], tier)
  local headers = { ["Content-Type"] = "application/json" }
  if token ~= "" then headers["Authorization"] = "Bearer " .. token end
  return wrk.format("POST", "/v1/correct", headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(merged) do
    table.insert(parts, string.format('"%d": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.timeout, table.concat(parts, ", ")))
end
