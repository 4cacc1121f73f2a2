-- wrk script: plays whole salpre calls, 7 events each (initiated, ringing, answered,
-- 3 transcript lines, ended), with call ids unique per wrk thread and run.
-- Env: BENCH_PATH (default /webhooks/salpre), BENCH_MAX (stop a thread after that many requests),
--      BENCH_RUN (a number that makes call ids unique across runs on one store).
local path = os.getenv("BENCH_PATH") or "/webhooks/salpre"
local max = tonumber(os.getenv("BENCH_MAX") or "0")
local run = tonumber(os.getenv("BENCH_RUN") or "1")
-- BENCH_ONLY_START=1: one call_initiated per call and nothing else (calls that stay open)
local only_start = os.getenv("BENCH_ONLY_START") == "1"
local events_per_call = only_start and 1 or 7
local threads = {}
local counter = 0
-- thread_id is set per thread by setup() (a global of that thread)
local sent = 0

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

local function party(call_id)
  return '"call_id":' .. call_id .. ',"from":"+905555555555","to":"+905555555554","direction":"outbound","source":"salprebox:BENCH"'
end

local function call_ref(call_id)
  return '"call":{"id":' .. call_id .. ',"from":"+905555555555","to":"+905555555554","direction":"outbound"}'
end

local function event(call_id, step, ts)
  if step == 0 then
    return '{"event_type":"call_initiated","timestamp_utc":' .. ts .. ',"payload":{' .. party(call_id) .. '},"is_test":false}'
  elseif step == 1 then
    return '{"event_type":"call_ringing","timestamp_utc":' .. ts .. ',"payload":{' .. party(call_id) .. '},"is_test":false}'
  elseif step == 2 then
    return '{"event_type":"call_answered","timestamp_utc":' .. ts .. ',"payload":{' .. party(call_id) .. '},"is_test":false}'
  elseif step <= 5 then
    local who = (step % 2 == 0) and "ai" or "customer"
    return '{"event_type":"transcript","timestamp_utc":' .. ts .. ',"payload":{' .. call_ref(call_id) ..
      ',"type":"' .. who .. '","transcript":"line ' .. step .. ' of call ' .. call_id .. '","timestamp_utc":"' .. ts .. '"},"is_test":false}'
  else
    return '{"event_type":"call_ended","timestamp_utc":' .. ts .. ',"payload":{' .. party(call_id) ..
      ',"transcript":[{"type":"ai","message":"Hello"},{"type":"customer","message":"Hi","utc_timestamp":"' .. ts .. '"}]},"is_test":false}'
  end
end

function request()
  local call_id = run * 100000000 + thread_id * 1000000 + math.floor(counter / events_per_call)
  local step = counter % events_per_call
  counter = counter + 1
  local body = event(call_id, step, 1760084500 + step)
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  sent = sent + 1
  if max > 0 and sent >= max then
    wrk.thread:stop()
  end
end
