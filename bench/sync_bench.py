"""Benchmark: the sync engine against a local server, next to plain ``requests``.

Run with ``.venv/bin/python bench/sync_bench.py`` (``--quick`` for a short
run). Everything happens in a temporary directory and on 127.0.0.1 only:

1. A fresh server data directory is migrated and seeded in-process through
   the server's own functions (``server.accounts.create_user``,
   ``server.mutations.apply_batch`` as a secretary, blob bytes of random,
   incompressible content through ``FileBlobStore``'s upload API): one
   published meeting with N documents (one version each) for a delegate, and
   a second published meeting with ~10,000 entities for another delegate.
2. ``meetingroom-server serve`` starts as a subprocess on a free port.
3. (a) Initial sync: plain ``requests`` downloads every blob to files with
   the engine's ``parallel_downloads`` threads, in a child process (no
   fsync); then ``SyncEngine.sync`` fills a fresh encrypted profile, in a
   child process whose peak RSS is read from ``/proc/self/status`` (VmHWM)
   (it fsyncs every document before marking it complete). The pair runs
   ``--rounds`` times, back to back, so that other work on the machine
   weighs on both sides of each ratio; the median round is reported.
4. (b) A no-change sync of a profile holding ~10,000 entities: median of 5.
5. (c) Device A saves an annotation and syncs; the time of device B's sync,
   from its start to the annotation being in B's store: median of 5.

The keyring is a plaintext file backend selected by a keyringrc.cfg under a
temporary XDG_CONFIG_HOME (as tests/conftest.py does); the insecure backend
is allowed only for those throwaway profiles. The figures are printed with
goals and PASS/MISS as information only: the script exits 0 whatever the
times are (1 only when it cannot set up).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import inspect
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _report import (
    HOST,
    Row,
    configure_file_keyring,
    elapsed,
    free_port,
    ms,
    print_table,
    progress,
    temp_dir,
)

BIN = Path(sys.executable).parent
SERVER_CMD = BIN / "meetingroom-server"
MB = 1_000_000
READ_BLOCK = 256 * 1024
BATCH = 500  # MAX_OPS of POST /api/v1/mutations
PASSWORD = "bench-password-2026"  # noqa: S105  throwaway accounts in a temp database
REPEATS = 5


def peak_rss_kib() -> int:
    """Return this process's peak RSS in KiB (VmHWM, else ru_maxrss)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def default_parallel_downloads() -> int:
    from sync.engine import SyncEngine

    return int(inspect.signature(SyncEngine).parameters["parallel_downloads"].default)


# -- child processes: one sync, or the plain downloads -------------------------------------


def child_engine(job: dict[str, Any]) -> dict[str, Any]:
    """Sign a fresh encrypted profile in and sync it once; return the figures."""
    from meetingroom.crypto import DeviceSecrets
    from meetingroom.store import Store
    from sync.auth import TokenStore
    from sync.engine import ProgressEvent, SyncEngine
    from sync.transport import Transport

    first_blob: list[float] = []

    def on_progress(event: ProgressEvent) -> None:
        if event.stage == "blobs" and not first_blob:
            first_blob.append(time.perf_counter())

    store = Store.create(
        Path(job["profile"]), device_secrets=DeviceSecrets(allow_insecure_backend=True)
    )
    try:
        engine = SyncEngine(
            store,
            Transport(job["url"]),
            TokenStore(allow_insecure_backend=True),
            on_progress=on_progress,
            parallel_downloads=job["parallel"],
        )
        engine.sign_in(job["username"], job["password"], "bench")
        rss_before = peak_rss_kib()
        t0 = time.perf_counter()
        report = engine.sync()
        t1 = time.perf_counter()
    finally:
        store.close()
    return {
        "seconds": t1 - t0,
        "blob_seconds": t1 - (first_blob[0] if first_blob else t0),
        "bytes": report.bytes_downloaded,
        "downloaded": report.downloaded,
        "pulled": report.pulled,
        "missing": len(report.missing),
        "errors": report.errors[:5],
        "rss_before_kib": rss_before,
        "peak_rss_kib": peak_rss_kib(),
    }


def child_plain(job: dict[str, Any]) -> dict[str, Any]:
    """Download every blob with plain ``requests`` to files; return the figures."""
    import requests

    session = requests.Session()
    r = session.post(
        f"{job['url']}/api/v1/login",
        json={
            "username": job["username"],
            "password": job["password"],
            "device_id": str(uuid.uuid4()),
            "device_name": "bench plain",
        },
        timeout=60,
    )
    r.raise_for_status()
    headers = {"Authorization": f"Bearer {r.json()['token']}"}
    out_dir = Path(job["out"])
    out_dir.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []

    def fetch(item: list[Any]) -> int:
        sha, size = str(item[0]), int(item[1])
        received = 0
        with (
            session.get(
                f"{job['url']}/api/v1/blobs/{sha}", headers=headers, stream=True, timeout=60
            ) as resp,
            (out_dir / sha).open("wb") as f,
        ):
            for block in resp.iter_content(READ_BLOCK):
                f.write(block)
                received += len(block)
        if resp.status_code != 200 or received != size:
            errors.append(f"{sha[:12]}: status {resp.status_code}, {received} of {size} bytes")
        return received

    t0 = time.perf_counter()
    with ThreadPoolExecutor(job["parallel"]) as pool:
        total = sum(pool.map(fetch, job["blobs"]))
    t1 = time.perf_counter()
    return {
        "seconds": t1 - t0,
        "bytes": total,
        "errors": errors[:5],
        "peak_rss_kib": peak_rss_kib(),
    }


def run_child(mode: str, job: dict[str, Any], temp: Path) -> dict[str, Any]:
    job_file = temp / f"job-{mode}.json"
    job_file.write_text(json.dumps(job))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, str(job_file)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"{mode} child failed: {done.stderr.strip()[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- seeding the server in-process --------------------------------------------------------


@dataclass
class Setup:
    blobs: list[tuple[str, int]]  # (sha256, size) of the documents meeting
    docs_user: str
    big_user: str
    big_user_id: str
    big_version: str
    big_entities: int


def _op(type_: str, ident: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "op_id": str(uuid.uuid4()),
        "type": type_,
        "action": "create",
        "id": ident,
        "base_rev": None,
        "fields": fields,
    }


def write_blob(store: Any, size: int) -> str:
    """Write ``size`` random bytes through FileBlobStore's upload API; return the sha256."""
    data = os.urandom(size)
    sha = hashlib.sha256(data).hexdigest()
    upload = store.begin_upload(sha, size, max(size, 1))
    view = memoryview(data)
    store.append(upload, 0, (view[i : i + READ_BLOCK] for i in range(0, size, READ_BLOCK)))
    store.complete(upload)
    return sha


def prepare(data: Path, documents: int, total_bytes: int, entities: int) -> Setup:
    from meetingroom.domain import Classification, MeetingStatus, Role
    from server import accounts
    from server.blobstore import FileBlobStore
    from server.config import Settings
    from server.db.engine import create_db_engine
    from server.db.migrate import upgrade
    from server.mutations import apply_batch

    data.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=data)
    engine = create_db_engine(settings.resolved_database_url)
    try:
        upgrade(engine)
        with engine.begin() as conn:
            secretary = accounts.create_user(
                conn, "bench.secretary", PASSWORD, Role.SECRETARY, Classification.NORMAL
            )
            docs_user = accounts.create_user(
                conn, "bench.delegate", PASSWORD, Role.DELEGATE, Classification.NORMAL
            )
            big_user = accounts.create_user(
                conn, "bench.big", PASSWORD, Role.DELEGATE, Classification.NORMAL
            )

        def apply(ops: list[dict[str, Any]]) -> None:
            for i in range(0, len(ops), BATCH):
                for r in apply_batch(engine, secretary, ops[i : i + BATCH]):
                    if r["status"] != "applied":
                        raise RuntimeError(f"apply_batch: {r}")

        def meeting(ident: str, title: str, user: accounts.User) -> list[dict[str, Any]]:
            return [
                _op(
                    "meeting",
                    ident,
                    {
                        "title": title,
                        "starts_at": "2030-12-01T01:00:00Z",
                        "ends_at": "2030-12-01T04:00:00Z",
                        "location": "",
                        "status": MeetingStatus.PUBLISHED.value,
                        "classification": Classification.NORMAL.value,
                        "description": "",
                    },
                ),
                _op(
                    "participant",
                    str(uuid.uuid4()),
                    {
                        "meeting_id": ident,
                        "display_name": user.display_name,
                        "role": Role.DELEGATE.value,
                        "clearance": Classification.NORMAL.value,
                        "user_id": user.id,
                        "title": "",
                    },
                ),
            ]

        def document(meeting_id: str, sha: str, size: int, n: int) -> tuple[str, list[Any]]:
            doc, version = str(uuid.uuid4()), str(uuid.uuid4())
            return version, [
                _op("document", doc, {"meeting_id": meeting_id, "title": f"Tài liệu {n + 1}"}),
                _op(
                    "document_version",
                    version,
                    {
                        "document_id": doc,
                        "number": 1,
                        "sha256": sha,
                        "size": size,
                        "page_count": 1,
                    },
                ),
            ]

        blob_store = FileBlobStore(settings.resolved_blob_dir)
        progress(f"writing {documents} random blobs, {total_bytes / MB:,.0f} MB in all")
        base = total_bytes // documents
        blobs: list[tuple[str, int]] = []
        for i in range(documents):
            size = base + (total_bytes - base * documents if i == documents - 1 else 0)
            blobs.append((write_blob(blob_store, size), size))
        docs_meeting = str(uuid.uuid4())
        ops = meeting(docs_meeting, "Bench: a meeting of many documents", docs_user)
        for i, (sha, size) in enumerate(blobs):
            ops += document(docs_meeting, sha, size, i)[1]
        apply(ops)

        progress(f"creating a meeting of {entities:,} entities for {big_user.username}")
        big = str(uuid.uuid4())
        small = write_blob(blob_store, 100_000)
        big_version, doc_ops = document(big, small, 100_000, 0)
        ops = meeting(big, "Bench: a meeting of many agenda items", big_user) + doc_ops
        ops += [
            _op(
                "agenda_item",
                str(uuid.uuid4()),
                {
                    "meeting_id": big,
                    "position": i,
                    "title": f"Mục {i + 1}: báo cáo tình hình thực hiện nhiệm vụ",
                    "parent_id": None,
                    "presenter": "Văn phòng Tỉnh ủy",
                    "planned_minutes": 5,
                },
            )
            for i in range(max(0, entities - len(ops)))
        ]
        apply(ops)
    finally:
        engine.dispose()
    return Setup(
        blobs, docs_user.username, big_user.username, big_user.id, big_version, max(entities, 4)
    )


# -- the server ------------------------------------------------------------------------------


def start_server(data: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    cmd = [str(SERVER_CMD), "serve", "--data", str(data), "--host", HOST, "--port", str(port)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"meetingroom-server exited with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/api/v1/health")
            status = conn.getresponse().status
            conn.close()
            if status < 500:
                return proc, port
        except OSError:
            pass
        time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"meetingroom-server did not answer on port {port} within 60 s")


def stop(proc: subprocess.Popen[bytes] | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


# -- (b) and (c): devices in this process ----------------------------------------------------


@dataclass
class Device:
    store: Any
    engine: Any


def open_device(path: Path, url: str, username: str) -> Device:
    from meetingroom.crypto import DeviceSecrets
    from meetingroom.store import Store
    from sync.auth import TokenStore
    from sync.engine import SyncEngine
    from sync.transport import Transport

    store = Store.create(path, device_secrets=DeviceSecrets(allow_insecure_backend=True))
    engine = SyncEngine(store, Transport(url), TokenStore(allow_insecure_backend=True))
    engine.sign_in(username, PASSWORD, path.name)
    return Device(store, engine)


def idle_syncs(device: Device) -> list[float]:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        report = device.engine.sync()
        times.append(time.perf_counter() - t0)
        if report.pulled or report.pushed or report.downloaded:
            raise RuntimeError(f"the no-change sync changed something: {report}")
    return times


def annotation_trips(a: Device, b: Device, setup: Setup) -> tuple[list[float], list[float]]:
    """Return (B's sync times until the annotation is in its store, A's save+push times)."""
    from meetingroom import services
    from meetingroom.domain import (
        Annotation,
        AnnotationId,
        AnnotationKind,
        DocumentVersionId,
        UserId,
    )
    from sync import remote

    repo = b.store.repos.for_table(remote.TABLE_BY_TYPE["annotation"])
    arrive: list[float] = []
    push: list[float] = []
    for i in range(REPEATS):
        ann = Annotation(
            id=AnnotationId(str(uuid.uuid4())),
            version_id=DocumentVersionId(setup.big_version),
            page=0,
            kind=AnnotationKind.HIGHLIGHT,
            geometry=((72.0, 700.0 - 20 * i, 300.0, 714.0 - 20 * i),),
            author_id=UserId(setup.big_user_id),
            text=f"bench {i}",
        )
        t0 = time.perf_counter()
        services.save(a.store, ann)
        if a.engine.sync().pushed != 1:
            raise RuntimeError("device A did not push its annotation")
        push.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b.engine.sync()
        found = repo.find(ann.id)
        arrive.append(time.perf_counter() - t0)
        if found is None or found.text != ann.text:
            raise RuntimeError("the annotation did not reach device B")
    return arrive, push


# -- report ---------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError, IndexError, ValueError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.1f} GiB RAM"
    return f"{cpu}, {os.cpu_count()} logical CPUs{mem}, {platform.system()} {platform.release()}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="40 documents, 50 MB")
    parser.add_argument("--documents", type=int, help="documents of the meeting (default 200)")
    parser.add_argument("--megabytes", type=float, help="their total size in MB (default 500)")
    parser.add_argument("--entities", type=int, default=10_000, help="entities of (b) and (c)")
    parser.add_argument("--dir", type=Path, default=None, help="parent of the temp dir")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of (a) (default 3)")
    args = parser.parse_args(argv)
    documents = args.documents or (40 if args.quick else 200)
    total = int((args.megabytes or (50 if args.quick else 500)) * MB)
    if documents < 1 or total < documents or args.entities < 4:
        parser.error("--documents, --megabytes and --entities (≥ 4) must be positive")

    def terminate(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)  # run the finally blocks: stop the server, clean up

    signal.signal(signal.SIGTERM, terminate)
    parallel = default_parallel_downloads()
    rows: list[Row] = []
    server: subprocess.Popen[bytes] | None = None
    devices: list[Device] = []
    rounds: list[tuple[dict[str, Any], dict[str, Any]]] = []
    with temp_dir(args.dir, "meetingroom-sync-bench-") as temp:
        saved_env = {k: os.environ.get(k) for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME")}
        os.environ.update(configure_file_keyring(temp / "keyring"))
        try:
            import keyring.core

            keyring.core._keyring_backend = None  # re-read the configuration
            data = temp / "server"
            setup = prepare(data, documents, total, args.entities)
            progress("starting meetingroom-server serve")
            server, port = start_server(data, temp / "server.log")
            url = f"http://{HOST}:{port}"
            job: dict[str, Any] = {"url": url, "username": setup.docs_user, "password": PASSWORD}
            job["parallel"] = parallel
            for round_ in range(1, args.rounds + 1):
                progress(
                    f"(a) round {round_}/{args.rounds}: plain requests, {documents} blobs, "
                    f"{parallel} threads"
                )
                plain = run_child(
                    "plain", {**job, "out": str(temp / "plain"), "blobs": setup.blobs}, temp
                )
                shutil.rmtree(temp / "plain", ignore_errors=True)
                progress(f"(a) round {round_}/{args.rounds}: SyncEngine.sync, fresh profile")
                synced = run_child("engine", {**job, "profile": str(temp / "profile-a")}, temp)
                shutil.rmtree(temp / "profile-a", ignore_errors=True)
                rounds.append((plain, synced))

            progress(f"(b) two devices of {setup.big_user}: initial sync of {setup.big_entities:,}")
            for name in ("device-a", "device-b"):
                device = open_device(temp / name, url, setup.big_user)
                devices.append(device)
                t0 = time.perf_counter()
                first = device.engine.sync()
                initial = time.perf_counter() - t0
                progress(f"  {name}: pulled {first.pulled:,} in {initial:,.2f} s")
            progress(f"(b) {REPEATS} no-change syncs")
            idle = idle_syncs(devices[0])
            progress(f"(c) {REPEATS} annotations from device A to device B")
            arrive, push = annotation_trips(devices[0], devices[1], setup)
        finally:
            for device in devices:
                with contextlib.suppress(Exception):
                    device.store.close()
            stop(server)
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value

    def round_ratio(pair: tuple[dict[str, Any], dict[str, Any]]) -> float:
        p, e = pair
        return float((e["bytes"] / e["seconds"]) / (p["bytes"] / p["seconds"]))

    by_ratio = sorted(rounds, key=round_ratio)
    plain, synced = by_ratio[len(by_ratio) // 2]  # the median round
    plain_mbps = plain["bytes"] / MB / plain["seconds"]
    sync_mbps = synced["bytes"] / MB / synced["seconds"]
    blob_mbps = synced["bytes"] / MB / synced["blob_seconds"]
    ratio = sync_mbps / plain_mbps
    rows.append(
        Row(
            f"(a) initial sync, {documents} documents: throughput",
            f"{sync_mbps:,.1f} MB/s",
            f"{plain_mbps:,.1f} MB/s",
            f"{ratio:.0%}",
            "≥ 70% of plain",
            ratio >= 0.7,
        )
    )
    rows.append(
        Row(
            "(a) initial sync: wall time",
            f"{synced['seconds']:,.2f} s",
            f"{plain['seconds']:,.2f} s",
            f"{synced['seconds'] / plain['seconds']:.2f}x",
        )
    )
    rows.append(
        Row(
            "(a) blobs stage only: throughput",
            f"{blob_mbps:,.1f} MB/s",
            f"{plain_mbps:,.1f} MB/s",
            f"{blob_mbps / plain_mbps:.0%}",
        )
    )
    rows.append(
        Row(
            f"(a) throughput ratio of each of {len(rounds)} rounds",
            "",
            ratio=", ".join(f"{round_ratio(r):.0%}" for r in rounds),
        )
    )
    rss = max(e["peak_rss_kib"] for _, e in rounds) / 1024
    rows.append(
        Row(
            "(a) peak RSS of the sync process",
            f"{rss:,.0f} MiB",
            f"{plain['peak_rss_kib'] / 1024:,.0f} MiB",
            f"{rss * 1024 / plain['peak_rss_kib']:.2f}x",
            "< 250 MB",
            rss * 1.048576 < 250,
        )
    )
    errors = [err for p, e in rounds for err in (*p["errors"], *e["errors"])]
    complete = all(e["downloaded"] == documents and not e["missing"] for _, e in rounds)
    rows.append(
        Row(
            "(a) documents stored and verified / errors",
            f"{synced['downloaded']} / {len(errors)}",
            goal=f"{documents} / 0",
            passed=complete and not errors,
        )
    )
    idle_med = statistics.median(idle)
    rows.append(
        Row(
            f"(b) no-change sync, {setup.big_entities:,} entities: median of {REPEATS}",
            ms(idle_med),
            ratio=f"min {ms(min(idle))}, max {ms(max(idle))}",
            goal="< 300 ms",
            passed=idle_med < 0.3,
        )
    )
    arrive_med = statistics.median(arrive)
    rows.append(
        Row(
            f"(c) annotation to device B: B's sync, median of {REPEATS}",
            ms(arrive_med),
            ratio=f"min {ms(min(arrive))}, max {ms(max(arrive))}",
            goal="< 1 s",
            passed=arrive_med < 1.0,
        )
    )
    rows.append(Row("(c) device A: save + sync (push), median", ms(statistics.median(push))))

    print()
    print("MeetingRoom sync benchmark: SyncEngine against a local meetingroom-server")
    print(f"  machine: {machine()}")
    print(f"  Python {platform.python_version()}; server: meetingroom-server serve (defaults),")
    print("  SQLite in a temp data dir; all traffic on 127.0.0.1; blobs just written (warm cache)")
    print(
        f"  (a) {documents} documents, {total / MB:,.0f} MB of random bytes; "
        f"parallel_downloads={parallel} for both; baseline: plain requests (one Session, "
        f"{READ_BLOCK // 1024} KiB iter_content) to files, in its own child process"
    )
    print(
        "      the sync time covers sync() (pull + blobs, encrypted profile); sign-in excluded; "
        "RSS is each child's VmHWM"
    )
    print(
        f"  (b)/(c) one user, two devices, each holding {setup.big_entities:,} entities "
        "(a meeting, its participant, 1 document version, agenda items)"
    )
    print()
    print_table(rows)
    if errors:
        print()
        print("Errors:")
        for text in errors:
            print(f"  {text}")
    print()
    print(f"  total run time: {elapsed():,.1f} s")
    print("PASS/MISS is information only; this benchmark never fails on time.")
    return 0


def child_main(mode: str, job_file: str) -> int:
    job = json.loads(Path(job_file).read_text())
    result = child_engine(job) if mode == "engine" else child_plain(job)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        sys.exit(child_main(sys.argv[2], sys.argv[3]))
    try:
        sys.exit(main())
    except RuntimeError as exc:
        print(f"sync_bench: error: {exc}", file=sys.stderr)
        sys.exit(1)
