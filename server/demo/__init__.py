"""The demo organisation that ``meetingroom-server seed-demo`` loads.

Pure data and PDF generation, with no database and no Qt:

- :mod:`server.demo.organisation` describes the accounts, meetings, agendas,
  documents, room and seating (:func:`build_demo`);
- :mod:`server.demo.pdfs` renders each document to PDF bytes
  (:func:`render_document`) with the bundled OFL font, so Vietnamese text
  keeps its diacritics on every machine.
"""

from server.demo.organisation import (
    DemoAccount,
    DemoAgendaItem,
    DemoMeeting,
    DemoOrganisation,
    DemoRoom,
    DemoSeat,
    DocumentKind,
    DocumentSpec,
    build_demo,
)
from server.demo.pdfs import render_document

__all__ = [
    "DemoAccount",
    "DemoAgendaItem",
    "DemoMeeting",
    "DemoOrganisation",
    "DemoRoom",
    "DemoSeat",
    "DocumentKind",
    "DocumentSpec",
    "build_demo",
    "render_document",
]
