-- Resource servers: APIs that introspect OpenWIF access tokens (POST /oauth/introspect, RFC 7662).
-- Only the SHA-256 (hex) of each secret is kept, with its first characters for display.

CREATE TABLE resource_servers (
  id             TEXT   NOT NULL,
  name           TEXT   NOT NULL,
  secret_hash    TEXT   NOT NULL,
  display_prefix TEXT   NOT NULL,
  created_at     BIGINT NOT NULL,
  CONSTRAINT pk_resource_servers PRIMARY KEY (id),
  CONSTRAINT uq_resource_servers_secret_hash UNIQUE (secret_hash)
);
CREATE INDEX ix_resource_servers_created ON resource_servers (created_at, id);
