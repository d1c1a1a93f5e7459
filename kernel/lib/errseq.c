/*
 * kernel/lib/errseq.c - an error that many readers each see once
 * (errseq.h has the value's layout and the contract).
 */
#include "kernel/errno.h"
#include "kernel/lib/errseq.h"

static errseq_t errseq_load(errseq_t *eseq)
{
	return __atomic_load_n(eseq, __ATOMIC_ACQUIRE);
}

errseq_t errseq_set(errseq_t *eseq, int err)
{
	errseq_t old = errseq_load(eseq), new;

	if (err == 0)
		return old;
	if (err > 0 || err < -MAX_ERRNO)
		err = -EIO;
	do {
		new = (old & ~(ERRSEQ_ERRNO_MASK | ERRSEQ_SEEN)) |
		      (errseq_t)-err;
		/* Someone was told of the last error: this is a new one. An
		 * unseen one is only replaced (the latest errno wins). */
		if (old & ERRSEQ_SEEN)
			new += ERRSEQ_CTR_INC;
		if (new == old)
			return old;	/* the same error, not yet seen */
	} while (!__atomic_compare_exchange_n(eseq, &old, new, false,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	return new;
}

errseq_t errseq_sample(errseq_t *eseq)
{
	errseq_t v = errseq_load(eseq);

	return (v & ERRSEQ_SEEN) ? v : 0;
}

int errseq_check(errseq_t *eseq, errseq_t since)
{
	errseq_t v = errseq_load(eseq);

	return v == since ? 0 : -(int)(v & ERRSEQ_ERRNO_MASK);
}

int errseq_check_and_advance(errseq_t *eseq, errseq_t *since)
{
	errseq_t cursor, old, new;

	do {
		cursor = errseq_load(since);
		old = errseq_load(eseq);
		if (old == cursor)
			return 0;
		/* Mark it seen, so the next error bumps the counter. If a
		 * new error comes in between, this swap fails and the cursor
		 * set below differs from the value: the next call reports
		 * that error. */
		new = old | ERRSEQ_SEEN;
		if (new != old)
			__atomic_compare_exchange_n(eseq, &old, new, false,
						    __ATOMIC_ACQ_REL,
						    __ATOMIC_ACQUIRE);
		/* Another caller moved the cursor meanwhile: look again
		 * from where it left it. */
	} while (!__atomic_compare_exchange_n(since, &cursor, new, false,
					      __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	return -(int)(new & ERRSEQ_ERRNO_MASK);
}
