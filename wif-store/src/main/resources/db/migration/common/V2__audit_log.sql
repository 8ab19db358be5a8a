-- The audit log: the columns of both event kinds (kind tells which). The order events were recorded in
-- (ties within one millisecond) is kept by each dialect's own V3: PostgreSQL adds an identity column
-- `seq`; SQLite uses the table's rowid.
CREATE TABLE audit_log (
  id                 TEXT   NOT NULL,
  kind               TEXT   NOT NULL,
  type               TEXT   NOT NULL,
  occurred_at        BIGINT NOT NULL,
  -- AdminChange
  actor              TEXT,
  object_id          TEXT,
  data_json          TEXT,
  -- ExchangeAttempt
  reason_code        TEXT,
  detail             TEXT,
  provider_id        TEXT,
  rule_id            TEXT,
  service_account_id TEXT,
  external_subject   TEXT,
  subject_token_hash TEXT,
  access_token_jti   TEXT,
  client_address     TEXT,
  CONSTRAINT uq_audit_log_id UNIQUE (id),
  CONSTRAINT ck_audit_log_kind CHECK (kind IN ('admin_change', 'exchange_attempt'))
);
