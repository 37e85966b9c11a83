/* The syscalls that stop in the recorder (recorder_rules.c). */
#ifndef PT_RECORDER_RULES_H
#define PT_RECORDER_RULES_H

#include <stddef.h>

#include "jail.h"

/* The notify rules to put in a jail_spec (and to compile its filter with). */
const struct jail_notify_rule *pt_recorder_rules(size_t *n);

#endif
