-- wrk script: POST /api/process-message as the demo shoppers, with varied asks and unique ids.
-- Used by bench/http.sh; KEY and EMAILS come from the environment.
local key = os.getenv("KEY")
local emails = {}
for email in string.gmatch(os.getenv("EMAILS") or "", "[^,]+") do emails[#emails + 1] = email end
local asks = {
  "Bonjour, où est ma dernière commande ?", "where is my last order?",
  "onde está a minha última encomenda?", "combien de temps prend la livraison ?",
  "how long does delivery take to the UK?", "que métodos de pagamento aceitam?",
  "merci !", "thanks a lot", "olá", "how do I reset my password?",
}

-- Each wrk thread gets its own number (wrk runs setup() once per thread, before it starts).
local threads = 0
function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

local counter = 0
local run = os.time()

request = function()
  counter = counter + 1
  local n = thread_number or 0
  -- Threads start on different shoppers, and each shopper's next visit is the next ask: the
  -- same shopper asking the same thing again and again reads as frustration, and every such
  -- turn would go to a person with a ticket, which is not the traffic a shop sees.
  -- The warm-up run's shoppers are the same: starting each run's asks at its start second keeps
  -- the run that follows it from asking what the warm-up just asked.
  local shopper = (counter + n * 53) % #emails
  local visit = math.floor((counter + n * 53) / #emails) + run
  local body = string.format(
    '{"email": "%s", "message": "%s", "message_id": "wrk-%d-%d-%d"}',
    emails[shopper + 1], asks[((shopper + visit) % #asks) + 1], run, n, counter)
  return wrk.format("POST", "/api/process-message",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors %d (status %d), p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.errors.status, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
