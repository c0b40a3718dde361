from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from .channels import CHANNEL_NAMES

if TYPE_CHECKING:
    from django.apps import AppConfig

# What each channel cannot work without; a deployment that names a channel
# and forgets its URL should fail at start, not at the first reminder.
REQUIRED = {
    "wecom": ["WECOM_WEBHOOK_URL"],
    "dingtalk": ["DINGTALK_WEBHOOK_URL", "DINGTALK_SECRET"],
    "feishu": ["FEISHU_WEBHOOK_URL", "FEISHU_SECRET"],
    "sms": ["SMS_GATEWAY_URL", "SMS_SIGN_NAME", "SMS_TEMPLATE_CODE"],
    "wecom_app": ["WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_API_BASE"],
    "dingtalk_work": [
        "DINGTALK_APP_KEY",
        "DINGTALK_APP_SECRET",
        "DINGTALK_AGENT_ID",
        "DINGTALK_API_BASE",
    ],
}


@register(Tags.compatibility)
def check_notify_channels(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> Sequence[CheckMessage]:
    errors = []
    for name in settings.NOTIFY_CHANNELS:
        if name not in CHANNEL_NAMES:
            errors.append(
                Error(
                    f"NOTIFY_CHANNELS names {name!r}, not one of {', '.join(CHANNEL_NAMES)}.",
                    id="shouwang.E010",
                )
            )
        missing = [setting for setting in REQUIRED.get(name, []) if not getattr(settings, setting)]
        if missing:
            errors.append(
                Error(f"The {name} channel needs {', '.join(missing)}.", id="shouwang.E011")
            )
    return errors
