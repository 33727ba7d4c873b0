"""MeetingRoom core: domain types, the encrypted store, crypto. Imports no Qt."""

__version__ = "0.1.0"
