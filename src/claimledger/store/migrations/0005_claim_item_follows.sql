-- ClaimItem.follows: the statement a continuation ("..., the ministry added") continues; a continuation
-- that would stand alone joins that statement's claim when they share a content word. Portable SQL, as 0001.
ALTER TABLE claim_items ADD COLUMN follows TEXT;
