"""Production refuses to start with a configuration the deploy check rejects."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def refuse_unsafe_production() -> None:
    """Raise ImproperlyConfigured if a security check finds an error (DEBUG aside).

    The deploy checks alone would only speak when someone runs them; the
    serving process (`wsgi.py`, `manage.py run`) and `manage.py migrate` call
    this, so the public development SECRET_KEY or a missing COUNSELLING_KEY
    stops production before the first note is written. The test suite and the
    benchmarks run without DEBUG but start neither way."""
    if settings.DEBUG:
        return
    found = checks.run_checks(tags=[checks.Tags.security], include_deployment_checks=True)
    errors = [str(m) for m in found if m.is_serious() and not m.is_silenced()]
    if errors:
        raise ImproperlyConfigured(
            "Refusing to start in production (DEBUG=0):\n" + "\n".join(errors)
        )
