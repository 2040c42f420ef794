"""The locales Intercom's Help Center knows (group_translated_content in the 2.10 description)."""

from __future__ import annotations

LOCALES: tuple[str, ...] = (
    "ar", "bg", "bs", "ca", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "he",
    "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "mn", "nb", "nl", "pl", "pt", "ro",
    "ru", "sl", "sr", "sv", "tr", "vi", "pt-BR", "zh-CN", "zh-TW",
)  # fmt: skip
