"""Pinyin keys for searching Chinese names from a Latin keyboard ("zs" finds 张三)."""

from pypinyin import lazy_pinyin


def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, lower case, no spaces: ("zhangsan", "zs").

    Each Chinese character gives one syllable in its most common reading;
    Latin words pass through, so "Li Lei" gives ("lilei", "ll")."""
    words = [w for part in lazy_pinyin(name) for w in part.lower().split()]
    return "".join(words), "".join(w[0] for w in words)
