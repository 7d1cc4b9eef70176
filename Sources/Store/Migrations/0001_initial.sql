-- Switchyard desired state, schema 1.
-- Every table's `revision` is the global revision of the transaction that last changed the row.

CREATE TABLE meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
);
INSERT INTO meta (id, revision) VALUES (1, 0);

CREATE TABLE tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    quotas TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL
);

CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    name TEXT NOT NULL,
    labels TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL,
    UNIQUE (tenant, name)
);

CREATE TABLE hosts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('compute', 'edge')),
    labels TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL
);

CREATE TABLE switches (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    cidr TEXT NOT NULL,
    gateway TEXT NOT NULL,
    cidr6 TEXT,
    gateway6 TEXT,
    mtu INTEGER NOT NULL,
    vni INTEGER NOT NULL UNIQUE CHECK (vni BETWEEN 1 AND 16777215),
    -- IPAM hints: the address after the last one handed out.
    next_ip INTEGER,
    next_ip6 INTEGER,
    labels TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL,
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
    ip_value INTEGER NOT NULL,
    ip6 TEXT,
    host TEXT REFERENCES hosts(id),
    labels TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL,
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
    pool_start INTEGER NOT NULL,
    pool_end INTEGER NOT NULL,
    next_ip INTEGER,
    labels TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL
);

-- Every address taken from an external network's pool: router uplinks and floating IPs.
CREATE TABLE external_addresses (
    external_network TEXT NOT NULL REFERENCES external_networks(id),
    address INTEGER NOT NULL,
    owner TEXT NOT NULL UNIQUE,
    PRIMARY KEY (external_network, address)
);

CREATE TABLE routers (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    external_network TEXT REFERENCES external_networks(id),
    snat INTEGER NOT NULL DEFAULT 1,
    uplink_ip TEXT,
    labels TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL,
    UNIQUE (tenant, name)
);

CREATE TABLE router_interfaces (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    router TEXT NOT NULL REFERENCES routers(id),
    switch TEXT NOT NULL REFERENCES switches(id),
    ip TEXT NOT NULL,
    ip_value INTEGER NOT NULL,
    revision INTEGER NOT NULL,
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
    revision INTEGER NOT NULL,
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
    revision INTEGER NOT NULL
);
CREATE INDEX floating_ips_tenant ON floating_ips (tenant);

-- API tokens: only the SHA-256 of the secret is kept. tenant NULL means an admin token.
CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    tenant TEXT REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    revision INTEGER NOT NULL
);

-- Objects per tenant and kind, kept by triggers so that quota checks read one row
-- instead of counting, and no code path can forget to update them.
CREATE TABLE tenant_usage (
    tenant TEXT NOT NULL,
    kind TEXT NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (tenant, kind)
) WITHOUT ROWID;

CREATE TRIGGER switches_usage_insert AFTER INSERT ON switches BEGIN
    INSERT INTO tenant_usage (tenant, kind, used) VALUES (NEW.tenant, 'switches', 1)
    ON CONFLICT (tenant, kind) DO UPDATE SET used = used + 1;
END;
CREATE TRIGGER switches_usage_delete AFTER DELETE ON switches BEGIN
    UPDATE tenant_usage SET used = used - 1 WHERE tenant = OLD.tenant AND kind = 'switches';
END;
CREATE TRIGGER ports_usage_insert AFTER INSERT ON ports BEGIN
    INSERT INTO tenant_usage (tenant, kind, used) VALUES (NEW.tenant, 'ports', 1)
    ON CONFLICT (tenant, kind) DO UPDATE SET used = used + 1;
END;
CREATE TRIGGER ports_usage_delete AFTER DELETE ON ports BEGIN
    UPDATE tenant_usage SET used = used - 1 WHERE tenant = OLD.tenant AND kind = 'ports';
END;
CREATE TRIGGER routers_usage_insert AFTER INSERT ON routers BEGIN
    INSERT INTO tenant_usage (tenant, kind, used) VALUES (NEW.tenant, 'routers', 1)
    ON CONFLICT (tenant, kind) DO UPDATE SET used = used + 1;
END;
CREATE TRIGGER routers_usage_delete AFTER DELETE ON routers BEGIN
    UPDATE tenant_usage SET used = used - 1 WHERE tenant = OLD.tenant AND kind = 'routers';
END;
CREATE TRIGGER floating_ips_usage_insert AFTER INSERT ON floating_ips BEGIN
    INSERT INTO tenant_usage (tenant, kind, used) VALUES (NEW.tenant, 'floating_ips', 1)
    ON CONFLICT (tenant, kind) DO UPDATE SET used = used + 1;
END;
CREATE TRIGGER floating_ips_usage_delete AFTER DELETE ON floating_ips BEGIN
    UPDATE tenant_usage SET used = used - 1 WHERE tenant = OLD.tenant AND kind = 'floating_ips';
END;
CREATE TRIGGER tenants_usage_delete AFTER DELETE ON tenants BEGIN
    DELETE FROM tenant_usage WHERE tenant = OLD.id;
END;

-- The change feed: rows changed after revision R have revision > R; deleted rows leave a
-- tombstone at the revision that deleted them (meta.revision is set per mutation before it runs).
CREATE TABLE tombstones (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    revision INTEGER NOT NULL
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

CREATE TRIGGER hosts_tombstone AFTER DELETE ON hosts BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('hosts', OLD.id, (SELECT revision FROM meta));
END;
CREATE TRIGGER switches_tombstone AFTER DELETE ON switches BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('switches', OLD.id, (SELECT revision FROM meta));
END;
CREATE TRIGGER ports_tombstone AFTER DELETE ON ports BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('ports', OLD.id, (SELECT revision FROM meta));
END;
CREATE TRIGGER routers_tombstone AFTER DELETE ON routers BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('routers', OLD.id, (SELECT revision FROM meta));
END;
CREATE TRIGGER router_interfaces_tombstone AFTER DELETE ON router_interfaces BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('router_interfaces', OLD.id, (SELECT revision FROM meta));
END;
CREATE TRIGGER routes_tombstone AFTER DELETE ON routes BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('routes', OLD.id, (SELECT revision FROM meta));
END;
CREATE TRIGGER external_networks_tombstone AFTER DELETE ON external_networks BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('external_networks', OLD.id, (SELECT revision FROM meta));
END;
CREATE TRIGGER floating_ips_tombstone AFTER DELETE ON floating_ips BEGIN
    INSERT INTO tombstones (kind, id, revision) VALUES ('floating_ips', OLD.id, (SELECT revision FROM meta));
END;
