/*
 * kernel/lib/argv_split.h - split a command line into words the way a
 * POSIX shell does, without expansions (Linux has an argv_split() with
 * plain whitespace rules; this one also takes quotes).
 *
 *	run sh -c 'echo hi | wc -c'	->  run, sh, -c, echo hi | wc -c
 *	kill "-TERM" 12			->  kill, -TERM, 12
 *	a\ b "x\"y" ''			->  a b, x"y, (an empty word)
 *
 * The rules, as sh(1) reads a word:
 *  - blanks (space, tab) separate words; several count as one;
 *  - '...' keeps everything inside literally (no escapes at all);
 *  - "..." keeps everything inside, except that a backslash before one of
 *    " \ $ ` takes that character literally (before anything else the
 *    backslash stays);
 *  - outside quotes, a backslash takes the next character literally;
 *  - quoted and unquoted parts next to each other make one word
 *    (a'b'"c" is abc), and '' or "" alone is one empty word.
 * Nothing else is special: no $variables, globs, ~ or ; here.
 */
#ifndef KERNEL_LIB_ARGV_SPLIT_H
#define KERNEL_LIB_ARGV_SPLIT_H

#include "kernel/types.h"

/*
 * Split `line` in place into at most `max` words: argv[0..argc-1] point
 * into line (which is rewritten: quotes and escapes removed, each word
 * NUL-ended) and argv[argc] = NULL, so argv needs max + 1 slots.
 * Returns argc (0 for a blank line), or on bad input a negative errno
 * and, if err_size > 0, a NUL-ended reason in err saying what and where:
 *   -E2BIG   more than max words ("more than 16 words")
 *   -EINVAL  an unterminated quote or a backslash at the very end
 *            ("no closing ' for the quote at column 9"; columns from 1)
 * On an error, line's contents and argv are unspecified. Reentrant.
 */
int argv_split(char *line, char **argv, int max, char *err, size_t err_size);

#endif
