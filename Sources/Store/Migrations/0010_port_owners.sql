-- Ports a host's container runtime asked for (CNI, Docker) record who owns them: the host, the
-- runtime, the container and its interface. One port per owner: a repeated ADD finds it.
ALTER TABLE ports ADD COLUMN owner_host TEXT REFERENCES hosts(id);
ALTER TABLE ports ADD COLUMN owner_runtime TEXT;
ALTER TABLE ports ADD COLUMN owner_container TEXT;
ALTER TABLE ports ADD COLUMN owner_interface TEXT;
CREATE UNIQUE INDEX ports_owner ON ports (owner_host, owner_container, owner_interface) WHERE owner_host IS NOT NULL;
