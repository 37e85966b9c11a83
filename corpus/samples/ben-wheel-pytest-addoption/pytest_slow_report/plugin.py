"""pytest plugin: list tests slower than --slow-threshold seconds."""

_slow = []


def pytest_addoption(parser):
    group = parser.getgroup("slow-report")
    group.addoption("--slow-threshold", type=float, default=None,
                    metavar="SECONDS",
                    help="list tests whose call phase took longer than this")


def pytest_runtest_logreport(report):
    if report.when == "call":
        _slow.append((report.duration, report.nodeid))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    limit = config.getoption("slow_threshold")
    if limit is None:
        return
    hits = sorted((d, n) for d, n in _slow if d > limit)
    if hits:
        terminalreporter.section("slow tests (> %.2fs)" % limit)
        for d, n in reversed(hits):
            terminalreporter.write_line("%8.2fs %s" % (d, n))
