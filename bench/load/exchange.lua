-- wrk script: POST /oauth/token (RFC 8693 token exchange, JSON body as the official SDKs send it),
-- cycling through the subject tokens in $WIF_LOAD_TOKENS (one per line) for provider $WIF_LOAD_PROVIDER
-- and service account $WIF_LOAD_ACCOUNT. Status counting and the RESULT line come from status-counts.lua.
dofile(os.getenv("WIF_LOAD_DIR") .. "/status-counts.lua")

local bodies = {}
local provider = os.getenv("WIF_LOAD_PROVIDER")
local account = os.getenv("WIF_LOAD_ACCOUNT")
for token in io.lines(os.getenv("WIF_LOAD_TOKENS")) do
  if token ~= "" then
    table.insert(bodies, '{"grant_type":"urn:ietf:params:oauth:grant-type:token-exchange",'
      .. '"subject_token":"' .. token .. '",'
      .. '"subject_token_type":"urn:ietf:params:oauth:token-type:jwt",'
      .. '"identity_provider_id":"' .. provider .. '","service_account_id":"' .. account .. '"}')
  end
end
assert(#bodies > 0, "no subject tokens in WIF_LOAD_TOKENS")

local next_body = 0
local headers = { ["Content-Type"] = "application/json" }

request = function()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/oauth/token", headers, bodies[next_body])
end
