/* openwfp-cc: builds Windows driver sources into openwfp plugins (driver.h). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "cc/driver.h"

static void print_list(const cc_strv *l)
{
	for (size_t k = 0; k < l->n; k++)
		printf("%s%s", k ? " " : "", l->v[k]);
	printf("\n");
}

int main(int argc, char **argv)
{
	cc_opts o;
	cc_paths p;
	char err[1024];
	int status;

	if (cc_args_parse(argc, argv, &o, err, sizeof(err))) {
		fprintf(stderr, "openwfp-cc: %s\n", err);
		cc_opts_free(&o);
		return 2;
	}
	if (o.help) {
		cc_usage(stdout);
		cc_opts_free(&o);
		return 0;
	}
	if (o.version) {
		printf("openwfp-cc %s\n", OWFP_CC_VERSION);
		cc_opts_free(&o);
		return 0;
	}
	if (cc_paths_find(&p, err, sizeof(err))) {
		fprintf(stderr, "openwfp-cc: %s\n", err);
		cc_opts_free(&o);
		return 1;
	}
	if (o.print_cflags || o.print_libs) {
		cc_strv l = {0};

		if (o.print_cflags)
			cc_flags_cflags(&p, &l);
		if (o.print_libs)
			cc_flags_libs(&p, &l);
		print_list(&l);
		cc_strv_free(&l);
		cc_opts_free(&o);
		return 0;
	}
	cc_signals_install();
	status = cc_build(&o, &p);
	cc_opts_free(&o);
	if (cc_signal_pending()) { /* its temporary files are gone: die of it now */
		signal(cc_signal_pending(), SIG_DFL);
		raise(cc_signal_pending());
	}
	return status;
}
