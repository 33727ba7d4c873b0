"""Export of a document with the user's annotations, in a separate process.

``export_document`` writes either standard PDF annotations that other readers
show and edit, or a flattened copy for printing, optionally watermarked.
"""

from meetingroom.export.job import ExportMode, export_document

__all__ = ["ExportMode", "export_document"]
