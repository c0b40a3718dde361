from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

if TYPE_CHECKING:
    from django.apps import AppConfig


@register(Tags.compatibility)
def check_tasks_backend(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> Sequence[CheckMessage]:
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
def check_secret_key(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> Sequence[CheckMessage]:
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


@register(Tags.security, deploy=True)
def check_lan_http(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> Sequence[CheckMessage]:
    """A plain-HTTP trial is reported, so that it is not left on by mistake."""
    if settings.DEBUG or not settings.LAN_HTTP:
        return []
    return [
        Warning(
            "LAN_HTTP=1: plain-HTTP trial mode. There is no https redirect, no HSTS and "
            "cookies are not secure-only, so passwords and sessions cross the network in "
            "clear. 明文 HTTP 试用模式：未跳转 https、未启用 HSTS、Cookie 未限定 https，"
            "密码和会话以明文在网络上传输，仅限在校园内网中试用。",
            hint="Put a TLS proxy in front (BEHIND_TLS_PROXY=1) and remove LAN_HTTP. "
            "正式使用前请部署 TLS 代理（BEHIND_TLS_PROXY=1）并去掉 LAN_HTTP。",
            id="shouwang.W030",
        )
    ]
