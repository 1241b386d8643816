#!/usr/bin/env python3
"""Measures crmq's start-up: from launching it in a pseudo-terminal to its first prompt.

    python3 Tests/pty/startup.py PATH/TO/crmq [RUNS] [EXTRA ARGS...]

Prints each run and the median, in milliseconds: the wall time, and the CPU time crmq used up
to the prompt (all its threads; read from /proc on Linux), which other work on the machine
disturbs less. Use a release build for the figure in BENCHMARKS.md: swift build -c release,
then .build/release/crmq.
"""

import os
import statistics
import sys
import tempfile
import time

import pexpect


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    crmq = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    extra = sys.argv[3:]
    history = os.path.join(tempfile.mkdtemp(prefix="crmq-startup-"), "history")
    env = dict(os.environ, CRMQ_HISTORY=history, TERM="xterm-256color")
    times, cpu = [], []
    for i in range(runs):
        started = time.perf_counter()
        child = pexpect.spawn(crmq, extra, env=env, encoding="utf-8", timeout=60, dimensions=(40, 120))
        child.expect_exact("crmq> ")
        times.append((time.perf_counter() - started) * 1000)
        cpu.append(cpu_ms(child.pid))
        child.send("\x04")
        child.expect(pexpect.EOF)
        child.close()
        print("run %2d: %6.1f ms wall, %6.1f ms CPU" % (i + 1, times[-1], cpu[-1]))
    print("median %.1f ms wall (min %.1f, max %.1f), %.1f ms CPU, over %d runs" % (
        statistics.median(times), min(times), max(times), statistics.median(cpu), runs))


def cpu_ms(pid):
    """User and system time of a process so far, in milliseconds (nan where /proc is missing)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


if __name__ == "__main__":
    main()
