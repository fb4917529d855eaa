"""Generated, deterministic data for scale and for the dossier-level path (labelled synthetic)."""
