-- A host renews its certificate over its session. The serial it renewed from stays accepted until
-- that certificate expires (TLS refuses it then) or the host renews, re-enrolls or is revoked, so an
-- agent that lost the answer to its renewal is not locked out.
ALTER TABLE hosts ADD COLUMN previous_certificate_serial TEXT;
