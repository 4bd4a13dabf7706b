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
local counter = 0
math.randomseed(os.time())
local thread_id = math.random(1, 1000000000)

request = function()
  counter = counter + 1
  local body = string.format(
    '{"email": "%s", "message": "%s", "message_id": "wrk-%d-%d"}',
    emails[(counter % #emails) + 1], asks[(counter % #asks) + 1], thread_id, counter)
  return wrk.format("POST", "/api/process-message",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors %d (status %d), p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.errors.status, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
