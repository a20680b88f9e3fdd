"""Qt widgets of the console: main window, docks, item models and actions."""
