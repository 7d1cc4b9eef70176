-- When each controller last heard each host's agent: status shared by controllers on one store,
-- not desired state (no revision, no audit). The edge-failover leader reads the latest per host.
CREATE TABLE host_liveness (
    host TEXT NOT NULL,
    controller TEXT NOT NULL,
    heard_at REAL NOT NULL,
    PRIMARY KEY (host, controller)
);
