# What a program does after its imports, told to the audit hooks (PEP 578)
# a package may have added at import (pypi.json's import harnesses call
# fire() last). A hook that waits for the host process to open a
# credential file or start a command with secrets in its environment or
# arguments (then reads the file itself, or keeps the command line) acts
# only on those events, which an import alone never raises: here they are
# raised with sys.audit, nothing opened or started. A hook that acts is
# seen by what it then does (the file read, the network attempt).
import os
import sys

# The honeytoken HOME's credential files (profiles/honeytokens), as the
# program would open them.
FILES = (".aws/credentials", ".git-credentials", ".ssh/id_rsa", ".pypirc",
         ".netrc", ".kube/config", ".pgpass", ".docker/config.json",
         ".config/gh/hosts.yml", ".npmrc")


def _raise(event, *args):
    try:
        sys.audit(event, *args)
    except Exception:
        pass  # a hook may refuse the event, as it would the real call


def fire():
    home = os.path.expanduser("~")
    cwd = os.getcwd()
    env = dict(os.environ)
    for rel in FILES:
        _raise("open", os.path.join(home, rel), "r", os.O_RDONLY)
    _raise("open", os.path.join(cwd, ".env"), "r", os.O_RDONLY)
    for argv in (["git", "push", "origin", "main"],
                 ["aws", "sts", "get-caller-identity"],
                 ["twine", "upload", "dist/*"],
                 ["docker", "login", "--username", env.get("USER", "dev"),
                  "--password-stdin", "ghcr.io"]):
        _raise("subprocess.Popen", argv[0], argv, cwd, env)
    _raise("os.system", b"git pull --rebase")
