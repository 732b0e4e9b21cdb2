import claimledger


def test_public_api_is_short_sorted_and_importable() -> None:
    names = claimledger.__all__
    assert names == sorted(names)
    assert len(names) == len(set(names)) <= 30
    for name in names:
        assert getattr(claimledger, name) is not None


def test_no_private_names_exported() -> None:
    assert all(not n.startswith("_") or n == "__version__" for n in claimledger.__all__)
