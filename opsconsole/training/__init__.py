"""Operator training (no Qt): scenarios, the world their events make, service under a
plan, debrief."""
