-- Headless services have no VIP: the column becomes nullable (SQLite rebuilds the table for that;
-- its indexes and triggers go with it and are made again, unchanged).
CREATE TABLE services_rebuilt (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    router TEXT NOT NULL REFERENCES routers(id),
    vip TEXT,
    spec TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL,
    type TEXT NOT NULL DEFAULT 'internal',
    external_ip TEXT,
    UNIQUE (tenant, name),
    UNIQUE (router, vip)
);
INSERT INTO services_rebuilt (id, tenant, project, name, router, vip, spec, labels, revision, type, external_ip)
SELECT id, tenant, project, name, router, vip, spec, labels, revision, type, external_ip FROM services;
DROP TABLE services;
ALTER TABLE services_rebuilt RENAME TO services;
CREATE INDEX services_revision ON services (revision);
CREATE INDEX services_router ON services (router);

CREATE TRIGGER services_usage_insert AFTER INSERT ON services BEGIN
    INSERT INTO tenant_usage (tenant, kind, used) VALUES (NEW.tenant, 'services', 1)
    ON CONFLICT (tenant, kind) DO UPDATE SET used = used + 1;
END;
CREATE TRIGGER services_usage_delete AFTER DELETE ON services BEGIN
    UPDATE tenant_usage SET used = used - 1 WHERE tenant = OLD.tenant AND kind = 'services';
END;
CREATE TRIGGER services_tombstone AFTER DELETE ON services BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('services', OLD.id, (SELECT revision FROM meta));
END;

CREATE TRIGGER services_audit_insert AFTER INSERT ON services BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'services', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER services_audit_update AFTER UPDATE ON services WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'services', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER services_audit_delete AFTER DELETE ON services BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.tenant, OLD.project, 'services', OLD.id, 'delete' FROM meta;
END;
