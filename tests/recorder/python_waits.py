# Run by python_waits_test.sh in the jail with python-site on PYTHONPATH:
# waits of 45 s to 10 min that are no sleep syscall (a threading.Timer, an
# Event.wait, asyncio.sleep) end after ~2 s,
# time.sleep (the recorder's own shortening) too, a 300 ms wait keeps its
# length, and an ordinary getpriority still works (does not stop).
import asyncio
import os
import threading
import time

t0 = time.monotonic()


def at(what):
    print("%s %d" % (what, (time.monotonic() - t0) * 1000), flush=True)


threading.Timer(300, at, ("threading-Timer",)).start()
ev = threading.Event()
threading.Thread(target=lambda: (ev.wait(600), at("Event-wait"))).start()


async def main():
    async def slow():
        await asyncio.sleep(120)
        at("asyncio-sleep")

    short = asyncio.create_task(asyncio.sleep(0.3))
    await short
    at("short-300ms")
    await slow()


asyncio.run(main())
time.sleep(45)
at("time-sleep")
print("own-priority %d" % os.getpriority(os.PRIO_PROCESS, os.getpid()), flush=True)
