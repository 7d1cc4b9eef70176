-- Clusters: groups of workloads in a tenant (a Kubernetes or Swarm cluster, a VM group) and the
-- hosts their nodes run on (a JSON array of host ids). Ports may name the cluster they belong to.
CREATE TABLE clusters (
    id TEXT PRIMARY KEY,
    tenant TEXT NOT NULL REFERENCES tenants(id),
    project TEXT REFERENCES projects(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('kubernetes', 'swarm', 'vms', 'other')),
    hosts TEXT NOT NULL DEFAULT '[]',
    labels TEXT NOT NULL DEFAULT '{}',
    revision INTEGER NOT NULL,
    UNIQUE (tenant, name)
);

ALTER TABLE ports ADD COLUMN cluster TEXT REFERENCES clusters(id);
CREATE INDEX ports_cluster ON ports (cluster);

CREATE TRIGGER clusters_usage_insert AFTER INSERT ON clusters BEGIN
    INSERT INTO tenant_usage (tenant, kind, used) VALUES (NEW.tenant, 'clusters', 1)
    ON CONFLICT (tenant, kind) DO UPDATE SET used = used + 1;
END;
CREATE TRIGGER clusters_usage_delete AFTER DELETE ON clusters BEGIN
    UPDATE tenant_usage SET used = used - 1 WHERE tenant = OLD.tenant AND kind = 'clusters';
END;
