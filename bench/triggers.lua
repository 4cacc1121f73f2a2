-- wrk script: Cekura outbound triggers, each to its own number. Env: BENCH_MAX (requests per thread).
local max = tonumber(os.getenv("BENCH_MAX") or "0")
local counter = 0
local sent = 0

function setup(thread)
  thread:set("thread_id", math.random(10, 99))
end

function request()
  counter = counter + 1
  local to = string.format("+1415%02d%05d", thread_id, counter)
  local body = '{"from_number":"+15551234567","to_number":"' .. to .. '","dynamic_variables":{"n":' .. counter .. '}}'
  return wrk.format("POST", "/cekura/outbound-trigger", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  sent = sent + 1
  if max > 0 and sent >= max then
    wrk.thread:stop()
  end
end
