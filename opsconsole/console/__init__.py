"""The console model: state every view shares, without Qt (an import-linter contract).

- ``model.ConsoleModel``: the whole, built by the composition root;
- ``catalog.Catalog``: the database, what was loaded (``console_data.ConsoleData``) and
  its change events; ``selection.Selection``; ``replay.PlanReplay`` (the replayed plan);
  ``layers.Layers``; ``training_state.TrainingState`` and ``alert_book.AlertBook``;
- ``intents.Intents``: what a panel asks for without calling another panel;
- ``live.LiveSky``: the protocol of the globe's current frame that other views read;
- ``events.Event``: the observer all of them use.
"""
