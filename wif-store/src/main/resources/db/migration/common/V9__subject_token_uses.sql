-- Replay protection shared by every node on one database: one row per subject token admitted for a
-- provider with replay_protection, keyed by the hash naming the token (never the token itself),
-- kept until forget_after (the token's exp plus the verifier's leeway, Unix milliseconds). Used on
-- PostgreSQL; a single SQLite node keeps this memory in its own process. Expired rows are reused
-- by the next admission of the same hash and purged in the background.

CREATE TABLE subject_token_uses (
  token_hash   TEXT   NOT NULL,
  provider_id  TEXT   NOT NULL,
  forget_after BIGINT NOT NULL,
  CONSTRAINT pk_subject_token_uses PRIMARY KEY (token_hash)
);
CREATE INDEX ix_subject_token_uses_forget_after ON subject_token_uses (forget_after);
