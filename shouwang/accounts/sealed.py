"""Files sealed for the browser that asked for them: the issued passwords'
sheet and slips, at rest.

The issuing page makes an X25519 key pair. Its private half goes to the
issuer's browser in an HttpOnly cookie and is kept nowhere on the server; the
public half is stored with the issue. The task that issues the passwords
seals each file to the public key (an ephemeral X25519 exchange, HKDF-SHA256,
then Fernet), so neither the database, nor the task queue (which stores the
task's arguments), nor the folder of files, nor a backup of any of them holds
what opens a file: only the issuer's browser does, for the 24 hours the files
may wait. Nothing is derived from SECRET_KEY. docs/decisions.md says why this
and not a key setting.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

INFO = b"shouwang.accounts.issued-passwords"
RAW = serialization.Encoding.Raw
# Marks the folder as one that backups leave out (https://bford.info/cachedir/):
# tar, borg and restic skip it with --exclude-caches.
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# Shouwang's issued passwords, sealed, deleted within 24 hours: never back this up.\n"
)


class SealError(Exception):
    """A sealed file that this key does not open."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


def new_key_pair() -> tuple[str, str]:
    """(private, public), each the urlsafe base64 of 32 bytes."""
    private = X25519PrivateKey.generate()
    private_raw = private.private_bytes(
        RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    public_raw = private.public_key().public_bytes(RAW, serialization.PublicFormat.Raw)
    return _b64(private_raw), _b64(public_raw)


def _fernet(shared: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO).derive(shared)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(data: bytes, public_key: str) -> bytes:
    """`data` sealed to `public_key`: an ephemeral public key, then a Fernet token."""
    recipient = X25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(public_key))
    ephemeral = X25519PrivateKey.generate()
    token = _fernet(ephemeral.exchange(recipient)).encrypt(data)
    return ephemeral.public_key().public_bytes(RAW, serialization.PublicFormat.Raw) + token


def unseal(blob: bytes, private_key: str) -> bytes:
    try:
        private = X25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(private_key))
        ephemeral = X25519PublicKey.from_public_bytes(blob[:32])
        return _fernet(private.exchange(ephemeral)).decrypt(blob[32:])
    except (InvalidToken, ValueError, binascii.Error) as error:
        raise SealError from error


def folder() -> Path:
    """The folder of sealed files, made with its backup-exclusion tag on first use."""
    path = Path(settings.ISSUED_FILES_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    tag = path / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(CACHEDIR_TAG)
    return path
