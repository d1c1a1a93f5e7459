/*
 * kernel/cmdline.c - splits the command line and hands each word to the
 * option that declared it (KERNEL_PARAM). Portable; host-tested.
 */
#include "kernel/cmdline.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"

/* Weak: with no option declared the section, and so these, do not exist. */
extern const struct kernel_param *const __start_kernel_params[] __attribute__((weak));
extern const struct kernel_param *const __stop_kernel_params[] __attribute__((weak));

bool param_parse_bool(const char *v, bool *out)
{
	if (!v || !strcmp(v, "1") || !strcmp(v, "on") || !strcmp(v, "yes") ||
	    !strcmp(v, "y")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "0") || !strcmp(v, "off") || !strcmp(v, "no") ||
	    !strcmp(v, "n")) {
		*out = false;
		return true;
	}
	return false;
}

bool param_parse_uint(const char *v, unsigned int min, unsigned int max,
		      unsigned int *out)
{
	uint64_t n;

	if (!v || !parse_u64(v, &n, false) || n < min || n > max)
		return false;
	*out = (unsigned int)n;
	return true;
}

static const struct kernel_param *find_param(const char *name)
{
	for (const struct kernel_param *const *p = __start_kernel_params;
	     p < __stop_kernel_params; p++)
		if (!strcmp((*p)->name, name))
			return *p;
	return NULL;
}

#define MAX_WORD 256

int cmdline_parse(const char *cmdline)
{
	int rejected = 0;
	const char *p = cmdline ? cmdline : "";

	for (;;) {
		char word[MAX_WORD];
		size_t n = 0;
		bool quoted = false, too_long = false;
		size_t start = (size_t)(p - cmdline);

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		start = (size_t)(p - cmdline);
		for (; *p && (quoted || (*p != ' ' && *p != '\t' && *p != '\n')); p++) {
			if (*p == '"') {
				quoted = !quoted;
				continue;
			}
			if (n + 1 < sizeof(word))
				word[n++] = *p;
			else
				too_long = true;
		}
		word[n] = '\0';
		if (too_long) {
			printk(KERN_ERR "cmdline: option at offset %zu is longer than "
			       "%d characters; ignored\n", start, MAX_WORD - 1);
			rejected++;
			continue;
		}
		if (quoted) {
			printk(KERN_ERR "cmdline: unterminated quote in '%s' at offset "
			       "%zu; ignored\n", word, start);
			rejected++;
			continue;
		}

		char *eq = strchr(word, '=');
		const char *value = NULL;

		if (eq) {
			*eq = '\0';
			value = eq + 1;
		}
		const struct kernel_param *kp = find_param(word);

		if (!kp) {
			printk(KERN_WARNING "cmdline: unknown option '%s' (offset %zu) "
			       "ignored; `help params` lists the known ones\n", word, start);
			rejected++;
		} else if (kp->set(value) != 0) {
			printk(KERN_ERR "cmdline: bad value '%s' for '%s'; keeping the "
			       "default (%s)\n", value ? value : "", word, kp->help);
			rejected++;
		}
	}
	return rejected;
}

void cmdline_list_params(void)
{
	for (const struct kernel_param *const *p = __start_kernel_params;
	     p < __stop_kernel_params; p++)
		printk("  %-24s %s\n", (*p)->name, (*p)->help);
}
