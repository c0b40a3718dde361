"""The reports' entries in the menu: the cockpit and the chronicles."""
