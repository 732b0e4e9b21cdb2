-- The persisted claim index: what `analyze` needs to add new statements to the claims they state
-- without regrouping everything (claimledger.pipeline.update_ledger). Portable SQL, as 0001.

-- Every statement grouped into a claim: an attribution's content, or a headline (position -1).
-- seq is the order of arrival, assigned by the writer: postings are read newest first.
-- edges holds, as JSON, the stance edges the statement gives its claim (claimledger.pipeline).
CREATE TABLE claim_items (
    seq         INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    claim_id    TEXT NOT NULL,
    text        TEXT NOT NULL,
    source      TEXT,
    published   TEXT,
    edges       TEXT NOT NULL,
    UNIQUE (document_id, position)
);
CREATE INDEX claim_items_claim ON claim_items (claim_id, seq);

-- Content word -> statements that contain it; the primary key serves "the most recent N of a term".
CREATE TABLE claim_postings (
    term TEXT NOT NULL,
    seq  INTEGER NOT NULL REFERENCES claim_items (seq) ON DELETE CASCADE,
    PRIMARY KEY (term, seq)
);

-- Document frequency of every feature (words, word bigrams, '#'-prefixed character 4-grams) over all
-- statements, for IDF; the statement count is claim_index_state.items.
CREATE TABLE claim_terms (
    term TEXT PRIMARY KEY,
    df   INTEGER NOT NULL
);

-- Per claim: its story and its representative wording, as last written.
CREATE TABLE claim_groups (
    claim_id TEXT PRIMARY KEY,
    story    TEXT NOT NULL,
    text     TEXT NOT NULL
);
CREATE INDEX claim_groups_story ON claim_groups (story);

-- One row: the grouping version the index was built with, its statement and claim counts, the next seq,
-- a generation bumped by every write (a writer that read an older generation starts again), the number of
-- document_stages rows right after the last write and the latest attributions done_at read before it: new
-- work is looked for among attributions done since then, without scanning every document.
CREATE TABLE claim_index_state (
    id                 INTEGER PRIMARY KEY,
    version            TEXT NOT NULL,
    items              INTEGER NOT NULL,
    claims             INTEGER NOT NULL,
    next_seq           INTEGER NOT NULL,
    generation         INTEGER NOT NULL,
    stage_rows         INTEGER NOT NULL,
    attributed_through TEXT NOT NULL
);
INSERT INTO claim_index_state VALUES (1, '', 0, 0, 0, 0, 0, '');

-- Attribution runs by time, for the look-up above.
CREATE INDEX document_stages_done ON document_stages (stage, done_at);
