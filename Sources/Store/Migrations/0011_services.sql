-- Load-balanced services: a VIP in a router's domain, its ports, and the selector that picks its
-- endpoints among the ports of the router's switches. Ports, selector and algorithm are one JSON
-- document (`spec`), read and replaced whole.
CREATE TABLE services (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    router TEXT NOT NULL REFERENCES routers(id),
    vip TEXT NOT NULL,
    spec TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL,
    UNIQUE (tenant, name),
    UNIQUE (router, vip)
);
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
