"""The encrypted offline store: ``Store`` and its parts."""

from meetingroom.store.blobs import CHUNK_SIZE, DocumentReader, DocumentWriter, Manifest
from meetingroom.store.gateway import DB_FILENAME, Store, UnlockPolicy
from meetingroom.store.repository import Readout

__all__ = [
    "CHUNK_SIZE",
    "DB_FILENAME",
    "DocumentReader",
    "DocumentWriter",
    "Manifest",
    "Readout",
    "Store",
    "UnlockPolicy",
]
