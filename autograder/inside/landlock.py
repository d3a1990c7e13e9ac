"""Landlock: an allowlist of the file system that a process puts on itself, without namespaces.

Where bubblewrap cannot create namespaces (a container without privileges, as Gradescope's
often is), the forked child still restricts itself before any student code runs: it may read
only the folders and files it is given, write only its scratch folder, open no TCP
connection, and signal no process outside its own domain (ptrace, and so reading another
process's memory, is refused by Landlock too).  The kernel keeps the restriction for the
process and all it starts; nothing undoes it.

Linux's Landlock ABI: ``landlock_create_ruleset`` (444), ``landlock_add_rule`` (445),
``landlock_restrict_self`` (446); each ABI version handles more rights (1: the file system,
2: renames across folders, 3: truncation, 4: TCP, 5: device ioctls, 6: signals and abstract
sockets).  ``abi()`` is 0 where the kernel has no Landlock or refuses it.
"""

import ctypes
import os

_CREATE, _ADD_RULE, _RESTRICT = 444, 445, 446
_VERSION_FLAG = 1
_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

# file system rights, by the ABI that brought them
_EXECUTE, _WRITE_FILE, _READ_FILE, _READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_ABI1_ALL = (1 << 13) - 1  # EXECUTE ... MAKE_SYM
_REFER, _TRUNCATE, _IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_FILE_RIGHTS = _EXECUTE | _WRITE_FILE | _READ_FILE | _TRUNCATE | _IOCTL_DEV  # the rights a file (not a folder) takes
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX, _SCOPE_SIGNAL = 1 << 0, 1 << 1


class _Ruleset(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long


def abi():
    """The kernel's Landlock ABI version, or 0 when there is none."""
    version = _libc.syscall(_CREATE, None, ctypes.c_size_t(0), ctypes.c_uint32(_VERSION_FLAG))
    return max(0, version)


def _handled(version):
    fs = _ABI1_ALL
    if version >= 2:
        fs |= _REFER
    if version >= 3:
        fs |= _TRUNCATE
    if version >= 5:
        fs |= _IOCTL_DEV
    net = _NET_BIND_TCP | _NET_CONNECT_TCP if version >= 4 else 0
    scoped = _SCOPE_ABSTRACT_UNIX | _SCOPE_SIGNAL if version >= 6 else 0
    return fs, net, scoped


def prepare(read, write):
    """A ruleset (a file descriptor) allowing to read and execute ``read`` and to do anything
    in ``write``; paths that do not exist are left out.  Called before the process drops its
    privileges (opening a path needs the right to pass its folders); ``restrict`` applies it."""
    version = abi()
    if version < 1:
        raise OSError("Landlock is not available")
    fs, net, scoped = _handled(version)
    attr = _Ruleset(fs, net, scoped)
    size = ctypes.sizeof(_Ruleset) if version >= 6 else (16 if version >= 4 else 8)
    ruleset = _libc.syscall(_CREATE, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    reading = _EXECUTE | _READ_FILE | _READ_DIR
    for paths, rights in ((read, reading), (write, fs)):
        for path in paths:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                allowed = rights if os.path.isdir(path) else rights & _FILE_RIGHTS
                rule = _PathBeneath(allowed & fs, fd)
                if _libc.syscall(_ADD_RULE, ruleset, _PATH_BENEATH, ctypes.byref(rule), ctypes.c_uint32(0)) != 0:
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
            finally:
                os.close(fd)
    return ruleset


def restrict(ruleset):
    """Put the ruleset on this process (and all it will start), for good."""
    if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if _libc.syscall(_RESTRICT, ruleset, ctypes.c_uint32(0)) != 0:
        raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    os.close(ruleset)
