-- The audit trail: every row a mutation creates, changes or deletes, with who made it (the token's
-- id and scope, never its secret; none for the controller's own writes), when, and at which
-- revision. Written by triggers, so no write path can forget; the writer sets meta.actor and
-- meta.actor_scope with meta.revision before each mutation. An update counts only when it moves
-- the row's revision (a certificate renewal does not). Pruned with the tombstones.
ALTER TABLE meta ADD COLUMN actor TEXT;
ALTER TABLE meta ADD COLUMN actor_scope TEXT;

CREATE TABLE audit (
    revision INTEGER NOT NULL,
    at REAL NOT NULL,
    actor TEXT,
    actor_scope TEXT,
    tenant TEXT,
    project TEXT,
    kind TEXT NOT NULL,
    object TEXT NOT NULL,
    operation TEXT NOT NULL CHECK (operation IN ('create', 'update', 'delete'))
);
CREATE INDEX audit_revision ON audit (revision);
CREATE INDEX audit_tenant ON audit (tenant);

CREATE TRIGGER tenants_audit_insert AFTER INSERT ON tenants BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.id, NULL, 'tenants', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER tenants_audit_update AFTER UPDATE ON tenants WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.id, NULL, 'tenants', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER tenants_audit_delete AFTER DELETE ON tenants BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.id, NULL, 'tenants', OLD.id, 'delete' FROM meta;
END;

CREATE TRIGGER projects_audit_insert AFTER INSERT ON projects BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.id, 'projects', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER projects_audit_update AFTER UPDATE ON projects WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.id, 'projects', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER projects_audit_delete AFTER DELETE ON projects BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.tenant, OLD.id, 'projects', OLD.id, 'delete' FROM meta;
END;

CREATE TRIGGER clusters_audit_insert AFTER INSERT ON clusters BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'clusters', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER clusters_audit_update AFTER UPDATE ON clusters WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'clusters', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER clusters_audit_delete AFTER DELETE ON clusters BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.tenant, OLD.project, 'clusters', OLD.id, 'delete' FROM meta;
END;

CREATE TRIGGER switches_audit_insert AFTER INSERT ON switches BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'switches', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER switches_audit_update AFTER UPDATE ON switches WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'switches', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER switches_audit_delete AFTER DELETE ON switches BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.tenant, OLD.project, 'switches', OLD.id, 'delete' FROM meta;
END;

CREATE TRIGGER ports_audit_insert AFTER INSERT ON ports BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'ports', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER ports_audit_update AFTER UPDATE ON ports WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'ports', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER ports_audit_delete AFTER DELETE ON ports BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.tenant, OLD.project, 'ports', OLD.id, 'delete' FROM meta;
END;

CREATE TRIGGER routers_audit_insert AFTER INSERT ON routers BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'routers', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER routers_audit_update AFTER UPDATE ON routers WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'routers', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER routers_audit_delete AFTER DELETE ON routers BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.tenant, OLD.project, 'routers', OLD.id, 'delete' FROM meta;
END;

CREATE TRIGGER router_interfaces_audit_insert AFTER INSERT ON router_interfaces BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'router-interfaces', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER router_interfaces_audit_update AFTER UPDATE ON router_interfaces WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'router-interfaces', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER router_interfaces_audit_delete AFTER DELETE ON router_interfaces BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.tenant, OLD.project, 'router-interfaces', OLD.id, 'delete' FROM meta;
END;

CREATE TRIGGER routes_audit_insert AFTER INSERT ON routes BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'routes', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER routes_audit_update AFTER UPDATE ON routes WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'routes', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER routes_audit_delete AFTER DELETE ON routes BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.tenant, OLD.project, 'routes', OLD.id, 'delete' FROM meta;
END;

CREATE TRIGGER floating_ips_audit_insert AFTER INSERT ON floating_ips BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'floating-ips', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER floating_ips_audit_update AFTER UPDATE ON floating_ips WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'floating-ips', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER floating_ips_audit_delete AFTER DELETE ON floating_ips BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.tenant, OLD.project, 'floating-ips', OLD.id, 'delete' FROM meta;
END;

CREATE TRIGGER tokens_audit_insert AFTER INSERT ON tokens BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'tokens', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER tokens_audit_update AFTER UPDATE ON tokens WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NEW.tenant, NEW.project, 'tokens', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER tokens_audit_delete AFTER DELETE ON tokens BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, OLD.tenant, OLD.project, 'tokens', OLD.id, 'delete' FROM meta;
END;

CREATE TRIGGER external_networks_audit_insert AFTER INSERT ON external_networks BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NULL, NULL, 'external-networks', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER external_networks_audit_update AFTER UPDATE ON external_networks WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NULL, NULL, 'external-networks', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER external_networks_audit_delete AFTER DELETE ON external_networks BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NULL, NULL, 'external-networks', OLD.id, 'delete' FROM meta;
END;

CREATE TRIGGER hosts_audit_insert AFTER INSERT ON hosts BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NULL, NULL, 'hosts', NEW.id, 'create' FROM meta;
END;
CREATE TRIGGER hosts_audit_update AFTER UPDATE ON hosts WHEN NEW.revision != OLD.revision BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NULL, NULL, 'hosts', NEW.id, 'update' FROM meta;
END;
CREATE TRIGGER hosts_audit_delete AFTER DELETE ON hosts BEGIN
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, (julianday('now') - 2440587.5) * 86400.0, actor, actor_scope, NULL, NULL, 'hosts', OLD.id, 'delete' FROM meta;
END;
