-- Attributions of each document, written whole per document by the analyze stage.
-- record holds the full JSON (Attribution.to_json); the columns beside it are for queries.
CREATE TABLE attributions (
    document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    stance       TEXT NOT NULL,
    speaker      TEXT,
    speaker_type TEXT NOT NULL,
    confidence   REAL NOT NULL,
    record       TEXT NOT NULL,
    PRIMARY KEY (document_id, position)
);
CREATE INDEX attributions_speaker ON attributions (speaker);

-- Which stage versions have run on which document, so reruns skip finished work.
CREATE TABLE document_stages (
    document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    stage       TEXT NOT NULL,
    version     TEXT NOT NULL,
    done_at     TEXT NOT NULL,
    PRIMARY KEY (document_id, stage)
);
