"""Normalising text as it arrives from registrar spreadsheets and phone keyboards."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean(value: object) -> str:
    """A cell or field as plain text: NFKC (full-width digits, letters and spaces
    become ASCII), trimmed, inner runs of whitespace collapsed to one space.
    Whole-number floats (Excel stores 2021001 as 2021001.0) lose their ".0"."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    # After NFKC the only whitespace a printable string can hold is the ASCII
    # space; most cells need no regular expression (a roster has a million cells).
    if text.isprintable() and "  " not in text:
        return text.strip()
    return _SPACES.sub(" ", text).strip()


def clean_number(value: object) -> str:
    """An identifier such as 学号: cleaned, with no spaces at all."""
    return clean(value).replace(" ", "")


# Registrars pad two-character names to line up with three: "李　雷".
_SPACE_IN_CJK = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")


def clean_name(value: object) -> str:
    """A person's name: cleaned, without the padding spaces between Chinese characters
    ("李　雷" is 李雷; "Li Lei" keeps its space)."""
    return _SPACE_IN_CJK.sub("", clean(value))


_PHONE_JUNK = re.compile(r"[\s\-()]")


def clean_mobile(value: object) -> str:
    """A mainland mobile number as 11 digits, or the cleaned input if it is not one.

    Accepts spaces, dashes, brackets and a +86 / 0086 / 86 prefix."""
    text = _PHONE_JUNK.sub("", clean(value))
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    if len(text) == 13 and text.startswith("86"):
        text = text[2:]
    return text


MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def is_mobile(text: str) -> bool:
    return bool(MOBILE_RE.match(text))


def mask_mobile(text: str) -> str:
    """138****1234: enough to recognise a number, not enough to dial it."""
    if len(text) < 7:
        return "*" * len(text)
    return f"{text[:3]}****{text[-4:]}"


# What a contact's phone may hold besides digits: 0351-7666000, (0351) 7666000 转 8001.
PHONE_CHARACTERS = set("0123456789-+ ()转")


def clean_phone(value: object) -> str | None:
    """A contact's phone: a mobile number as 11 digits, a landline as written
    (0351-7666000); "" for none, None if it does not look like a phone number."""
    mobile = clean_mobile(value)
    phone = mobile if is_mobile(mobile) else clean(value)
    if phone and (not set(phone) <= PHONE_CHARACTERS or sum(c.isdigit() for c in phone) < 7):
        return None
    return phone
