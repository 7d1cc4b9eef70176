-- External services: an address from the pool of the router's external network (held in
-- external_addresses with the service as owner), served at the router's edge.
ALTER TABLE services ADD COLUMN type TEXT NOT NULL DEFAULT 'internal';
ALTER TABLE services ADD COLUMN external_ip TEXT;
