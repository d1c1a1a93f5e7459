/*
 * kernel/cmdline.h - kernel command-line options, parsed in one place.
 *
 * A component declares the options it understands next to the code they
 * control:
 *
 *	static int set_poison(const char *value)   // value may be NULL
 *	{ ... return 0 on success, -1 (after printing why) on a bad value }
 *	KERNEL_PARAM("page_alloc.debug", set_poison, "on|off: poison pages on free");
 *
 * cmdline_parse() splits the line into words (`name` or `name=value`,
 * double quotes group spaces), calls each option's handler, and reports
 * every word no option claims and every value a handler rejects; the boot
 * carries on with the defaults.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kernel/types.h"

struct kernel_param {
	const char *name;
	int (*set)(const char *value);
	const char *help;
};

#define KERNEL_PARAM(pname, handler, helptext) \
	static const struct kernel_param __param_##handler = { \
		.name = pname, .set = handler, .help = helptext }; \
	static const struct kernel_param *const __param_ptr_##handler \
	__used __section("kernel_params") __aligned(sizeof(void *)) = &__param_##handler

/* Returns the number of words rejected (unknown or bad value). */
int cmdline_parse(const char *cmdline);

/* Parse "on/off/1/0/yes/no/y/n" (NULL means on); false on anything else. */
bool param_parse_bool(const char *value, bool *out);
/* Parse a decimal number in [min, max] into *out; false (and *out left
 * as it was) on anything else: no value, a suffix, out of range. */
bool param_parse_uint(const char *value, unsigned int min, unsigned int max,
		      unsigned int *out);

/* Print the known options and their help (console `help params`). */
void cmdline_list_params(void);

#endif
