#!/usr/bin/env python3
"""Checks a pkgtrap triage record (JSON). Only reads JSON: never runs or
imports anything from the package under test.

  check_record.py RECORD [--phase NAME[=STATUS]] [--event PHASE|KIND[|key~sub]...]
                  [--no-event KIND] [--no-match PHASE|KIND[|key~sub]...] [--hijack NAME[=wraps]] [--error]
                  [--problem RULE] [--no-problem RULE] [--unresolved SUB]
                  [--unsatisfied SUB] [--resolved NAME@VERSION] [--stubbed NAME]
                  [--stat KEY>=N] [--canary]
"""
import json
import sys


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def match_event(e, spec):
    parts = spec.split("|")
    phase, kind = parts[0], parts[1]
    if phase and e.get("phase") != phase:
        return False
    if e.get("kind") != kind:
        return False
    for cond in parts[2:]:
        key, sub = cond.split("~", 1)
        # A field the event lacks never matches (so `key~` asks that it
        # is there at all).
        if key not in e or sub not in str(e[key]):
            return False
    return True


def main():
    rec = json.load(open(sys.argv[1]))
    args = sys.argv[2:]
    phases = {p["name"]: p for p in rec["phases"]}
    events = rec["events"]
    for e in events:
        if "phase" not in e:
            fail("event without phase: %r" % e)
    i = 0
    while i < len(args):
        opt, val = args[i], args[i + 1] if i + 1 < len(args) else None
        i += 2
        if opt == "--phase":
            name, _, status = val.partition("=")
            if name not in phases:
                fail("phase %r missing; have %r" % (name, list(phases)))
            if status and phases[name]["status"] != status:
                fail("phase %r is %r, want %r" % (name, phases[name]["status"], status))
        elif opt == "--event":
            if not any(match_event(e, val) for e in events):
                fail("no event matches %r" % val)
        elif opt == "--no-event":
            bad = [e for e in events if e.get("kind") == val]
            if bad:
                fail("unexpected %s event: %r" % (val, bad[0]))
        elif opt == "--no-match":
            bad = [e for e in events if match_event(e, val)]
            if bad:
                fail("an event matches %r: %r" % (val, bad[0]))
        elif opt == "--hijack":
            name, _, wraps = val.partition("=")
            h = [x for x in rec["hijacks"] if x["name"] == name]
            if not h:
                fail("no hijack %r in %r" % (name, rec["hijacks"]))
            if wraps and not h[0]["wraps"]:
                fail("hijack %r does not wrap" % name)
        elif opt == "--canary":
            # The fake network's stub ran: a file event on the session's
            # canary path, exactly.
            i -= 1
            c = rec["identity"].get("canary")
            if not c or not any(e.get("kind") == "file" and e.get("path") == c
                                for e in events):
                fail("canary %r not created" % c)
        elif opt == "--error":
            i -= 1
            if not rec["error"]:
                fail("record has no error")
        elif opt == "--problem":
            if not any(p["rule"] == val for p in rec["problems"]):
                fail("no problem %r in %r" % (val, rec["problems"]))
        elif opt == "--no-problem":
            bad = [p for p in rec["problems"] if p["rule"] == val]
            if bad:
                fail("unexpected problem %r" % bad[0])
        elif opt == "--unsatisfied":
            u = rec["dependencies"].get("unsatisfied", [])
            if not any(val in x for x in u):
                fail("%r not unsatisfied: %r" % (val, u))
        elif opt == "--resolved":
            if val not in rec["dependencies"]["resolved"]:
                fail("%r not resolved: %r" % (val, rec["dependencies"]))
        elif opt == "--unresolved":
            if not any(val in u for u in rec["dependencies"]["unresolved"]):
                fail("%r not unresolved: %r" % (val, rec["dependencies"]))
        elif opt == "--stubbed":
            if val not in rec["dependencies"].get("stubbed", []):
                fail("%r not stubbed: %r" % (val, rec["dependencies"]))
        elif opt == "--stat":
            key, n = val.split(">=")
            if rec["stats"].get(key, 0) < int(n):
                fail("stats.%s = %r < %s" % (key, rec["stats"].get(key), n))
        else:
            fail("unknown option %r" % opt)
    for f in ("package", "error", "problems", "identity", "honeytokens", "phases",
              "events", "entry_points", "bins", "hijacks", "dependencies", "stats"):
        if f not in rec:
            fail("record lacks %r" % f)
    print("ok")


main()
