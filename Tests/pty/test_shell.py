#!/usr/bin/env python3
"""Drives the real crmq binary in a pseudo-terminal, as a person at the keyboard would.

Typing, multi-line statements, Tab completion, history across runs, Ctrl-C (on the input and on
a running query), Ctrl-D, the shortcuts, width fitting and charts; and, without a terminal,
piped input that prints byte for byte what `-f` prints.

pexpect makes the pseudo-terminal itself, so this runs without a terminal of its own (in CI).

    python3 Tests/pty/test_shell.py [PATH/TO/crmq]

The binary defaults to $CRMQ_BIN, then to the debug build. The last line is "N passed, M failed";
the exit status is 1 on any failure.

No test waits for time to pass before a key press, and none depends on how fast the machine is:
each waits for what crmq prints. A running statement is made with the test hook
CRMQ_TEST_HOLD_STATEMENTS=1, which holds it in its scan until it is cancelled and first prints
HOLD_MARKER on standard error, so Ctrl-C is sent only once the statement is known to be running.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
import traceback

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROMPT = "crmq> "
CONTINUATION = "...> "
BASE = ["--today", "2026-06-15"]
SMALL = ["--scale", "0.002"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
WORK = tempfile.mkdtemp(prefix="crmq-pty-")
HOLD_MARKER = "crmq-test: statement held"
STATEMENT_THREAD = "crmq-statement"


def binary():
    if len(sys.argv) > 1:
        return os.path.abspath(sys.argv[1])
    if os.environ.get("CRMQ_BIN"):
        return os.environ["CRMQ_BIN"]
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
    return os.path.join(bin_path, "crmq")


CRMQ = binary()


def environment(history, **extra):
    env = dict(os.environ, CRMQ_HISTORY=history, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("NO_COLOR", None)
    env.pop("COLUMNS", None)
    env["PAGER"] = ""  # no pager unless a test asks for one (psql's convention: set but empty)
    env.update(extra)
    return env


def spawn(args=None, history=None, columns=120, timeout=60, **env):
    history = history or os.path.join(WORK, "history-%d" % time.monotonic_ns())
    child = pexpect.spawn(CRMQ, BASE + (SMALL if args is None else args), env=environment(history, **env),
                          encoding="utf-8", timeout=timeout, dimensions=(40, columns), cwd=ROOT)
    child.expect_exact(PROMPT)
    return child


def run_line(child, line):
    """Types a line and Enter, and returns what came back before the next prompt, without colour."""
    child.send(line + "\r")
    child.expect_exact(PROMPT)
    return ANSI.sub("", child.before)


def quit_with_ctrl_d(child):
    child.send("\x04")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, "exit status %r" % child.exitstatus


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def statement_threads(pid):
    """How many of the process's threads run a statement (the runner names them)."""
    count = 0
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, task)) as f:
                count += f.read().strip() == STATEMENT_THREAD
        except OSError:
            pass  # the thread ended while we looked
    return count


def cpu_ticks(pid):
    """User and system time the process has used so far, in clock ticks (all its threads)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def check_idle(pid):
    """The process at its prompt uses no CPU: its CPU time does not grow across a short window.

    The window is not a guess at how long something takes: an idle process gains nothing in any
    window, and a statement left spinning (the held one spins) would gain ticks in any window, more
    the longer it is. A slower or busier machine only makes such a thread gain fewer; 2 ticks
    (20 ms) allow for the noise of the line editor and the signal thread."""
    before = cpu_ticks(pid)
    time.sleep(0.5)
    gained = cpu_ticks(pid) - before
    check(gained <= 2, "crmq used %d ticks of CPU at its prompt: is a statement still running?" % gained)
    return gained


def start_held_statement(child, line):
    """Types a statement that the test hook holds in its scan; returns once it is known to run."""
    child.send(line + "\r")
    child.expect_exact(HOLD_MARKER)
    check(statement_threads(child.pid) == 1, "the statement runs on its own thread")


# Each test is a function named test_*; they run in the order written.

def test_typing_a_query():
    child = spawn()
    out = run_line(child, "count opportunities by stage")
    check("Closed Won" in out and "Contract signed" in out and "(14 rows)" in out, out)
    check("\x1b[1mstage" in child.before, "headers are bold at a terminal")
    quit_with_ctrl_d(child)


def test_a_multi_line_statement():
    child = spawn()
    child.send("count opportunities where\r")
    child.expect_exact(CONTINUATION)
    out = run_line(child, 'stage = "Proposal"')
    check("count" in out and "(1 row)" in out, out)
    # An open parenthesis asks for more too.
    child.send('count leads where source in ("ad",\r')
    child.expect_exact(CONTINUATION)
    out = run_line(child, '"event") by source')
    check("(2 rows)" in out, out)
    quit_with_ctrl_d(child)


def test_completing_an_entity():
    child = spawn()
    child.send("find opp\t")
    child.expect_exact("ortunities ")
    out = run_line(child, "limit 1")
    check("(1 row)" in out, out)
    quit_with_ctrl_d(child)


def test_completing_a_segment_defined_at_the_prompt():
    child = spawn()
    run_line(child, "define segment small_accounts as accounts where employees < 20")
    child.send("find small_acc\t")
    child.expect_exact("ounts ")
    out = run_line(child, "limit 1")
    check("(1 row)" in out, out)
    child.send("count contacts where account in sma\t")
    child.expect_exact("ll_accounts ")
    out = run_line(child, "")
    check("count" in out and "(1 row)" in out, out)
    quit_with_ctrl_d(child)


def test_completing_a_field_and_a_dot_path():
    child = spawn()
    child.send("find opportunities where clo\t")
    child.expect_exact("se_date ")
    child.send("< today show account.ind\t")
    child.expect_exact("ustry ")
    out = run_line(child, "limit 2")
    check("account.industry" in out and "(2 rows)" in out, out)
    quit_with_ctrl_d(child)


def test_completing_a_stage_value():
    child = spawn()
    child.send('count opportunities where stage = "Neg\t')
    child.expect_exact('otiation" ')
    # Without the completion "Neg" would be an error: not a value of stage.
    out = run_line(child, "")
    check("(1 row)" in out and "error" not in out, out)
    quit_with_ctrl_d(child)


def test_completing_a_dot_command_and_a_file_name():
    child = spawn()
    child.send(".rea\t")
    child.expect_exact("d ")
    child.send("examples/01\t")
    child.expect_exact("-pipeline.crmq ")
    out = run_line(child, "")
    check("Prospecting" in out and "error" not in out, out)
    quit_with_ctrl_d(child)


def test_listing_candidates_when_they_differ():
    child = spawn()
    child.send("find opportunities where stage = \"Closed \t")
    child.expect_exact('"Closed Won"')
    child.expect_exact('"Closed Lost"')
    child.send("\x03")
    child.expect_exact(PROMPT)
    quit_with_ctrl_d(child)


def test_history_across_two_runs():
    history = os.path.join(WORK, "history-across-runs")
    first = spawn(history=history)
    out = run_line(first, "count leads by status")
    check("(5 rows)" in out, out)
    run_line(first, "count users")
    quit_with_ctrl_d(first)
    check(os.path.exists(history), "the history file is written on exit")

    second = spawn(history=history)
    # Up twice: the statement before the last. (libedit redraws only what changes, so the
    # screen never shows the recalled line whole: its result proves it.)
    out = run_line(second, "\x1b[A\x1b[A")
    check("(5 rows)" in out and "converted" in out, out)
    # Ctrl-R searches the history. libedit reads the keys one by one in order, however fast they
    # come: Enter ends the search and runs the line found.
    second.send("\x12users\r")
    second.expect_exact("(1 row)")
    second.expect_exact(PROMPT)
    quit_with_ctrl_d(second)


def test_ctrl_c_clears_the_input():
    child = spawn()
    child.send("find opportunities where stage")
    child.send("\x03")
    child.expect_exact("^C")
    child.expect_exact(PROMPT)
    out = run_line(child, "count users")
    check("(1 row)" in out and "error" not in out, out)
    # In a continued statement it drops all of it.
    child.send("count leads where\r")
    child.expect_exact(CONTINUATION)
    child.send("\x03")
    child.expect_exact(PROMPT)
    out = run_line(child, "count users")
    check("(1 row)" in out and "error" not in out, out)
    quit_with_ctrl_d(child)


def test_ctrl_c_cancels_a_running_query():
    child = spawn(SMALL, CRMQ_TEST_HOLD_STATEMENTS="1")
    check(statement_threads(child.pid) == 0, "no statement thread at the prompt")
    start_held_statement(child, "find activities order by subject")
    child.sendintr()
    child.expect_exact("cancelled")
    child.expect_exact(PROMPT)
    # The worker was joined before the prompt came back: no thread of the statement is left.
    check(statement_threads(child.pid) == 0, "the statement's thread is still there after Ctrl-C")
    check_idle(child.pid)
    # Changes are cancelled too, and change nothing.
    start_held_statement(child, 'update activities set subject = "gone"')
    child.sendintr()
    child.expect_exact("cancelled")
    child.expect_exact(PROMPT)
    check(statement_threads(child.pid) == 0, "the change's thread is still there after Ctrl-C")
    check_idle(child.pid)
    out = run_line(child, ".timeout")  # shell commands are not held
    check("timeout: off" in out, out)
    quit_with_ctrl_d(child)


def test_timeout_cancels_a_running_query():
    child = spawn(SMALL, CRMQ_TEST_HOLD_STATEMENTS="1")
    run_line(child, ".timeout 0.2")
    child.send("count opportunities by stage\r")
    child.expect_exact(HOLD_MARKER)
    child.expect_exact("cancelled: the statement ran longer than the 0.2 s timeout (.timeout)")
    child.expect_exact(PROMPT)
    check(statement_threads(child.pid) == 0, "the statement's thread is still there after the timeout")
    check_idle(child.pid)
    out = run_line(child, ".timeout off")
    check("error" not in out, out)
    quit_with_ctrl_d(child)


def test_ctrl_d_exits_and_a_quit_does_too():
    child = spawn()
    child.send("\x04")
    child.expect(pexpect.EOF)
    child.close()
    check(child.exitstatus == 0, "Ctrl-D exit status %r" % child.exitstatus)
    child = spawn()
    child.send("quit\r")
    child.expect(pexpect.EOF)
    child.close()
    check(child.exitstatus == 0, "quit exit status %r" % child.exitstatus)


SANDBOX_PROMPT = "crmq (sandbox)> "
LEAVING = "apply it before leaving? (y/N) "


def sandbox_line(child, line, expect=SANDBOX_PROMPT):
    """Types a line in a sandbox and returns what came back before `expect`, without colour."""
    child.send(line + "\r")
    child.expect_exact(expect)
    return ANSI.sub("", child.before)


def test_the_prompt_says_sandbox_and_leaving_asks():
    child = spawn()
    out = sandbox_line(child, "sandbox")
    check("sandbox started" in out, "sandbox said %r" % out)
    out = sandbox_line(child, 'update opportunities set value = 1 where id = 1')
    check("updated 1 opportunity" in out, "update said %r" % out)
    # The prompt is back to plain once the sandbox ends.
    out = sandbox_line(child, "sandbox discard", PROMPT)
    check("discarded the sandbox: 1 statement undone" in out, "discard said %r" % out)
    sandbox_line(child, "sandbox")
    sandbox_line(child, 'update opportunities set value = 1 where id = 1')
    # Ctrl-D asks; Ctrl-C at the question goes back to the prompt, the sandbox still open.
    child.send("\x04")
    child.expect_exact("a sandbox is open (1 statement): " + LEAVING)
    child.send("\x03")
    child.expect_exact(SANDBOX_PROMPT)
    # Enter (no) discards, says so, and leaves.
    child.send("quit\r")
    child.expect_exact(LEAVING)
    child.send("\r")
    child.expect_exact("discarded the sandbox: 1 statement undone")
    child.expect(pexpect.EOF)
    child.close()
    check(child.exitstatus == 0, "exit status %r" % child.exitstatus)


def test_leaving_a_sandbox_with_yes_applies_it():
    path = os.path.join(WORK, "sandbox-%d.crmq" % time.monotonic_ns())
    subprocess.run([CRMQ] + BASE + SMALL + ["-c", 'save "%s"' % path], check=True, capture_output=True)
    child = spawn([path])
    sandbox_line(child, "sandbox")
    sandbox_line(child, 'update opportunities set value = 7 where id = 1')
    child.send("\x04")
    child.expect_exact(LEAVING)
    child.send("y\r")
    child.expect_exact("applied the sandbox: 1 statement, 1 record changed, committed as one transaction")
    child.expect(pexpect.EOF)
    child.close()
    check(child.exitstatus == 0, "exit status %r" % child.exitstatus)
    out = subprocess.run([CRMQ, path, "-c", "find opportunities where id = 1 show value"], check=True,
                         capture_output=True, text=True).stdout
    check("7.00" in out, "the file holds %r" % out)


def test_ctrl_z_suspends_and_fg_resumes():
    # Stopping needs a job-control shell: pexpect's own child is a session leader, whose
    # process group the kernel never stops.
    history = os.path.join(WORK, "history-ctrl-z")
    shell = pexpect.spawn("bash", ["--norc", "--noprofile", "-i"], env=environment(history, PS1="$ "),
                          encoding="utf-8", timeout=60, dimensions=(40, 120), cwd=ROOT)
    shell.expect_exact("$ ")
    shell.send("'%s' %s\r" % (CRMQ, " ".join(BASE + SMALL)))
    shell.expect_exact(PROMPT)
    shell.send("count us")
    shell.expect_exact("count us")  # libedit has read and echoed it
    shell.send("\x1a")
    shell.expect("Stopped")
    shell.expect_exact("$ ")
    shell.send("fg\r")
    shell.expect_exact(PROMPT)  # libedit redraws its line once it runs again
    shell.send("ers\r")
    shell.expect_exact("(1 row)")
    shell.expect_exact(PROMPT)
    shell.send("\x04")
    shell.expect_exact("$ ")
    shell.send("exit\r")
    shell.expect(pexpect.EOF)


def test_help_topic_at_the_prompt():
    child = spawn()
    # The topic shows its queries after "crmq> " as if typed: wait for the last result.
    child.send("help funnel\r")
    child.expect_exact("the funnel report")
    child.expect_exact("crmq> report funnel")
    child.expect_exact("avg_value")
    child.expect_exact("(8 rows)")
    child.expect_exact('crmq> report funnel for pipeline "Enterprise"')
    child.expect_exact("Meeting booked")
    child.expect_exact("(6 rows)")
    child.expect_exact(PROMPT)
    out = run_line(child, ".help forcast")
    check('did you mean "forecast"?' in out, out)
    quit_with_ctrl_d(child)


def test_tables_fit_the_terminal():
    child = spawn(columns=60)
    out = run_line(child, "find opportunities")
    lines = [l for l in out.split("\r\n")[1:] if l]
    check(all(len(l) <= 60 for l in lines), "\n".join(l for l in lines if len(l) > 60))
    check("…" in out, "long names are cut with an ellipsis")
    check("showing 50 of 2,000 rows" in out, out[-300:])
    quit_with_ctrl_d(child)


def test_a_chart():
    child = spawn(SMALL + ["--chart"])
    out = run_line(child, "count opportunities by stage")
    check("█" in out and "Prospecting" in out, out)
    run_line(child, ".chart funnel")
    out = run_line(child, 'count stage_changes where to_stage != "Closed Lost" by to_stage')
    check("of first" in out and "100%" in out, out)
    quit_with_ctrl_d(child)


def test_no_colour_with_NO_COLOR():
    child = spawn(NO_COLOR="1")
    child.send("count users\r")
    child.expect_exact(PROMPT)
    check("\x1b[1m" not in child.before and "\x1b[2m" not in child.before, repr(child.before))
    quit_with_ctrl_d(child)


def test_reports_draw_their_chart_at_a_terminal():
    child = spawn(columns=100, NO_COLOR="1")
    # The funnel's table, then its bars; the dashboard is one panel, without a table.
    out = run_line(child, "report funnel")
    check("| reached |" in out and "\u2588" in out, out[-600:])
    check("\x1b[" not in child.before, "no colour with NO_COLOR")
    out = run_line(child, "report dashboard")
    check("open deals by stage" in out and "| value" not in out, out[-600:])
    check(len([l for l in out.split("\r\n") if l]) <= 24, "the dashboard fits one screen")
    quit_with_ctrl_d(child)


def test_no_edit_reads_plain_lines_without_prompts():
    history = os.path.join(WORK, "history-no-edit")
    child = pexpect.spawn(CRMQ, BASE + SMALL + ["--no-edit"], env=environment(history), encoding="utf-8",
                          timeout=60, dimensions=(40, 120), cwd=ROOT)
    # A statement over two lines runs once whole; the terminal echoes what is typed, crmq adds no prompt.
    child.send("count opportunities where\r")
    child.send('stage = "Proposal"\r')
    child.expect_exact("(1 row)")
    # Ctrl-C drops the line being typed: the terminal driver erases it and echoes ^C, and crmq
    # ends the line once it has taken the interrupt, which is what the test waits for.
    child.send("count leads wh")
    child.sendintr()
    child.expect_exact("^C\r\n")
    child.send("count users\r")
    child.expect_exact("(1 row)")
    out = ANSI.sub("", child.before)
    check("error" not in out, out)
    child.send("\x04")
    child.expect(pexpect.EOF)
    child.close()
    seen = ANSI.sub("", child.before or "")
    check(child.exitstatus == 0, "exit status %r" % child.exitstatus)
    check(PROMPT not in out + seen and CONTINUATION not in out + seen, "no prompts with --no-edit")
    check(not os.path.exists(history), "no history without line editing")


def test_piped_input_prints_what_dash_f_prints():
    script = ("count users\n.chart on\ncount opportunities by stage\n.format csv\n"
              "find leads where score > 90 show last_name, source order by id limit 5\n"
              "find opportunities where stage = \"Negociation\"\n")
    path = os.path.join(WORK, "script.crmq")
    with open(path, "w") as f:
        f.write(script)
    env = environment(os.path.join(WORK, "unused-history"))
    from_file = subprocess.run([CRMQ] + BASE + SMALL + ["-f", path], capture_output=True, env=env, cwd=ROOT)
    piped = subprocess.run([CRMQ] + BASE + SMALL, input=script.encode(), capture_output=True, env=env, cwd=ROOT)
    dash = subprocess.run([CRMQ] + BASE + SMALL + ["-f", "-"], input=script.encode(), capture_output=True, env=env, cwd=ROOT)
    check(from_file.returncode == 1 and piped.returncode == 1, "the misspelt stage fails both")
    check(piped.stdout == from_file.stdout, "stdout differs between a pipe and -f")
    check(dash.stdout == from_file.stdout, "stdout differs between -f - and -f")
    check(b"crmq>" not in piped.stdout and b"\x1b" not in piped.stdout, "no prompt and no colour on a pipe")
    check(b"\x1b" not in piped.stderr, "no colour in errors on a pipe")
    check("█".encode() in piped.stdout, ".chart on draws on a pipe too, once asked")


def test_a_tall_result_goes_through_the_pager():
    # A fake pager marks what it shows; crmq waits for it to end before the next prompt.
    pager = os.path.join(WORK, "pager.sh")
    with open(pager, "w") as f:
        f.write("#!/bin/sh\necho PAGER-START\ncat\necho PAGER-END\n")
    child = spawn(PAGER="sh " + pager)  # 40 rows
    out = run_line(child, "find opportunities show id, stage")  # 50 rows and more: taller than the screen
    check("PAGER-START" in out and "PAGER-END" in out and "(showing 50 of" in out, "tall result not paged:\n" + out)
    out = run_line(child, "count opportunities by stage")
    check("PAGER-START" not in out and "Closed Won" in out, "short result paged:\n" + out)
    run_line(child, ".pager off")
    out = run_line(child, "find opportunities show id, stage")
    check("PAGER-START" not in out and "(showing 50 of" in out, ".pager off still pages:\n" + out)
    quit_with_ctrl_d(child)
    # A pager that quits early (as q in less does) leaves crmq writing to a closed pipe: it drops
    # the rest and comes back to the prompt. The result is far more than a pipe holds.
    child = spawn(PAGER="head -n 1")
    run_line(child, ".rows all")
    run_line(child, "find activities show *")
    out = run_line(child, "count users")
    check("50" in out, "no prompt after the pager quit:\n" + out)
    quit_with_ctrl_d(child)


def main():
    tests = [(name, fn) for name, fn in globals().items() if name.startswith("test_") and callable(fn)]
    print("crmq pty tests on %s" % CRMQ)
    passed = failed = 0
    for name, fn in tests:
        started = time.monotonic()
        try:
            fn()
            passed += 1
            print("  ok    %s (%.1f s)" % (name, time.monotonic() - started))
        except Exception as error:  # a test's failure, reported, and the next test runs
            failed += 1
            print("  FAIL  %s: %s" % (name, error))
            if os.environ.get("CRMQ_PTY_VERBOSE"):
                traceback.print_exc()
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
