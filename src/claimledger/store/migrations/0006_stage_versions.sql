-- Store.pending counts the documents a stage has done at its current version before it looks for the
-- rest among the newest documents: this index makes that count read the index alone. Portable SQL, as 0001.
CREATE INDEX document_stages_version ON document_stages (stage, version);
