from claimledger import identity

BODY = (
    "Harbour master Tomas Quill said on Monday that the ferry Aurelia had been held at the outer mole of Port "
    "Velden for six hours. The Velden port authority denied reports that the crew had been detained, and a "
    "spokeswoman told the Northwire agency that inspections were routine. Fishermen in the bay described armed "
    "boats circling the vessel before dawn, while the coast guard declined to comment on the operation."
)


def test_same_article_with_other_whitespace_case_and_quotes_has_one_id() -> None:
    variant = "  " + BODY.replace(" ", "\n", 3).upper().replace("'", "\u2019") + "\n"
    assert identity.document_id(variant) == identity.document_id(BODY)
    assert identity.document_id(BODY + " Extra.") != identity.document_id(BODY)


def test_syndicated_copy_is_similar_and_shares_a_band() -> None:
    copy = "VELDEN (Northwire) - " + BODY + " Additional reporting by Mara Lind."
    a, b = identity.minhash(BODY), identity.minhash(copy)
    assert identity.similarity(a, b) > 0.7
    assert set(identity.band_keys(a)) & set(identity.band_keys(b))


def test_unrelated_texts_are_not_similar() -> None:
    other = "The orchestra of Lindmark opened its winter season with a new symphony by composer Ada Fenwick."
    assert identity.similarity(identity.minhash(BODY), identity.minhash(other)) < 0.1


def test_signature_round_trips_and_is_stable() -> None:
    sig = identity.minhash(BODY)
    assert identity.unpack(identity.pack(sig)) == sig
    assert len(sig) == identity.NUM_PERM
    assert identity.minhash(BODY) == sig


def test_short_and_empty_texts() -> None:
    assert identity.similarity(identity.minhash("two words"), identity.minhash("two words")) == 1.0
    assert len(identity.minhash("")) == identity.NUM_PERM
