-- Network policies. Tenant-tier policies belong to a tenant (and count against its `policies`
-- quota); admin-tier policies belong to the provider (tenant NULL). The selectors and rules are
-- one JSON document (`spec`): they are read and replaced whole.
CREATE TABLE policies (
    id TEXT PRIMARY KEY,
    tenant TEXT REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier IN ('admin', 'tenant')),
    priority INTEGER NOT NULL,
    spec TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL,
    CHECK ((tier = 'admin') = (tenant IS NULL))
);
CREATE UNIQUE INDEX policies_name ON policies (COALESCE(tenant, ''), name);
CREATE INDEX policies_revision ON policies (revision);

CREATE TRIGGER policies_usage_insert AFTER INSERT ON policies WHEN NEW.tenant IS NOT NULL BEGIN
    INSERT INTO tenant_usage (tenant, kind, used) VALUES (NEW.tenant, 'policies', 1)
    ON CONFLICT (tenant, kind) DO UPDATE SET used = used + 1;
END;
CREATE TRIGGER policies_usage_delete AFTER DELETE ON policies WHEN OLD.tenant IS NOT NULL BEGIN
    UPDATE tenant_usage SET used = used - 1 WHERE tenant = OLD.tenant AND kind = 'policies';
END;

-- Policies select by the names of tenants, projects and clusters: the compiler follows them too.
CREATE TRIGGER policies_tombstone AFTER DELETE ON policies BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('policies', OLD.id, (SELECT revision FROM meta));
END;
CREATE TRIGGER tenants_tombstone AFTER DELETE ON tenants BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('tenants', OLD.id, (SELECT revision FROM meta));
END;
CREATE TRIGGER projects_tombstone AFTER DELETE ON projects BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('projects', OLD.id, (SELECT revision FROM meta));
END;
CREATE TRIGGER clusters_tombstone AFTER DELETE ON clusters BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('clusters', OLD.id, (SELECT revision FROM meta));
END;
CREATE INDEX tenants_revision ON tenants (revision);
CREATE INDEX projects_revision ON projects (revision);
CREATE INDEX clusters_revision ON clusters (revision);

CREATE TRIGGER policies_audit_insert AFTER INSERT ON policies BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'policies', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER policies_audit_update AFTER UPDATE ON policies WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'policies', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER policies_audit_delete AFTER DELETE ON policies BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.tenant, OLD.project, 'policies', OLD.id, 'delete' FROM meta;
END;
