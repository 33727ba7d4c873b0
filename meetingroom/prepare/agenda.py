"""The agenda editor's operations: add, rename, nest, reorder, remove; planned time.

Items form a forest (``parent_id``) ordered by ``position`` among siblings.
A move renumbers the siblings it touches 0, 1, 2, ... and saves only the
rows whose position or parent really changed, so two secretaries working on
different parts of the agenda do not overwrite each other.
"""

from __future__ import annotations

from collections.abc import Sequence

from meetingroom import services
from meetingroom.domain import AgendaItem, AgendaItemId, MeetingId, new_id
from meetingroom.errors import InvalidAgendaMove, InvalidMeeting, NotFound
from meetingroom.store import Store

_UNSET: object = object()


def _items(store: Store, meeting_id: MeetingId) -> list[AgendaItem]:
    return services.agenda(store, meeting_id).items


def children(items: Sequence[AgendaItem], parent_id: AgendaItemId | None) -> list[AgendaItem]:
    """Return the items directly under ``parent_id`` (None: the top level), in order."""
    return sorted(
        (i for i in items if i.parent_id == parent_id), key=lambda i: (i.position, i.title, i.id)
    )


def ordered(items: Sequence[AgendaItem]) -> list[tuple[int, AgendaItem]]:
    """Return (depth, item) pairs in reading order: each parent before its children."""
    out: list[tuple[int, AgendaItem]] = []
    known = {i.id for i in items}

    def walk(parent: AgendaItemId | None, depth: int) -> None:
        for item in children(items, parent):
            out.append((depth, item))
            walk(item.id, depth + 1)

    walk(None, 0)
    # Items whose parent is gone (deleted elsewhere) still show, at the top level.
    for item in items:
        if item.parent_id is not None and item.parent_id not in known:
            out.append((0, item))
            walk(item.id, 1)
    return out


def numbering(items: Sequence[AgendaItem]) -> dict[AgendaItemId, str]:
    """Return each item's outline number: "1", "2", "2.1", ..."""
    numbers: dict[AgendaItemId, str] = {}

    def walk(parent: AgendaItemId | None, prefix: str) -> None:
        for n, item in enumerate(children(items, parent), start=1):
            numbers[item.id] = f"{prefix}{n}"
            walk(item.id, f"{prefix}{n}.")

    walk(None, "")
    return numbers


def planned_minutes(items: Sequence[AgendaItem], item_id: AgendaItemId | None = None) -> int:
    """Return the planned time of an item, or of the whole agenda when ``item_id`` is None.

    An item's time is its own planned minutes when set, else the sum of its
    sub-items' times (so a parent that states its own time is not counted twice).
    """
    if item_id is not None:
        item = next((i for i in items if i.id == item_id), None)
        if item is not None and item.planned_minutes is not None:
            return item.planned_minutes
    return sum(planned_minutes(items, child.id) for child in children(items, item_id))


def _renumber(siblings: Sequence[AgendaItem], parent_id: AgendaItemId | None) -> list[AgendaItem]:
    """Return the siblings whose position or parent must change to match the list order."""
    changed = []
    for position, item in enumerate(siblings):
        if item.position != position or item.parent_id != parent_id:
            changed.append(item.touched(position=position, parent_id=parent_id))
    return changed


def add_item(
    store: Store,
    meeting_id: MeetingId,
    title: str,
    *,
    parent_id: AgendaItemId | None = None,
    presenter: str = "",
    planned: int | None = None,
) -> AgendaItem:
    """Append a new item under ``parent_id`` (None: at the top level); return it.

    Raises:
        InvalidMeeting: empty title or negative minutes.
        NotFound: no such meeting, or no such parent item in it.
        StoreLocked, DiskFull, ReadOnlyStore: as ``services.save``.
    """
    _check_fields(title, planned)
    store.repos.meetings.get(meeting_id)
    items = _items(store, meeting_id)
    if parent_id is not None and parent_id not in {i.id for i in items}:
        raise NotFound("agenda_items", parent_id)
    siblings = children(items, parent_id)
    position = siblings[-1].position + 1 if siblings else 0
    item = AgendaItem(
        AgendaItemId(new_id()),
        meeting_id,
        position,
        title.strip(),
        parent_id=parent_id,
        presenter=presenter.strip(),
        planned_minutes=planned,
    )
    services.save(store, item)
    return item


def _check_fields(title: str | None, planned: int | None) -> None:
    if title is not None and not title.strip():
        raise InvalidMeeting("an agenda item needs a title")
    if planned is not None and planned < 0:
        raise InvalidMeeting("planned time cannot be negative")


def update_item(
    store: Store,
    item_id: AgendaItemId,
    *,
    title: str | None = None,
    presenter: str | None = None,
    planned: int | object | None = _UNSET,
) -> AgendaItem:
    """Change an item's title, presenter or planned minutes (None clears them); return it.

    Only fields that differ are touched. Raises NotFound, InvalidMeeting, and
    as ``services.save``.
    """
    minutes = None if planned is _UNSET else planned
    if minutes is not None and not isinstance(minutes, int):
        raise InvalidMeeting("planned time must be whole minutes")
    _check_fields(title, minutes)
    item = store.repos.agenda_items.get(item_id)
    changes: dict[str, object] = {}
    if title is not None and title.strip() != item.title:
        changes["title"] = title.strip()
    if presenter is not None and presenter.strip() != item.presenter:
        changes["presenter"] = presenter.strip()
    if planned is not _UNSET and minutes != item.planned_minutes:
        changes["planned_minutes"] = minutes
    if not changes:
        return item
    updated = item.touched(**changes)
    services.save(store, updated)
    return updated


def rename_item(store: Store, item_id: AgendaItemId, title: str) -> AgendaItem:
    """Rename an item; return it. Raises as ``update_item``."""
    return update_item(store, item_id, title=title)


def move_item(
    store: Store, item_id: AgendaItemId, parent_id: AgendaItemId | None, index: int
) -> list[AgendaItem]:
    """Put an item (with its sub-items) under ``parent_id`` at ``index``; return saved rows.

    ``index`` counts among the new siblings without the item itself and is
    clamped to the list. Both the old and the new sibling lists are
    renumbered; rows that keep their place are not saved.

    Raises:
        NotFound: no such item or parent.
        InvalidAgendaMove: ``parent_id`` is the item or one of its sub-items.
        StoreLocked, DiskFull, ReadOnlyStore: as ``services.save``.
    """
    item = store.repos.agenda_items.get(item_id)
    items = _items(store, item.meeting_id)
    by_id = {i.id: i for i in items}
    if parent_id is not None:
        if parent_id not in by_id:
            raise NotFound("agenda_items", parent_id)
        ancestor: AgendaItemId | None = parent_id
        while ancestor is not None:
            if ancestor == item_id:
                raise InvalidAgendaMove(item_id)
            ancestor = by_id[ancestor].parent_id if ancestor in by_id else None
    old_siblings = [i for i in children(items, item.parent_id) if i.id != item_id]
    new_siblings = [i for i in children(items, parent_id) if i.id != item_id]
    index = max(0, min(index, len(new_siblings)))
    new_siblings.insert(index, item)
    changed = {i.id: i for i in _renumber(new_siblings, parent_id)}
    if item.parent_id != parent_id:
        for i in _renumber(old_siblings, item.parent_id):
            changed.setdefault(i.id, i)
    saved = list(changed.values())
    if saved:
        services.save(store, *saved)
    return saved


def _place(store: Store, item_id: AgendaItemId) -> tuple[AgendaItem, list[AgendaItem]]:
    item = store.repos.agenda_items.get(item_id)
    return item, _items(store, item.meeting_id)


def move_up(store: Store, item_id: AgendaItemId) -> list[AgendaItem]:
    """Swap an item with the sibling before it; return saved rows (none at the top)."""
    item, items = _place(store, item_id)
    siblings = children(items, item.parent_id)
    index = [i.id for i in siblings].index(item_id)
    if index == 0:
        return []
    return move_item(store, item_id, item.parent_id, index - 1)


def move_down(store: Store, item_id: AgendaItemId) -> list[AgendaItem]:
    """Swap an item with the sibling after it; return saved rows (none at the bottom)."""
    item, items = _place(store, item_id)
    siblings = children(items, item.parent_id)
    index = [i.id for i in siblings].index(item_id)
    if index == len(siblings) - 1:
        return []
    return move_item(store, item_id, item.parent_id, index + 1)


def indent(store: Store, item_id: AgendaItemId) -> list[AgendaItem]:
    """Make an item the last sub-item of the sibling before it; return saved rows.

    Nothing happens to the first item of a level (it has no sibling before it).
    """
    item, items = _place(store, item_id)
    siblings = children(items, item.parent_id)
    index = [i.id for i in siblings].index(item_id)
    if index == 0:
        return []
    new_parent = siblings[index - 1]
    return move_item(store, item_id, new_parent.id, len(children(items, new_parent.id)))


def outdent(store: Store, item_id: AgendaItemId) -> list[AgendaItem]:
    """Move a sub-item up one level, right after its parent; return saved rows.

    Nothing happens to a top-level item.
    """
    item, items = _place(store, item_id)
    if item.parent_id is None:
        return []
    parent = next((i for i in items if i.id == item.parent_id), None)
    if parent is None:
        return move_item(store, item_id, None, len(children(items, None)))
    uncles = [i.id for i in children(items, parent.parent_id)]
    return move_item(store, item_id, parent.parent_id, uncles.index(parent.id) + 1)


def remove_item(store: Store, item_id: AgendaItemId) -> list[AgendaItem]:
    """Delete an item and its sub-items; their documents stay, moved to the meeting level.

    The remaining siblings are renumbered. Returns every saved row
    (tombstones included). Raises NotFound, and as ``services.save``.
    """
    item, items = _place(store, item_id)
    doomed = {item_id}
    grew = True
    while grew:
        more = {i.id for i in items if i.parent_id in doomed} - doomed
        grew = bool(more)
        doomed |= more
    tombs = [i.tombstoned() for i in items if i.id in doomed]
    rest = [i for i in children(items, item.parent_id) if i.id != item_id]
    renumbered = _renumber(rest, item.parent_id)
    detached = [
        d.touched(agenda_item_id=None)
        for d in services.documents(store, item.meeting_id).items
        if d.agenda_item_id in doomed
    ]
    services.save(store, *tombs, *renumbered, *detached)
    return tombs + renumbered
