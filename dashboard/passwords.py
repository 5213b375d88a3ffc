"""Password rules for dashboard users: long enough, not a common one, stored as bcrypt.

The list of common passwords ships with the package (common_passwords.txt); a password is
also refused when it is a listed one with digits or signs added ("wachtwoord2024!"), or
when it contains the user name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import bcrypt

MIN_LENGTH = 12
MAX_BYTES = 72
"""bcrypt only looks at the first 72 bytes."""
COMMON_FILE = Path(__file__).with_name("common_passwords.txt")
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class WeakPassword(ValueError):
    """The password does not meet the rules; the message (Dutch) says which."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines
                     if line.strip() and not line.startswith("#"))


def check_password(password: str, username: str = "") -> None:
    """Raise WeakPassword unless `password` may be used."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens.")
    if len(password.encode("utf-8")) > MAX_BYTES:
        raise WeakPassword(f"Kies een wachtwoord van hoogstens {MAX_BYTES} bytes.")
    lowered = password.lower()
    core = _DECORATION.sub("", lowered)
    common = common_passwords()
    if lowered in common or core in common or len(set(lowered)) < 4:
        raise WeakPassword("Dit wachtwoord is te bekend of te eenvoudig. Kies een ander.")
    if username and len(username) >= 3 and username.lower() in lowered:
        raise WeakPassword("Je gebruikersnaam mag niet in je wachtwoord staan.")


def hash_password(password: str, username: str = "") -> str:
    """A bcrypt hash of a password that passes `check_password`."""
    check_password(password, username)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")
