-- The resolvers of an external network, a JSON array of IPv4 addresses: the hosts forward the
-- names outside switchyard.internal that its routers' workloads ask for to them.
ALTER TABLE external_networks ADD COLUMN dns_servers TEXT NOT NULL DEFAULT '[]';
