-- A rotation publishes the new signing key first and lets it sign only from activates_at (Unix
-- milliseconds), once every node can have read it; until then the previous key keeps signing.
-- NULL (keys stored before this version) means the key activated when it was created.

ALTER TABLE signing_keys ADD COLUMN activates_at BIGINT;
