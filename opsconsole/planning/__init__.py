"""Planning: visibility, coverage, scheduling and assignment as pure functions (no Qt)."""
