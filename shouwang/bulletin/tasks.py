from django_tasks import task

from shouwang.core.scheduler import periodic

from . import actions


@periodic("40 3 * * *")
@task()
def forget_letter_clients() -> int:
    """Blank the client hashes of letters older than the flood limit's hour."""
    return actions.forget_letter_clients()
