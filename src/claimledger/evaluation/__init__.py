"""Scores that measure claimledger's stages against annotated data: ``brat`` reads brat standoff annotation
(PolNeAR), ``attribution_score`` scores attributions against it (``claimledger eval attributions``), and
``shingles`` scores extracted article text by word 4-gram overlap. Import from the modules; this package
re-exports nothing.
"""
