/*
 * kernel/lib/argv_split.c - shell-like word splitting (argv_split.h).
 *
 * One pass, in place: `r` reads the line, `w` writes the current word's
 * characters back into it. w never passes r (every character written
 * was read, and quotes and backslashes are read but not written), so
 * the rewrite cannot overtake what is still to be read.
 */
#include "kernel/lib/argv_split.h"
#include "kernel/errno.h"
#include "kernel/lib/vsprintf.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Inside "...", a backslash escapes only these (sh(1); newline too in a
 * shell, but a console line has none). */
static bool dquote_escapable(char c)
{
	return c == '"' || c == '\\' || c == '$' || c == '`';
}

static int no_closing_quote(char q, long col, char *err, size_t err_size)
{
	if (err_size)
		ksnprintf(err, err_size,
			  "no closing %c for the quote at column %ld", q, col);
	return -EINVAL;
}

int argv_split(char *line, char **argv, int max, char *err, size_t err_size)
{
	char *r = line, *w = line;
	int argc = 0;

	if (err_size)
		err[0] = '\0';
	for (;;) {
		while (is_blank(*r))
			r++;
		if (!*r)
			break;
		if (argc == max) {
			if (err_size)
				ksnprintf(err, err_size, "more than %d words",
					  max);
			return -E2BIG;
		}
		/* A word starts here; it ends at an unquoted blank or the
		 * end of the line. */
		argv[argc++] = w;
		while (*r && !is_blank(*r)) {
			long col = r - line + 1;

			if (*r == '\'') {
				for (r++; *r && *r != '\''; )
					*w++ = *r++;
				if (!*r)
					return no_closing_quote('\'', col, err,
								err_size);
				r++;
			} else if (*r == '"') {
				for (r++; *r && *r != '"'; ) {
					if (*r == '\\' && dquote_escapable(r[1]))
						r++;
					*w++ = *r++;
				}
				if (!*r)
					return no_closing_quote('"', col, err,
								err_size);
				r++;
			} else if (*r == '\\') {
				if (!r[1]) {
					if (err_size)
						ksnprintf(err, err_size,
							  "nothing after the backslash at column %ld",
							  col);
					return -EINVAL;
				}
				r++;
				*w++ = *r++;
			} else {
				*w++ = *r++;
			}
		}
		/* End the word: step r past the blank that ended it (if any)
		 * before the NUL goes in at w, which may be r itself. */
		if (*r)
			r++;
		*w++ = '\0';
	}
	argv[argc] = NULL;
	return argc;
}
