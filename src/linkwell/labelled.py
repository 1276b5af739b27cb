"""Codes that pages show in words: the stored value and its label written once, side by side,
instead of a ``label`` property with its own lookup table in every enum."""

from enum import StrEnum


class Labelled(StrEnum):
    """A ``StrEnum`` whose members are ``NAME = "value", "Label"``; a member given only its
    value is labelled with it in words (``"link_worker"``, ``"in-progress"``: "Link worker",
    "In progress")."""

    label: str

    def __new__(cls, value: str, label: str | None = None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label or value.replace("_", " ").replace("-", " ").capitalize()
        return member
