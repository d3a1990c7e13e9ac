"""Where student code may write: a private folder per run, one per worker, and a scratch
folder per notebook (a private copy of the submission's folder: the student's working
directory, HOME and TMPDIR), deleted after grading, with a disk quota."""

import ctypes
import os
import shutil
import stat
import tempfile

from autograder import settings as config
from autograder.sandbox.bwrap import can_drop_privileges

SCRATCH_MAX_BYTES = 50 * 1024 * 1024  # of the submission's folder copied into its scratch folder


def _mount_tmpfs(path, size, inodes):
    """Mount a tmpfs of ``size`` bytes at ``path``; False where this process may not mount."""
    libc = ctypes.CDLL(None, use_errno=True)
    options = f"size={size},nr_inodes={inodes},mode=0755".encode()
    return libc.mount(b"tmpfs", path.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options) == 0


MS_NOSUID, MS_NODEV, MNT_DETACH, UMOUNT_NOFOLLOW = 2, 4, 2, 8
HOME_BYTES = 16 * 1024 * 1024  # room in a worker's tmpfs for its home (matplotlib's font list)


def _usage(folder, most):
    """(bytes on disk, entries) under ``folder``, counting no further than ``most`` entries."""
    used = entries = 0
    pending = [folder]
    while pending and entries <= most:
        try:
            with os.scandir(pending.pop()) as listing:
                for entry in listing:
                    entries += 1
                    try:
                        used += entry.stat(follow_symlinks=False).st_blocks * 512
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(entry.path)
                    except OSError:
                        pass
        except OSError:
            pass
    return used, entries


class ScratchArea:
    """A private folder per run, with a folder per worker and a scratch folder per notebook.

    A notebook may write at most course_config.DISK_LIMIT_MB (and DISK_LIMIT_FILES files):
    as root each worker's folder is a tmpfs of that size, so the machine's disk never fills
    and the measure is one statvfs; elsewhere what a notebook wrote is counted as it runs
    (``over_quota``, every few tenths of a second), and it is stopped once over."""

    def __init__(self):
        sweep()
        self.root = tempfile.mkdtemp(prefix=PREFIX)
        os.chmod(self.root, 0o711)  # workers' users pass through to their own folders
        with open(os.path.join(self.root, OWNER), "w") as f:
            f.write(_process_id(os.getpid()) or "")
        self.tmpfs = set()  # the worker folders that are tmpfs mounts
        self._before = {}  # scratch folder: its worker folder's usage once the copy was made

    @property
    def limit_bytes(self):
        return config.DISK_LIMIT_MB * 1024 * 1024

    def worker_folder(self, slot):
        path = os.path.join(self.root, f"worker-{slot}")
        if not os.path.isdir(path):
            os.makedirs(path)
            size = self.limit_bytes + SCRATCH_MAX_BYTES + HOME_BYTES
            if can_drop_privileges() and _mount_tmpfs(path, size, config.DISK_LIMIT_FILES + 1000):
                self.tmpfs.add(path)
        return path

    def used(self, folder):
        """(bytes, entries) in a worker's folder."""
        if folder in self.tmpfs:
            fs = os.statvfs(folder)
            return (fs.f_blocks - fs.f_bfree) * fs.f_frsize, fs.f_files - fs.f_ffree
        return _usage(folder, config.DISK_LIMIT_FILES + 1000)

    def over_quota(self, scratch):
        """Why the notebook in ``scratch`` has written too much since it started, or None."""
        before = self._before.get(scratch)
        if before is None:
            return None
        used, entries = self.used(os.path.dirname(scratch))
        if used - before[0] > self.limit_bytes:
            return f"wrote more than {config.DISK_LIMIT_MB} MB"
        if entries - before[1] > config.DISK_LIMIT_FILES:
            return f"made more than {config.DISK_LIMIT_FILES} files"
        return None

    def copy(self, files, slot, ids=None):
        """A scratch copy of ``files`` ([(path, name in the scratch folder)], up to a size
        budget), owned by the user ``ids`` that student code will run as.  Only regular files
        are copied, never a symbolic link, each under a plain name in the scratch folder itself."""
        scratch = tempfile.mkdtemp(dir=self.worker_folder(slot), prefix="submission-")
        budget = SCRATCH_MAX_BYTES
        for path, name in files:
            plain = name not in ("", ".", "..") and os.path.basename(name) == name
            if plain and os.path.isfile(path) and not os.path.islink(path):
                size = os.path.getsize(path)
                if size <= budget:
                    budget -= size
                    shutil.copy(path, os.path.join(scratch, name))
        if ids:
            for folder_, _, files in os.walk(scratch):
                os.chown(folder_, *ids)
                for f in files:
                    os.chown(os.path.join(folder_, f), *ids)
        os.chmod(scratch, 0o700)
        self._before[scratch] = self.used(os.path.dirname(scratch))
        return scratch

    def remove(self, scratch):
        """Delete a notebook's scratch folder, and anything else it left in its worker's
        folder (without root, student code runs as the grading user and could write there)."""
        self._before.pop(scratch, None)
        shutil.rmtree(scratch, ignore_errors=True)
        folder = os.path.dirname(scratch)
        for name in os.listdir(folder):
            if name != "home":
                path = os.path.join(folder, name)
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    try:
                        os.remove(path)
                    except OSError:
                        pass

    def close(self):
        _unmount(self.tmpfs)
        self.tmpfs.clear()
        shutil.rmtree(self.root, ignore_errors=True)


PREFIX = "autograder-grading-"
OWNER = "owner"  # in an area: the process that made it, as ``_process_id`` names it


def _process_id(pid):
    """ "<pid> <start time>" of a running process (a pid alone may be reused), or None."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f"{pid} {f.read().rsplit(b')', 1)[1].split()[19].decode()}"
    except (OSError, IndexError):
        return None


def _unmount(paths):
    libc = ctypes.CDLL(None, use_errno=True)
    for path in paths:  # never through a symbolic link
        libc.umount2(path.encode(), MNT_DETACH | UMOUNT_NOFOLLOW)


def sweep():
    """Remove the areas of processes that ended without closing them (``kill -9`` of a class
    run or of the grading service), with their workers' tmpfs mounts."""
    top = tempfile.gettempdir()
    for name in os.listdir(top):
        if not name.startswith(PREFIX):
            continue
        area = os.path.join(top, name)
        try:  # an area this user made: another's folder of that name is not read, nor unmounted
            info = os.lstat(area)
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
                continue
            with open(os.path.join(area, OWNER)) as f:
                owner = f.read().strip()
        except OSError:  # not an area, or one of before the owner file
            continue
        if not owner or _process_id(owner.split()[0]) == owner:
            continue
        _unmount(os.path.join(area, w) for w in os.listdir(area) if w.startswith("worker-"))
        shutil.rmtree(area, ignore_errors=True)
