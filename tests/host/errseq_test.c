/*
 * tests/host/errseq_test.c - kernel/lib/errseq against what each reader
 * must be told.
 *
 * The cases: each reader (a "file descriptor" with its own cursor) hears
 * of an error once; a reader that arrives after the error was reported
 * hears nothing, one that arrives before anyone heard of it hears of it;
 * errors nobody has seen fold into one (the latest errno); errno 0 and
 * malformed errnos; the layout's bits.
 *
 * The model: a list of the errors recorded, with the number of them that
 * some reader had been told of; each reader's cursor is a position in
 * that list. A check reports the list's last errno if the cursor is
 * behind its end (0 otherwise) and check_and_advance moves the cursor to
 * the end and marks everything up to it told. Opening a reader puts its
 * cursor at the end, or one before it if the last error was never told.
 * Thousands of random sets, opens, checks and advances go to both; every
 * return value must be the model's.
 *
 * Replay: build/host/unit errseq --seed N.
 */
#include "tests/host/host.h"
#include "kernel/errno.h"
#include "kernel/kunit.h"
#include "kernel/lib/errseq.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"

static void each_reader_hears_of_an_error_once(struct kunit *test)
{
	errseq_t e = 0;
	errseq_t fd1 = errseq_sample(&e), fd2 = errseq_sample(&e), fd3;

	KUNIT_EXPECT_EQ(test, fd1, 0U);
	KUNIT_EXPECT_EQ(test, errseq_check(&e, fd1), 0);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd1), 0);
	errseq_set(&e, -EIO);
	KUNIT_EXPECT_EQ(test, errseq_check(&e, fd1), -EIO);
	KUNIT_EXPECT_EQ(test, errseq_check(&e, fd1), -EIO);	/* no change */
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd1), -EIO);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd1), 0);
	KUNIT_EXPECT_EQ(test, errseq_check(&e, fd1), 0);
	/* The other reader still hears of it, once. */
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd2), -EIO);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd2), 0);
	/* Opened after it was reported: nothing. */
	fd3 = errseq_sample(&e);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd3), 0);
	/* A new error after that: all three hear of it. */
	errseq_set(&e, -ENOSPC);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd3), -ENOSPC);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd2), -ENOSPC);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd1), 0);
}

/* An error nobody was told of is reported to a reader opened after it:
 * the writer may have closed its descriptor before anyone looked. */
static void an_unseen_error_reaches_a_later_reader(struct kunit *test)
{
	errseq_t e = 0, late, later;

	errseq_set(&e, -EIO);
	late = errseq_sample(&e);
	KUNIT_EXPECT_EQ(test, late, 0U);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &late), -EIO);
	later = errseq_sample(&e);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &later), 0);
}

/* Errors before anyone looks fold into one value: the latest errno, the
 * counter unchanged; once seen, the next error moves the counter. */
static void unseen_errors_fold_into_the_latest(struct kunit *test)
{
	errseq_t e = 0, fd = 0, v1, v2, v3;

	v1 = errseq_set(&e, -EIO);
	KUNIT_EXPECT_EQ(test, v1, (errseq_t)EIO);
	KUNIT_EXPECT_EQ(test, errseq_set(&e, -EIO), v1);	/* same: no change */
	v2 = errseq_set(&e, -ENOSPC);
	KUNIT_EXPECT_EQ(test, v2 & ~ERRSEQ_ERRNO_MASK, v1 & ~ERRSEQ_ERRNO_MASK);
	KUNIT_EXPECT_EQ(test, v2 & ERRSEQ_ERRNO_MASK, (errseq_t)ENOSPC);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd), -ENOSPC);
	KUNIT_EXPECT_EQ(test, e, v2 | ERRSEQ_SEEN);
	KUNIT_EXPECT_EQ(test, fd, e);
	/* Seen: the same errno again is a new error. */
	v3 = errseq_set(&e, -ENOSPC);
	KUNIT_EXPECT_EQ(test, v3, v2 + ERRSEQ_CTR_INC);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd), -ENOSPC);
}

static void zero_and_malformed_errnos(struct kunit *test)
{
	errseq_t e = 0, fd = 0;

	KUNIT_EXPECT_EQ(test, errseq_set(&e, 0), 0U);
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd), 0);
	errseq_set(&e, 5);			/* positive: recorded as EIO */
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd), -EIO);
	errseq_set(&e, -MAX_ERRNO - 1);		/* out of range: EIO */
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd), -EIO);
	errseq_set(&e, -MAX_ERRNO);		/* the largest that fits */
	KUNIT_EXPECT_EQ(test, errseq_check_and_advance(&e, &fd), -MAX_ERRNO);
}

/* ------------------------------------------------------------- model */

#define READERS		6
#define MAX_ERRORS	16384
#define STEPS		20000

static struct {
	int err[MAX_ERRORS];	/* errnos recorded (negative), in order */
	unsigned int n;		/* how many */
	unsigned int told;	/* the first n told of: some reader heard */
	unsigned int cursor[READERS];	/* position in err[]: heard up to */
	errseq_t since[READERS];	/* the real cursors */
	unsigned long reports, quiet, opens, sets;
} M;

static void model_open(unsigned int r)
{
	M.cursor[r] = M.n > 0 && M.told < M.n ? M.n - 1 : M.n;
}

static int model_check(unsigned int r)
{
	return M.cursor[r] < M.n ? M.err[M.n - 1] : 0;
}

static int model_check_and_advance(unsigned int r)
{
	int err = model_check(r);

	M.cursor[r] = M.n;
	if (err)
		M.told = M.n;
	return err;
}

static void model_set(int err)
{
	/* Errors recorded while the last one is untold fold into it: a
	 * reader behind the end hears the latest errno either way. */
	M.err[M.n++] = err;
}

static void errseq_random_ops_match_model(struct kunit *test)
{
	static const int errs[] = { -EIO, -ENOSPC, -EROFS, -EFBIG, -MAX_ERRNO };
	errseq_t e = 0;
	struct prng rng;

	kunit_info(test, "seed %llu (replay: build/host/unit errseq --seed %llu)",
		   (unsigned long long)test->seed,
		   (unsigned long long)test->seed);
	prng_seed(&rng, test->seed);
	memset(&M, 0, sizeof(M));
	for (unsigned int r = 0; r < READERS; r++)
		M.since[r] = errseq_sample(&e);
	for (unsigned long step = 0; step < STEPS && !test->failed; step++) {
		unsigned int r = (unsigned int)prng_below(&rng, READERS);
		unsigned int op = (unsigned int)prng_below(&rng, 100);
		int got, want;

		if (op < 8 && M.n < MAX_ERRORS) {
			/* Bursts: sometimes several errors in a row. */
			unsigned int burst = 1 + (unsigned int)prng_below(&rng, 3);

			for (unsigned int i = 0; i < burst && M.n < MAX_ERRORS; i++) {
				int err = errs[prng_below(&rng, ARRAY_SIZE(errs))];

				errseq_set(&e, err);
				model_set(err);
				M.sets++;
			}
		} else if (op < 30) {
			M.since[r] = errseq_sample(&e);
			model_open(r);
			M.opens++;
		} else if (op < 45) {
			got = errseq_check(&e, M.since[r]);
			want = model_check(r);
			if (got != want)
				KUNIT_FAIL(test, "step %lu: check of reader %u: "
					   "%d, the model says %d", step, r, got,
					   want);
		} else {
			got = errseq_check_and_advance(&e, &M.since[r]);
			want = model_check_and_advance(r);
			if (got != want)
				KUNIT_FAIL(test, "step %lu: check_and_advance of "
					   "reader %u: %d, the model says %d",
					   step, r, got, want);
			if (got)
				M.reports++;
			else
				M.quiet++;
		}
	}
	if (test->failed) {
		kunit_info(test, "failed with seed %llu",
			   (unsigned long long)test->seed);
		return;
	}
	/* The run went where it should. */
	KUNIT_EXPECT_GT(test, M.sets, 1000UL);
	KUNIT_EXPECT_GT(test, M.reports, 1000UL);
	KUNIT_EXPECT_GT(test, M.quiet, 1000UL);
	KUNIT_EXPECT_GT(test, M.opens, 500UL);
	kunit_info(test, "%lu errors set, %lu reported, %lu quiet checks, "
		   "%lu opens", M.sets, M.reports, M.quiet, M.opens);
}

static struct kunit_case errseq_cases[] = {
	KUNIT_CASE(each_reader_hears_of_an_error_once),
	KUNIT_CASE(an_unseen_error_reaches_a_later_reader),
	KUNIT_CASE(unseen_errors_fold_into_the_latest),
	KUNIT_CASE(zero_and_malformed_errnos),
	KUNIT_CASE(errseq_random_ops_match_model),
	{}
};

static struct kunit_suite errseq_suite = {
	.name = "errseq",
	.test_cases = errseq_cases,
};
kunit_test_suite(errseq_suite);
