"""Stored plans end to end, over ``planning`` (the pure algorithm) and ``store``:

- ``service``: a planning run from the database's catalog to a saved plan
  (``create_plan``), and a stored plan back into result arrays (``stored_result``);
- ``process``: the same run in a child process, cancellable (``create_plan_in_process``);
- ``playback``: a stored plan replayed at any instant, for the globe, the plots, the
  Inspector and the alerts (``PlanPlayback``);
- ``reports``: schedule rows and the plan report; ``geo_exports``: CSV, JSON, GeoJSON,
  KML and CZML files of a plan.

No Qt here (an import-linter contract).
"""
