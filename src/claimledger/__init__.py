"""claimledger: who claims what in the news, through whom, and how many independent sources stand behind it."""

from claimledger.config import __version__

__all__ = ["__version__"]
