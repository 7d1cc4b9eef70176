-- Switchyard desired state in PostgreSQL, for several controllers: the schema SQLite reaches
-- after migrations/0001-0014, in one step, with the same tables, columns and meaning. Integers
-- are BIGINT (booleans too, 0 and 1, as in SQLite), times DOUBLE PRECISION seconds, JSON TEXT.
-- SQLite's per-table triggers are three trigger functions here: quota usage, tombstones, audit.

CREATE TABLE meta (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL,
    history_start BIGINT NOT NULL DEFAULT 0,
    actor TEXT,
    actor_scope TEXT
);
INSERT INTO meta (id, revision) VALUES (1, 0);
CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    quotas TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    revision BIGINT NOT NULL
);
CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    revision BIGINT NOT NULL,
    UNIQUE (tenant, name)
);
CREATE TABLE clusters (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('kubernetes', 'swarm', 'vms', 'other')),
    hosts TEXT NOT NULL DEFAULT '[]',
    labels TEXT NOT NULL DEFAULT '{}',
    revision BIGINT NOT NULL,
    UNIQUE (tenant, name)
);
CREATE TABLE hosts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('compute', 'edge')),
    labels TEXT NOT NULL DEFAULT '{}',
    revision BIGINT NOT NULL
, certificate_serial TEXT, available BIGINT NOT NULL DEFAULT 1, previous_certificate_serial TEXT);
CREATE TABLE switches (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    cidr TEXT NOT NULL,
    gateway TEXT NOT NULL,
    cidr6 TEXT,
    gateway6 TEXT,
    mtu BIGINT NOT NULL,
    vni BIGINT NOT NULL UNIQUE CHECK (vni BETWEEN 1 AND 16777215),
    -- IPAM hints: the address after the last one handed out.
    next_ip BIGINT,
    next_ip6 BIGINT,
    labels TEXT NOT NULL DEFAULT '{}',
    revision BIGINT NOT NULL,
    UNIQUE (tenant, name)
);
CREATE INDEX switches_project ON switches (project);
CREATE TABLE ports (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    switch TEXT NOT NULL REFERENCES switches(id),
    name TEXT NOT NULL,
    mac TEXT NOT NULL UNIQUE,
    ip TEXT NOT NULL,
    ip_value BIGINT NOT NULL,
    ip6 TEXT,
    host TEXT REFERENCES hosts(id),
    labels TEXT NOT NULL DEFAULT '{}',
    revision BIGINT NOT NULL, cluster TEXT REFERENCES clusters(id), owner_host TEXT REFERENCES hosts(id), owner_runtime TEXT, owner_container TEXT, owner_interface TEXT,
    UNIQUE (switch, name),
    UNIQUE (switch, ip_value),
    UNIQUE (switch, ip6)
);
CREATE INDEX ports_tenant ON ports (tenant);
CREATE INDEX ports_host ON ports (host);
CREATE TABLE external_networks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    cidr TEXT NOT NULL,
    gateway TEXT NOT NULL,
    pool_start BIGINT NOT NULL,
    pool_end BIGINT NOT NULL,
    next_ip BIGINT,
    labels TEXT NOT NULL DEFAULT '{}',
    revision BIGINT NOT NULL
, dns_servers TEXT NOT NULL DEFAULT '[]');
CREATE TABLE external_addresses (
    external_network TEXT NOT NULL REFERENCES external_networks(id),
    address BIGINT NOT NULL,
    owner TEXT NOT NULL UNIQUE,
    PRIMARY KEY (external_network, address)
);
CREATE TABLE routers (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    external_network TEXT REFERENCES external_networks(id),
    snat BIGINT NOT NULL DEFAULT 1,
    uplink_ip TEXT,
    labels TEXT NOT NULL DEFAULT '{}',
    revision BIGINT NOT NULL, transit_vni BIGINT CHECK (transit_vni BETWEEN 1 AND 16777215),
    UNIQUE (tenant, name)
);
CREATE TABLE router_interfaces (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    router TEXT NOT NULL REFERENCES routers(id),
    switch TEXT NOT NULL REFERENCES switches(id),
    ip TEXT NOT NULL,
    ip_value BIGINT NOT NULL,
    revision BIGINT NOT NULL,
    UNIQUE (router, switch),
    UNIQUE (switch, ip_value)
);
CREATE TABLE routes (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    router TEXT NOT NULL REFERENCES routers(id),
    destination TEXT NOT NULL,
    nexthop TEXT NOT NULL,
    revision BIGINT NOT NULL,
    UNIQUE (router, destination)
);
CREATE TABLE floating_ips (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    external_network TEXT NOT NULL REFERENCES external_networks(id),
    address TEXT NOT NULL,
    port TEXT UNIQUE REFERENCES ports(id),
    labels TEXT NOT NULL DEFAULT '{}',
    revision BIGINT NOT NULL
);
CREATE INDEX floating_ips_tenant ON floating_ips (tenant);
CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    tenant TEXT REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    revision BIGINT NOT NULL
);
CREATE TABLE tenant_usage (
    tenant TEXT NOT NULL,
    kind TEXT NOT NULL,
    used BIGINT NOT NULL,
    PRIMARY KEY (tenant, kind)
);
CREATE TABLE tombstones (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    revision BIGINT NOT NULL
);
CREATE INDEX tombstones_revision ON tombstones (revision);
CREATE INDEX hosts_revision ON hosts (revision);
CREATE INDEX switches_revision ON switches (revision);
CREATE INDEX ports_revision ON ports (revision);
CREATE INDEX routers_revision ON routers (revision);
CREATE INDEX router_interfaces_revision ON router_interfaces (revision);
CREATE INDEX routes_revision ON routes (revision);
CREATE INDEX external_networks_revision ON external_networks (revision);
CREATE INDEX floating_ips_revision ON floating_ips (revision);
CREATE TABLE enrollment_tokens (
    hash TEXT PRIMARY KEY,
    host TEXT NOT NULL REFERENCES hosts(id),
    expires_at DOUBLE PRECISION NOT NULL
);
CREATE UNIQUE INDEX routers_transit_vni ON routers (transit_vni);
CREATE VIEW vnis_in_use AS
    SELECT vni FROM switches
    UNION ALL
    SELECT transit_vni AS vni FROM routers;
CREATE INDEX ports_cluster ON ports (cluster);
CREATE TABLE audit (
    -- SQLite's implicit row id, which the trail's readers order by.
    rowid BIGSERIAL PRIMARY KEY,
    revision BIGINT NOT NULL,
    at DOUBLE PRECISION NOT NULL,
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
CREATE TABLE policies (
    id TEXT PRIMARY KEY,
    tenant TEXT REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    tier TEXT NOT NULL CHECK (tier IN ('admin', 'tenant')),
    priority BIGINT NOT NULL,
    spec TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    revision BIGINT NOT NULL,
    CHECK ((tier = 'admin') = (tenant IS NULL))
);
CREATE UNIQUE INDEX policies_name ON policies (COALESCE(tenant, ''), name);
CREATE INDEX policies_revision ON policies (revision);
CREATE INDEX tenants_revision ON tenants (revision);
CREATE INDEX projects_revision ON projects (revision);
CREATE INDEX clusters_revision ON clusters (revision);
CREATE UNIQUE INDEX ports_owner ON ports (owner_host, owner_container, owner_interface) WHERE owner_host IS NOT NULL;
CREATE TABLE services (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    router TEXT NOT NULL REFERENCES routers(id),
    vip TEXT,
    spec TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    revision BIGINT NOT NULL,
    type TEXT NOT NULL DEFAULT 'internal',
    external_ip TEXT,
    UNIQUE (tenant, name),
    UNIQUE (router, vip)
);
CREATE INDEX services_revision ON services (revision);
CREATE INDEX services_router ON services (router);
;

-- Quota usage per tenant (TG_ARGV[0]: the kind), counted on insert and delete.
CREATE FUNCTION count_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.tenant IS NOT NULL THEN
            INSERT INTO tenant_usage (tenant, kind, used) VALUES (NEW.tenant, TG_ARGV[0], 1)
            ON CONFLICT (tenant, kind) DO UPDATE SET used = tenant_usage.used + 1;
        END IF;
    ELSIF OLD.tenant IS NOT NULL THEN
        UPDATE tenant_usage SET used = used - 1 WHERE tenant = OLD.tenant AND kind = TG_ARGV[0];
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION forget_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tenant_usage WHERE tenant = OLD.id;
    RETURN NULL;
END $$;

-- A deleted row leaves a tombstone at the deleting revision (TG_ARGV[0]: the kind).
CREATE FUNCTION leave_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES (TG_ARGV[0], OLD.id, (SELECT revision FROM meta));
    RETURN NULL;
END $$;

-- The audit trail (TG_ARGV: the kind, the column naming the tenant, the one naming the project;
-- '' for none). An update counts only when it moves the row's revision.
CREATE FUNCTION audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(OLD)->>'revision' = row->>'revision' THEN
        RETURN NULL;
    END IF;
    INSERT INTO audit (revision, at, actor, actor_scope, tenant, project, kind, object, operation)
    SELECT revision, extract(epoch FROM clock_timestamp()), actor, actor_scope,
           CASE WHEN TG_ARGV[1] = '' THEN NULL ELSE row->>TG_ARGV[1] END,
           CASE WHEN TG_ARGV[2] = '' THEN NULL ELSE row->>TG_ARGV[2] END,
           TG_ARGV[0], row->>'id',
           CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END
    FROM meta;
    RETURN NULL;
END $$;

CREATE TRIGGER switches_usage AFTER INSERT OR DELETE ON switches FOR EACH ROW EXECUTE FUNCTION count_usage('switches');
CREATE TRIGGER ports_usage AFTER INSERT OR DELETE ON ports FOR EACH ROW EXECUTE FUNCTION count_usage('ports');
CREATE TRIGGER routers_usage AFTER INSERT OR DELETE ON routers FOR EACH ROW EXECUTE FUNCTION count_usage('routers');
CREATE TRIGGER floating_ips_usage AFTER INSERT OR DELETE ON floating_ips FOR EACH ROW EXECUTE FUNCTION count_usage('floating_ips');
CREATE TRIGGER clusters_usage AFTER INSERT OR DELETE ON clusters FOR EACH ROW EXECUTE FUNCTION count_usage('clusters');
CREATE TRIGGER policies_usage AFTER INSERT OR DELETE ON policies FOR EACH ROW EXECUTE FUNCTION count_usage('policies');
CREATE TRIGGER services_usage AFTER INSERT OR DELETE ON services FOR EACH ROW EXECUTE FUNCTION count_usage('services');
CREATE TRIGGER tenants_usage_delete AFTER DELETE ON tenants FOR EACH ROW EXECUTE FUNCTION forget_usage();
CREATE TRIGGER hosts_tombstone AFTER DELETE ON hosts FOR EACH ROW EXECUTE FUNCTION leave_tombstone('hosts');
CREATE TRIGGER switches_tombstone AFTER DELETE ON switches FOR EACH ROW EXECUTE FUNCTION leave_tombstone('switches');
CREATE TRIGGER ports_tombstone AFTER DELETE ON ports FOR EACH ROW EXECUTE FUNCTION leave_tombstone('ports');
CREATE TRIGGER routers_tombstone AFTER DELETE ON routers FOR EACH ROW EXECUTE FUNCTION leave_tombstone('routers');
CREATE TRIGGER router_interfaces_tombstone AFTER DELETE ON router_interfaces FOR EACH ROW EXECUTE FUNCTION leave_tombstone('router_interfaces');
CREATE TRIGGER routes_tombstone AFTER DELETE ON routes FOR EACH ROW EXECUTE FUNCTION leave_tombstone('routes');
CREATE TRIGGER external_networks_tombstone AFTER DELETE ON external_networks FOR EACH ROW EXECUTE FUNCTION leave_tombstone('external_networks');
CREATE TRIGGER floating_ips_tombstone AFTER DELETE ON floating_ips FOR EACH ROW EXECUTE FUNCTION leave_tombstone('floating_ips');
CREATE TRIGGER policies_tombstone AFTER DELETE ON policies FOR EACH ROW EXECUTE FUNCTION leave_tombstone('policies');
CREATE TRIGGER tenants_tombstone AFTER DELETE ON tenants FOR EACH ROW EXECUTE FUNCTION leave_tombstone('tenants');
CREATE TRIGGER projects_tombstone AFTER DELETE ON projects FOR EACH ROW EXECUTE FUNCTION leave_tombstone('projects');
CREATE TRIGGER clusters_tombstone AFTER DELETE ON clusters FOR EACH ROW EXECUTE FUNCTION leave_tombstone('clusters');
CREATE TRIGGER services_tombstone AFTER DELETE ON services FOR EACH ROW EXECUTE FUNCTION leave_tombstone('services');
CREATE TRIGGER tenants_audit AFTER INSERT OR UPDATE OR DELETE ON tenants FOR EACH ROW EXECUTE FUNCTION audit_row('tenants', 'id', '');
CREATE TRIGGER projects_audit AFTER INSERT OR UPDATE OR DELETE ON projects FOR EACH ROW EXECUTE FUNCTION audit_row('projects', 'tenant', 'id');
CREATE TRIGGER clusters_audit AFTER INSERT OR UPDATE OR DELETE ON clusters FOR EACH ROW EXECUTE FUNCTION audit_row('clusters', 'tenant', 'project');
CREATE TRIGGER switches_audit AFTER INSERT OR UPDATE OR DELETE ON switches FOR EACH ROW EXECUTE FUNCTION audit_row('switches', 'tenant', 'project');
CREATE TRIGGER ports_audit AFTER INSERT OR UPDATE OR DELETE ON ports FOR EACH ROW EXECUTE FUNCTION audit_row('ports', 'tenant', 'project');
CREATE TRIGGER routers_audit AFTER INSERT OR UPDATE OR DELETE ON routers FOR EACH ROW EXECUTE FUNCTION audit_row('routers', 'tenant', 'project');
CREATE TRIGGER router_interfaces_audit AFTER INSERT OR UPDATE OR DELETE ON router_interfaces FOR EACH ROW EXECUTE FUNCTION audit_row('router-interfaces', 'tenant', 'project');
CREATE TRIGGER routes_audit AFTER INSERT OR UPDATE OR DELETE ON routes FOR EACH ROW EXECUTE FUNCTION audit_row('routes', 'tenant', 'project');
CREATE TRIGGER floating_ips_audit AFTER INSERT OR UPDATE OR DELETE ON floating_ips FOR EACH ROW EXECUTE FUNCTION audit_row('floating-ips', 'tenant', 'project');
CREATE TRIGGER policies_audit AFTER INSERT OR UPDATE OR DELETE ON policies FOR EACH ROW EXECUTE FUNCTION audit_row('policies', 'tenant', 'project');
CREATE TRIGGER services_audit AFTER INSERT OR UPDATE OR DELETE ON services FOR EACH ROW EXECUTE FUNCTION audit_row('services', 'tenant', 'project');
CREATE TRIGGER tokens_audit AFTER INSERT OR UPDATE OR DELETE ON tokens FOR EACH ROW EXECUTE FUNCTION audit_row('tokens', 'tenant', 'project');
CREATE TRIGGER external_networks_audit AFTER INSERT OR UPDATE OR DELETE ON external_networks FOR EACH ROW EXECUTE FUNCTION audit_row('external-networks', '', '');
CREATE TRIGGER hosts_audit AFTER INSERT OR UPDATE OR DELETE ON hosts FOR EACH ROW EXECUTE FUNCTION audit_row('hosts', '', '');
