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


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    """Production signs sessions and tokens with a key of its own, not the public one."""
    if settings.DEBUG or settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY:
        return []
    return [
        Error(
            "SECRET_KEY is the public development key: anyone could sign a session "
            "cookie and log in as anyone.",
            hint='Set SECRET_KEY to the output of python -c "import secrets; '
            'print(secrets.token_urlsafe(50))" and keep it secret.',
            id="shouwang.E010",
        )
    ]
