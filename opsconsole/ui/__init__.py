"""The Qt user interface: ``qt`` (windows, docks), ``globe`` (vispy), ``plots`` (pyqtgraph)."""
