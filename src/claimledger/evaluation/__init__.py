"""Scores that measure claimledger's stages against annotated data."""
