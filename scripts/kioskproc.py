"""What the benchmark scripts and the Python tests share about running the wall as a child
process: a free loopback port, the environment of a headless wall, and the figures read from
/proc (PSS, RSS, threads, open descriptors). Imported by scripts/ and tests/ alike."""
import os
import socket


def free_port():
    """A port on 127.0.0.1 that nothing listens on now (the wall binds it a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def headless_env(**extra):
    """SDL's dummy drivers, so the wall runs without a display or sound card."""
    return dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", **extra)


def _first_number(path, prefix):
    # The process may have exited between two samples: that reads as 0, not an exception.
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(prefix):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid):
    return _first_number(f"/proc/{pid}/smaps_rollup", "Pss:")


def rss_kb(pid):
    return _first_number(f"/proc/{pid}/status", "VmRSS:")


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))
