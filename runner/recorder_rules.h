/* The syscalls that stop in the recorder (recorder_rules.c). */
#ifndef PT_RECORDER_RULES_H
#define PT_RECORDER_RULES_H

#include <stddef.h>

#include "jail.h"

/* getpriority(PRIO_PROCESS, PT_TIMER_BEACON | ms): a wait of ms shortened
 * in the jail (profiles/ecosystems/node-timers.cjs,
 * python-site/sitecustomize.py). No process id reaches bit 30
 * (PID_MAX_LIMIT is 2^22). */
#define PT_TIMER_BEACON 0x40000000ull
#define PT_TIMER_BEACON_MS_MASK 0x3fffffffull

/* getpriority(PRIO_PROCESS, PT_KEY_CALL_BEACON | 1), then | 0: the
 * exercise phase hands the process's key-handling API a wallet
 * honeytoken between the two (profiles/ecosystems/node-exercise.cjs,
 * python-site/_pt_api_exercise.py); what the process connects to or
 * sends meanwhile is marked key_call. Below PT_TIMER_BEACON, above any
 * process id. */
#define PT_KEY_CALL_BEACON 0x20000000ull

/* The notify rules to put in a jail_spec (and to compile its filter with). */
const struct jail_notify_rule *pt_recorder_rules(size_t *n);

#endif
