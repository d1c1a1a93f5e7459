/*
 * kernel/lib/line_edit.h - the console's line editor, apart from any UART
 * so tests can type at it: characters go in one at a time, the echo goes
 * to a function the owner gives, and a finished line comes back.
 *
 * Editing: printable ASCII is appended and echoed; backspace (DEL or ^H)
 * erases one character, ^U the whole line, ^C drops the line. CR, LF or
 * CR LF ends it (a LF right after a CR is the same end of line, so a
 * terminal that sends both does not run an empty command). Other control
 * characters (escape sequences, tabs) are ignored.
 *
 * A line longer than the buffer is cut: at the first character that does
 * not fit, the editor prints ONE message ("console: line longer than N
 * characters, ignored") and then drops everything up to the end of that
 * line, which ends as a cancelled line. Nothing of it is run, and its tail
 * is never taken for a new command.
 */
#ifndef KERNEL_LIB_LINE_EDIT_H
#define KERNEL_LIB_LINE_EDIT_H

#include "kernel/types.h"

enum line_edit_result {
	LINE_EDIT_MORE,		/* keep feeding */
	LINE_EDIT_DONE,		/* ed->buf holds a complete line (NUL-ended) */
	LINE_EDIT_CANCEL,	/* the line was dropped (^C, or too long) */
};

struct line_edit {
	char *buf;
	size_t size;		/* the longest line is size - 1 characters */
	size_t len;
	bool discarding;	/* dropping the rest of an over-long line */
	bool after_cr;		/* the last character was a CR */
	unsigned long cut;	/* over-long lines seen */
	void (*echo)(void *ctx, const char *s);
	void *ctx;
};

/* An empty editor over buf[0..size-1] (size >= 2) echoing through echo. */
void line_edit_init(struct line_edit *ed, char *buf, size_t size,
		    void (*echo)(void *ctx, const char *s), void *ctx);

/*
 * Take one typed character. On LINE_EDIT_DONE the line is in ed->buf until
 * the next call; after DONE or CANCEL the editor is empty again, ready for
 * the next line (the caller prints the prompt).
 */
enum line_edit_result line_edit_feed(struct line_edit *ed, int c);

#endif
