-- wrk script for run-vs-keycloak.sh: Keycloak's federated client authentication, the client_credentials
-- grant with the workload's identity token as the client assertion (RFC 7523 §2.2), POSTed form-encoded to
-- $WIF_LOAD_TOKEN_PATH (the realm's token endpoint), cycling through the tokens in $WIF_LOAD_TOKENS (one a
-- line). Status counting and the RESULT line come from status-counts.lua.
dofile(os.getenv("WIF_LOAD_DIR") .. "/status-counts.lua")

local bodies = {}
for token in io.lines(os.getenv("WIF_LOAD_TOKENS")) do
  if token ~= "" then
    table.insert(bodies, "grant_type=client_credentials"
      .. "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
      .. "&client_assertion=" .. token)
  end
end
assert(#bodies > 0, "no tokens in WIF_LOAD_TOKENS")

local path = os.getenv("WIF_LOAD_TOKEN_PATH")
local next_body = 0
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

request = function()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", path, headers, bodies[next_body])
end
