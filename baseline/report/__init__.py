"""Reports: the canonical JSON record and the renderers built on it."""
