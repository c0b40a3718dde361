"""The work plan's background and periodic tasks."""

from __future__ import annotations
