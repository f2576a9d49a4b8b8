"""symconv's worked derivations, one script per result (installed as ``symconv.derivations``)."""
