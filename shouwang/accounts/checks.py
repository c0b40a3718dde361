from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register

INITIAL_HASHER = "shouwang.accounts.hashers.InitialPasswordHasher"


@register(Tags.security)
def check_initial_passwords(app_configs, **kwargs):
    errors = []
    hashers = list(settings.PASSWORD_HASHERS)
    if INITIAL_HASHER not in hashers:
        errors.append(
            Error(
                f"PASSWORD_HASHERS lacks {INITIAL_HASHER}: issued initial passwords would not "
                "log in.",
                id="shouwang.E030",
            )
        )
    elif hashers[0] == INITIAL_HASHER:
        errors.append(
            Error(
                f"{INITIAL_HASHER} must not be the first of PASSWORD_HASHERS: the passwords "
                "people choose would be hashed with its low cost.",
                id="shouwang.E031",
            )
        )
    issued = Path(settings.ISSUED_FILES_DIR).resolve()
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        root = Path(getattr(settings, name)).resolve()
        if issued == root or root in issued.parents:
            errors.append(
                Error(
                    f"ISSUED_FILES_DIR ({issued}) lies under {name}: issued passwords' files "
                    "must stay out of served folders and their backups.",
                    id="shouwang.E032",
                )
            )
    return errors
