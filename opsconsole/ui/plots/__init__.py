"""pyqtgraph plots of plans and of the sky over a site (Qt only)."""
