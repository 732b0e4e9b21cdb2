"""Every claimledger error keeps its class, code and message across a process boundary (Ray workers pickle
what their tasks raise; an error that cannot be rebuilt reaches the user as Ray's UnserializableException)."""

import pickle

import pytest

from claimledger import errors

ALL = [cls for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.ClaimledgerError)]


@pytest.mark.parametrize("cls", ALL, ids=lambda cls: cls.__name__)
def test_errors_survive_pickling(cls: type[errors.ClaimledgerError]) -> None:
    error = cls("page.html", "the reason") if issubclass(cls, errors.InputError) else cls("the reason")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert str(copy) == str(error)
    assert copy.code == error.code
    if isinstance(error, errors.InputError):
        assert (copy.source, copy.reason) == ("page.html", "the reason")
