-- Per-service-account rate limits of the /v1 gateway (NULL: no limit), and the gateway's usage counts.
ALTER TABLE service_accounts ADD COLUMN max_requests_per_1_minute BIGINT;
ALTER TABLE service_accounts ADD COLUMN max_tokens_per_1_minute BIGINT;

-- One row per minute and key; counts are added to (INSERT ... ON CONFLICT DO UPDATE), never replaced.
-- No foreign keys: usage outlives the projects, accounts and providers it was counted under. model is ''
-- when the upstream named none (NULLs would never meet in the unique key).
CREATE TABLE gateway_usage (
  minute_start       BIGINT NOT NULL,
  project_id         TEXT   NOT NULL,
  service_account_id TEXT   NOT NULL,
  provider_id        TEXT   NOT NULL,
  model              TEXT   NOT NULL,
  status_class       TEXT   NOT NULL,
  requests           BIGINT NOT NULL,
  input_tokens       BIGINT NOT NULL,
  output_tokens      BIGINT NOT NULL,
  CONSTRAINT pk_gateway_usage PRIMARY KEY (minute_start, project_id, service_account_id, provider_id, model, status_class)
);
