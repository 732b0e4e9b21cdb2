-- Documents, their extra sources, MinHash bands and near-duplicate links.
-- Portable SQL: TEXT/INTEGER/REAL only, so PostgreSQL runs the same file.
CREATE TABLE documents (
    id          TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    format      TEXT NOT NULL,
    title       TEXT,
    outlet      TEXT,
    author      TEXT,
    published   TEXT,
    language    TEXT,
    url         TEXT,
    text        TEXT NOT NULL,
    captions    TEXT NOT NULL,
    boilerplate TEXT NOT NULL,
    segments    TEXT NOT NULL,
    warnings    TEXT NOT NULL,
    extractor   TEXT NOT NULL,
    minhash     TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX documents_published ON documents (published);
CREATE INDEX documents_outlet ON documents (outlet);
CREATE INDEX documents_ingested ON documents (ingested_at, id);

-- Every place the same article was ingested from (the first one is documents.source).
CREATE TABLE document_sources (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    source      TEXT NOT NULL,
    seen_at     TEXT NOT NULL,
    PRIMARY KEY (document_id, source)
);

-- LSH band keys of each document's MinHash: a shared key makes two documents candidates.
CREATE TABLE document_bands (
    band_key    TEXT NOT NULL,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (band_key, document_id)
);

-- Near-duplicate (syndicated) pairs, stored once with document_id < other_id.
CREATE TABLE near_duplicates (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    other_id    TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    similarity  REAL NOT NULL,
    PRIMARY KEY (document_id, other_id)
);
CREATE INDEX near_duplicates_other ON near_duplicates (other_id);
