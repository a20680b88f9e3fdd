"""Customer operations: contracts, incidents, SLA accounting and reports (Qt-free)."""
