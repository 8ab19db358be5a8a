-- The audit log; seq keeps the order events were recorded in (ties within one millisecond).
CREATE TABLE audit_log (
  seq                BIGINT GENERATED ALWAYS AS IDENTITY,
  id                 TEXT   NOT NULL,
  kind               TEXT   NOT NULL,
  type               TEXT   NOT NULL,
  occurred_at        BIGINT NOT NULL,
  actor              TEXT,
  object_id          TEXT,
  data_json          TEXT,
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
  CONSTRAINT ck_audit_log_kind CHECK (kind IN ('admin_change', 'exchange_attempt')),
  CONSTRAINT pk_audit_log PRIMARY KEY (seq)
);
CREATE INDEX ix_audit_log_occurred ON audit_log (occurred_at, seq);
CREATE INDEX ix_audit_log_type ON audit_log (type, occurred_at, seq);
