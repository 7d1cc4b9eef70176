-- The fingerprint of the CA every controller of the store must serve with (the first controller
-- to serve records it). The CA's key is not here: it stays in each controller's data directory.
CREATE TABLE authority (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL
);
