-- Recording order of audit events: the rowid, which SQLite appends to every index. Rows are only ever
-- appended (and the oldest removed), so a new rowid is larger than every earlier one; VACUUM may renumber
-- rowids but copies rows in rowid order, so their relative order stays.
CREATE INDEX ix_audit_log_occurred ON audit_log (occurred_at);
CREATE INDEX ix_audit_log_type ON audit_log (type, occurred_at);
