/*
 * kernel/lib/errseq.h - an error that many readers each see once (Linux's
 * errseq_t; docs/mm/filemap.md, "Write-back errors").
 *
 * A write-back fails long after write() returned, in an I/O completion
 * that knows no file descriptor. The error is recorded on the file's page
 * cache (address_space.wb_err); every open file description of the file
 * keeps a cursor (file.f_wb_err) and fsync reports each error recorded
 * since that cursor once, then moves the cursor. A flag bit that the first
 * fsync clears would tell one caller and hide the error from the others.
 *
 * The value is 32 bits, updated with compare-and-swap, no lock:
 *
 *   31                     13   12  11           0
 *  +-------------------------+----+--------------+
 *  |  counter (19 bits)      |SEEN|  errno (12)  |
 *  +-------------------------+----+--------------+
 *
 *  - errno: the latest error, positive (EIO = 5); 0 only while no error
 *    was ever recorded.
 *  - SEEN: some reader has been told of the latest error. Only then does
 *    a new error bump the counter: errors that arrive while nobody has
 *    looked yet fold into one (the latest errno wins), so a burst of
 *    failures costs no counter values, and the counter wraps only after
 *    2^19 errors that were each seen (then a cursor that old could miss
 *    one error: Linux accepts the same).
 *  - A cursor is a copy of the value; "an error since the cursor" is
 *    "the value differs from the cursor".
 */
#ifndef KERNEL_LIB_ERRSEQ_H
#define KERNEL_LIB_ERRSEQ_H

#include "kernel/types.h"

typedef uint32_t errseq_t;

#define ERRSEQ_ERRNO_BITS	12	/* holds MAX_ERRNO (4095) */
#define ERRSEQ_ERRNO_MASK	((1U << ERRSEQ_ERRNO_BITS) - 1)
#define ERRSEQ_SEEN		(1U << ERRSEQ_ERRNO_BITS)
#define ERRSEQ_CTR_INC		(1U << (ERRSEQ_ERRNO_BITS + 1))

/*
 * Record err (-EIO, -ENOSPC, ...) in *eseq; any context, no lock. 0 is
 * ignored (nothing failed); a value that is not -1..-MAX_ERRNO is recorded
 * as -EIO (an error is never dropped for being malformed). Returns the new
 * value.
 */
errseq_t errseq_set(errseq_t *eseq, int err);
/*
 * A cursor for a new reader (open): the current value if its error has
 * been seen (the reader will not be told of it), else 0 (an error no one
 * has been told of yet is reported to this reader too: a program that
 * wrote, closed, and opens again to fsync still learns of it).
 */
errseq_t errseq_sample(errseq_t *eseq);
/* The error recorded since cursor since (-errno), or 0; changes nothing. */
int errseq_check(errseq_t *eseq, errseq_t since);
/*
 * errseq_check, and then move *since to the current value and mark the
 * error seen: the next call with the same cursor returns 0 until a new
 * error is recorded. *since may be shared (one open file, two threads in
 * fsync): it moves by compare-and-swap, so exactly one caller reports
 * each error to it (Linux serialises with the file's f_lock instead).
 */
int errseq_check_and_advance(errseq_t *eseq, errseq_t *since);

#endif
