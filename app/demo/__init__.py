"""The demo zone, PZ Pajottenland (5405): its facts (``zone``) and the loader (``seed``)."""
