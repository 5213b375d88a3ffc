"""newsroom: open sentiment monitoring for the communication teams of Dutch municipalities."""

__version__ = "0.1.0"
