-- Host enrollment: one-time bootstrap tokens, and the serial of each host's current certificate.
-- A session is accepted only for the certificate whose serial is recorded; revoking clears it.

CREATE TABLE enrollment_tokens (
    hash TEXT PRIMARY KEY,
    host TEXT NOT NULL REFERENCES hosts(id),
    expires_at REAL NOT NULL
);

ALTER TABLE hosts ADD COLUMN certificate_serial TEXT;
