-- wrk script for run-proxy-bench.sh: GET /v1/models with the access token in $WIF_LOAD_ACCESS_TOKEN. The
-- same request goes to the upstream directly and through OpenWIF (the upstream ignores the header), so
-- both runs send identical bytes. Status counting and the RESULT line come from status-counts.lua.
dofile(os.getenv("WIF_LOAD_DIR") .. "/status-counts.lua")

local headers = { ["Authorization"] = "Bearer " .. os.getenv("WIF_LOAD_ACCESS_TOKEN") }

request = function()
  return wrk.format("GET", "/v1/models", headers)
end
