-- One schema for SQLite and PostgreSQL: portable types only (TEXT, BIGINT, INTEGER, BOOLEAN).
-- Instants are epoch milliseconds. Constraint names are what PostgreSQL reports on a violation.

CREATE TABLE projects (
  id          TEXT    NOT NULL,
  name        TEXT    NOT NULL,
  created_at  BIGINT  NOT NULL,
  archived_at BIGINT,
  CONSTRAINT pk_projects PRIMARY KEY (id)
);
CREATE INDEX ix_projects_created ON projects (created_at, id);

CREATE TABLE service_accounts (
  id         TEXT   NOT NULL,
  project_id TEXT   NOT NULL,
  name       TEXT   NOT NULL,
  role       TEXT   NOT NULL,
  created_at BIGINT NOT NULL,
  CONSTRAINT pk_service_accounts PRIMARY KEY (id),
  CONSTRAINT fk_service_accounts_project FOREIGN KEY (project_id) REFERENCES projects (id),
  CONSTRAINT ck_service_accounts_role CHECK (role IN ('member', 'none'))
);
CREATE INDEX ix_service_accounts_project ON service_accounts (project_id, created_at, id);

CREATE TABLE workload_identity_providers (
  id                TEXT    NOT NULL,
  name              TEXT    NOT NULL,
  description       TEXT,
  issuer            TEXT    NOT NULL,
  audience          TEXT    NOT NULL,
  enabled           BOOLEAN NOT NULL,
  verification_type TEXT    NOT NULL,
  discovery_url     TEXT,
  jwks_json         TEXT,
  replay_protection BOOLEAN NOT NULL,
  created_at        BIGINT  NOT NULL,
  updated_at        BIGINT  NOT NULL,
  CONSTRAINT pk_workload_identity_providers PRIMARY KEY (id),
  CONSTRAINT uq_workload_identity_providers_name UNIQUE (name),
  CONSTRAINT ck_workload_identity_providers_verification CHECK (
    (verification_type = 'discovery' AND jwks_json IS NULL)
    OR (verification_type = 'uploaded_jwks' AND jwks_json IS NOT NULL AND discovery_url IS NULL))
);
CREATE INDEX ix_workload_identity_providers_created ON workload_identity_providers (created_at, id);

CREATE TABLE provider_transformations (
  provider_id TEXT    NOT NULL,
  ordinal     INTEGER NOT NULL,
  attribute   TEXT    NOT NULL,
  expression  TEXT    NOT NULL,
  CONSTRAINT pk_provider_transformations PRIMARY KEY (provider_id, ordinal),
  CONSTRAINT fk_provider_transformations_provider FOREIGN KEY (provider_id)
    REFERENCES workload_identity_providers (id) ON DELETE CASCADE
);

CREATE TABLE federation_rules (
  id                            TEXT    NOT NULL,
  provider_id                   TEXT    NOT NULL,
  name                          TEXT,
  description                   TEXT,
  enabled                       BOOLEAN NOT NULL,
  project_id                    TEXT    NOT NULL,
  service_account_id            TEXT    NOT NULL,
  permissions_type              TEXT    NOT NULL,
  clamp_to_subject_token_expiry BOOLEAN NOT NULL,
  created_at                    BIGINT  NOT NULL,
  updated_at                    BIGINT  NOT NULL,
  CONSTRAINT pk_federation_rules PRIMARY KEY (id),
  -- NULL names never collide (both databases treat NULLs as distinct in a UNIQUE constraint).
  CONSTRAINT uq_federation_rules_provider_name UNIQUE (provider_id, name),
  -- No foreign key to service accounts or projects: a service account may be deleted while rules still
  -- name it; the gateway then refuses its tokens.
  CONSTRAINT fk_federation_rules_provider FOREIGN KEY (provider_id) REFERENCES workload_identity_providers (id),
  CONSTRAINT ck_federation_rules_permissions CHECK (permissions_type IN ('service_account_default', 'restricted'))
);
CREATE INDEX ix_federation_rules_provider ON federation_rules (provider_id, created_at, id);

CREATE TABLE federation_rule_matchers (
  rule_id    TEXT    NOT NULL,
  ordinal    INTEGER NOT NULL,
  attribute  TEXT    NOT NULL,
  value_type TEXT    NOT NULL,
  value_text TEXT    NOT NULL,
  CONSTRAINT pk_federation_rule_matchers PRIMARY KEY (rule_id, ordinal),
  CONSTRAINT uq_federation_rule_matchers_attribute UNIQUE (rule_id, attribute),
  CONSTRAINT fk_federation_rule_matchers_rule FOREIGN KEY (rule_id) REFERENCES federation_rules (id) ON DELETE CASCADE,
  CONSTRAINT ck_federation_rule_matchers_type CHECK (value_type IN ('string', 'boolean', 'number'))
);

CREATE TABLE federation_rule_scopes (
  rule_id TEXT NOT NULL,
  scope   TEXT NOT NULL,
  CONSTRAINT pk_federation_rule_scopes PRIMARY KEY (rule_id, scope),
  CONSTRAINT fk_federation_rule_scopes_rule FOREIGN KEY (rule_id) REFERENCES federation_rules (id) ON DELETE CASCADE
);

CREATE TABLE admin_keys (
  id             TEXT   NOT NULL,
  name           TEXT   NOT NULL,
  secret_hash    TEXT   NOT NULL,
  display_prefix TEXT   NOT NULL,
  created_at     BIGINT NOT NULL,
  revoked_at     BIGINT,
  CONSTRAINT pk_admin_keys PRIMARY KEY (id),
  CONSTRAINT uq_admin_keys_secret_hash UNIQUE (secret_hash)
);

CREATE TABLE signing_keys (
  kid              TEXT   NOT NULL,
  private_jwk_json TEXT   NOT NULL,
  created_at       BIGINT NOT NULL,
  CONSTRAINT pk_signing_keys PRIMARY KEY (kid)
);
