-- Recording order of audit events, from an identity column.
ALTER TABLE audit_log ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE audit_log ADD CONSTRAINT pk_audit_log PRIMARY KEY (seq);
CREATE INDEX ix_audit_log_occurred ON audit_log (occurred_at, seq);
CREATE INDEX ix_audit_log_type ON audit_log (type, occurred_at, seq);
