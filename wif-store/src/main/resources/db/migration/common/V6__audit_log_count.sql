-- How many refusals an exchange_attempt row stands for: 1 for one attempt; more when refusals made before
-- authentication from one client address with one reason were counted together over a minute (the row keeps
-- the first one's fields). Admin changes are always 1. Rows written before V6 are single attempts.
ALTER TABLE audit_log ADD COLUMN event_count BIGINT NOT NULL DEFAULT 1;
