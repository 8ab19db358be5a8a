-- wrk script: POST /v1/responses with the access token in $WIF_LOAD_ACCESS_TOKEN (the gateway path:
-- cached access-token verification, then the built-in demo model). Status counting and the RESULT line
-- come from status-counts.lua.
dofile(os.getenv("WIF_LOAD_DIR") .. "/status-counts.lua")

local body = '{"model":"gpt-4.1-mini","input":"Say hello from the load test."}'
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. os.getenv("WIF_LOAD_ACCESS_TOKEN"),
}

request = function()
  return wrk.format("POST", "/v1/responses", headers, body)
end
