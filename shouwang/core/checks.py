from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.compatibility)
def check_tasks_backend(app_configs, **kwargs):
    if settings.TASKS_BACKEND not in settings.TASKS_BACKENDS:
        return [
            Error(
                f"TASKS_BACKEND={settings.TASKS_BACKEND!r} is not one of "
                f"{', '.join(settings.TASKS_BACKENDS)}.",
                id="shouwang.E001",
            )
        ]
    if settings.TASKS_BACKEND == "rq" and not settings.REDIS_URL:
        return [Error("TASKS_BACKEND=rq needs REDIS_URL.", id="shouwang.E002")]
    return []
