"""What the deployment policy lets the user do with one document in the reader."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReaderPermissions:
    """Per-document permissions; the app derives them from the policy.

    ``watermark``, when set, is a text the policy forces over every page
    (the reader also watermarks classified documents with the user's name,
    seat and date on its own). ``watermark_exports``: exported copies carry
    the on-screen watermark (the policy's ``watermark`` key).
    """

    copy: bool = True
    export: bool = True
    print: bool = True
    watermark: str | None = None
    watermark_exports: bool = True
