"""pyqtgraph charts of runs: timing, chunk timeline, time breakdown, chunk sizes, interpreters."""
