-- Recording order of audit events: the rowid, which SQLite appends to every index. Rows are only ever
-- appended (and the oldest removed), so a new rowid is always larger than every earlier one.
CREATE INDEX ix_audit_log_occurred ON audit_log (occurred_at);
CREATE INDEX ix_audit_log_type ON audit_log (type, occurred_at);
