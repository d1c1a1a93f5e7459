/*
 * kernel/lib/line_edit.c - the console's line editor (contract:
 * line_edit.h). Portable: the host tests feed it characters directly.
 */
#include "kernel/lib/line_edit.h"
#include "kernel/lib/vsprintf.h"

void line_edit_init(struct line_edit *ed, char *buf, size_t size,
		    void (*echo)(void *ctx, const char *s), void *ctx)
{
	ed->buf = buf;
	ed->size = size;
	ed->len = 0;
	ed->discarding = false;
	ed->after_cr = false;
	ed->cut = 0;
	ed->echo = echo;
	ed->ctx = ctx;
	buf[0] = '\0';
}

static void erase(struct line_edit *ed, size_t n)
{
	while (n--) {
		ed->len--;
		ed->echo(ed->ctx, "\b \b");
	}
}

/* The first character that does not fit: say so once, drop the rest. */
static void cut_line(struct line_edit *ed)
{
	char msg[80];

	ksnprintf(msg, sizeof(msg),
		  "\nconsole: line longer than %zu characters, ignored\n",
		  ed->size - 1);
	ed->echo(ed->ctx, msg);
	ed->cut++;
	ed->len = 0;
	ed->discarding = true;
}

enum line_edit_result line_edit_feed(struct line_edit *ed, int c)
{
	bool lf_after_cr = c == '\n' && ed->after_cr;

	ed->after_cr = c == '\r';
	if (lf_after_cr)
		return LINE_EDIT_MORE;		/* the CR ended the line */

	if (c == '\r' || c == '\n') {
		if (ed->discarding) {
			ed->discarding = false;	/* the message said it all */
			return LINE_EDIT_CANCEL;
		}
		ed->buf[ed->len] = '\0';
		ed->len = 0;
		ed->echo(ed->ctx, "\n");
		return LINE_EDIT_DONE;
	}
	if (c == 0x03) {			/* ^C */
		ed->discarding = false;
		ed->len = 0;
		ed->echo(ed->ctx, "^C\n");
		return LINE_EDIT_CANCEL;
	}
	if (ed->discarding)
		return LINE_EDIT_MORE;
	if (c == 0x7f || c == '\b') {
		if (ed->len)
			erase(ed, 1);
	} else if (c == 0x15) {			/* ^U */
		erase(ed, ed->len);
	} else if (c >= ' ' && c < 0x7f) {
		char s[2] = { (char)c, '\0' };

		if (ed->len + 1 >= ed->size) {
			cut_line(ed);
			return LINE_EDIT_MORE;
		}
		ed->buf[ed->len++] = (char)c;
		ed->echo(ed->ctx, s);
	}
	return LINE_EDIT_MORE;
}
