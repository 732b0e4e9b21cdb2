-- The ledger: one row per claim, rebuilt by the analyze stage. record holds the whole entry
-- (claimledger.export.entry_to_dict); the columns beside it are for listing and filtering.
CREATE TABLE ledger (
    claim_id        TEXT PRIMARY KEY,
    text            TEXT NOT NULL,
    status          TEXT NOT NULL,
    origins_for     INTEGER NOT NULL,
    origins_against INTEGER NOT NULL,
    first_seen      TEXT,
    last_seen       TEXT,
    record          TEXT NOT NULL,
    built_at        TEXT NOT NULL
);
CREATE INDEX ledger_status ON ledger (status);

-- Which statement (document, attribution position) belongs to which claim.
CREATE TABLE claim_members (
    claim_id    TEXT NOT NULL REFERENCES ledger (claim_id) ON DELETE CASCADE,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (document_id, position)
);
CREATE INDEX claim_members_claim ON claim_members (claim_id);
