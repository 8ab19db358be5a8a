-- Signing key rotation and retirement (wif signing-keys). A key rotated out keeps verifying until
-- verify_until (its last token's expiry plus skew); a retired key verifies nothing and its private
-- JWK is erased (private_jwk_json = ''). The active key has neither. Times are Unix milliseconds.

ALTER TABLE signing_keys ADD COLUMN verify_until BIGINT;
ALTER TABLE signing_keys ADD COLUMN retired_at BIGINT;
