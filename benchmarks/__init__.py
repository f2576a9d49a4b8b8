"""symconv's benchmarks: ``python -m benchmarks`` prints a table of measured ratios."""
