"""Developer checks of the catalog: every rule's examples (``examples``) and accuracy against gold
labels (``evaluate``, which ``tosscan eval`` and ``../shared/tools/score.py`` agree on)."""
