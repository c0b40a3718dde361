from django_tasks import task

from shouwang.core.scheduler import periodic

from . import sso


@periodic("50 3 * * *")
@task()
def forget_ended_cas_sessions() -> int:
    """Delete the CAS tickets of sessions that have ended."""
    return sso.forget_ended_cas_sessions()
