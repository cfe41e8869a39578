"""The page's Streamlit modules: each view, and the elements they share.

This package imports Streamlit; the library under it, :mod:`relulab`, never does, so
notebook users can ``pip install`` and import it without the app."""
