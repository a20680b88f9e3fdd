"""Generic job infrastructure shared by planning, training and the UI: ``Cancelled``
and the ``Progress`` callback type (``jobs.cancel``) and running a function in a child
process with progress and cancel (``jobs.child_process``). Imports nothing of the
console's own but the standard library (an import-linter contract)."""
