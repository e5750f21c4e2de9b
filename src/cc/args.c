/* openwfp-cc's command line: cc's own arguments, sorted into what goes to
 * the compiler and what to the linker, plus openwfp-cc's few options. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc/driver.h"

void cc_usage(FILE *f)
{
	fputs("usage: openwfp-cc [cc options] [-shared -o DRIVER.so] SOURCES...\n"
	      "\n"
	      "Builds Windows driver sources (C, and C++ for .cpp/.cc/.cxx) into an openwfp\n"
	      "plugin as the WDK would, without editing them:\n"
	      "  openwfp-cc -shared -o stmedit.so sys/*.c\n"
	      "  openwfp-cc -shared -o msnmntr.so -I inc sys/*.c\n"
	      "It adds openwfp's headers, the WDK's defines, -fPIC and -lopenwfp; generates\n"
	      "each #include \"X.tmh\" (WPP tracing: messages appear with openwfp -v) in a\n"
	      "private temporary directory; and builds a rewritten copy of each source so\n"
	      "MSVC dialect compiles (docs/porting.md, \"MSVC dialect\"). Compiler messages\n"
	      "name your files and lines. -c, -S, -E, -I, -D, -O, -g, -W, -L, -l, -Wl, -MD\n"
	      "and the other usual options work as with cc.\n"
	      "\n"
	      "openwfp-cc options:\n"
	      "  -v, --verbose       print every command run and the temporary directory\n"
	      "  --keep-temps        keep the temporary directory (generated .tmh, rewritten copies)\n"
	      "  --print-cflags      the compiler flags a driver needs (same as pkg-config --cflags openwfp)\n"
	      "  --print-libs        the linker flags (same as pkg-config --libs openwfp)\n"
	      "  --wpp-func=DECL     a WPP trace function, as tracewpp -func: (e.g. 'TraceEvents(LEVEL,FLAGS,MSG,...)')\n"
	      "  --wpp-scan=FILE     read WPP configuration (begin_wpp config) from FILE, as tracewpp -scan:\n"
	      "  --help, --version\n"
	      "Environment: OWFP_CC_CC and OWFP_CC_CXX name the C and C++ compilers (default cc, c++).\n",
	      f);
}

static enum cc_lang lang_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return CC_LANG_OTHER;
	if (!strcmp(dot, ".c"))
		return CC_LANG_C;
	if (!strcmp(dot, ".cpp") || !strcmp(dot, ".cc") || !strcmp(dot, ".cxx") ||
	    !strcmp(dot, ".C") || !strcmp(dot, ".c++") || !strcmp(dot, ".cp"))
		return CC_LANG_CXX;
	return CC_LANG_OTHER;
}

static int add_input(cc_opts *o, const char *path)
{
	cc_input *v = realloc(o->inputs, (o->ninputs + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	o->inputs = v;
	v[o->ninputs].path = strdup(path);
	if (!v[o->ninputs].path)
		return -ENOMEM;
	v[o->ninputs++].lang = lang_of(path);
	return 0;
}

/* Options whose value may be the next argument, and where they go. */
static const struct {
	const char *opt;
	char to; /* c: compiler, l: linker */
} with_value[] = {
	{"-D", 'c'},         {"-U", 'c'},  {"-include", 'c'}, {"-imacros", 'c'}, {"-isystem", 'c'},
	{"-idirafter", 'c'}, {"-MT", 'c'}, {"-MQ", 'c'},      {"-L", 'l'},       {"-l", 'l'},
	{"-Xlinker", 'l'},   {"-u", 'l'},  {NULL, 0},
};

static bool prefix(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

int cc_args_parse(int argc, char **argv, cc_opts *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		bool handled = false;

		if (a[0] != '-' || !a[1]) {
			if (add_input(o, a))
				return -ENOMEM;
			continue;
		}
		if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			o->verbose = true;
		} else if (!strcmp(a, "--keep-temps")) {
			o->keep_temps = true;
		} else if (!strcmp(a, "--print-cflags")) {
			o->print_cflags = true;
		} else if (!strcmp(a, "--print-libs")) {
			o->print_libs = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			o->help = true;
		} else if (!strcmp(a, "--version")) {
			o->version = true;
		} else if (prefix(a, "--wpp-func=")) {
			cc_strv_add(&o->wpp_funcs, a + 11);
		} else if (prefix(a, "--wpp-scan=")) {
			cc_strv_add(&o->wpp_scans, a + 11);
		} else if (prefix(a, "--")) {
			cc_err(err, errlen,
			       "unknown option %s (openwfp-cc --help lists its own; cc's "
			       "single-dash options pass through)",
			       a);
			return -EINVAL;
		} else if (!strcmp(a, "-c")) {
			o->mode = CC_MODE_COMPILE;
		} else if (!strcmp(a, "-S")) {
			o->mode = CC_MODE_ASM;
		} else if (!strcmp(a, "-E")) {
			o->mode = CC_MODE_PREPROCESS;
		} else if (!strcmp(a, "-shared")) {
			o->shared = true;
		} else if (prefix(a, "-o")) {
			o->output = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
			if (!o->output) {
				cc_err(err, errlen, "-o needs a file name");
				return -EINVAL;
			}
		} else if (prefix(a, "-I") || !strcmp(a, "-iquote")) {
			bool quote = !strcmp(a, "-iquote");

			val = quote  ? (i + 1 < argc ? argv[++i] : NULL)
			      : a[2] ? a + 2
				     : (i + 1 < argc ? argv[++i] : NULL);
			if (!val) {
				cc_err(err, errlen, "%s needs a directory", a);
				return -EINVAL;
			}
			cc_strv_add(&o->quote_dirs, val);
			if (!quote)
				cc_strv_add(&o->angle_dirs, val);
			cc_strv_add(&o->compile, quote ? "-iquote" : "-I");
			cc_strv_add(&o->compile, val);
		} else if (!strcmp(a, "-MF")) {
			if (i + 1 >= argc) {
				cc_err(err, errlen, "-MF needs a file name");
				return -EINVAL;
			}
			o->depfile = argv[++i];
		} else if (!strcmp(a, "-MD") || !strcmp(a, "-MMD")) {
			o->depfile_wanted = true;
			cc_strv_add(&o->compile, a);
		} else if (!strcmp(a, "-x")) {
			cc_err(err, errlen,
			       "-x is not supported: openwfp-cc picks C or C++ by the "
			       "file name (.c; .cpp .cc .cxx)");
			return -EINVAL;
		} else {
			for (int k = 0; with_value[k].opt; k++) {
				if (strcmp(a, with_value[k].opt) &&
				    !(prefix(a, with_value[k].opt) && strlen(with_value[k].opt) == 2))
					continue;
				cc_strv *to = with_value[k].to == 'c' ? &o->compile : &o->link;

				cc_strv_add(to, a);
				if (!strcmp(a, with_value[k].opt)) {
					if (i + 1 >= argc) {
						cc_err(err, errlen, "%s needs a value", a);
						return -EINVAL;
					}
					cc_strv_add(to, argv[++i]);
				}
				handled = true;
				break;
			}
			if (handled)
				continue;
			if (prefix(a, "-Wl,") || !strcmp(a, "-rdynamic") || prefix(a, "-static") ||
			    !strcmp(a, "-nostdlib"))
				cc_strv_add(&o->link, a);
			else if (prefix(a, "-W") || prefix(a, "-M") || prefix(a, "-std=") ||
				 !strcmp(a, "-P") || !strcmp(a, "-C"))
				cc_strv_add(&o->compile, a);
			else {
				/* -O2, -g, -f..., -m..., -pthread, --sysroot=...: both steps */
				if (prefix(a, "-O"))
					o->user_opt_level = true;
				cc_strv_add(&o->compile, a);
				cc_strv_add(&o->link, a);
			}
		}
	}
	if (o->compile.failed || o->link.failed || o->quote_dirs.failed || o->angle_dirs.failed ||
	    o->wpp_funcs.failed || o->wpp_scans.failed)
		return -ENOMEM;
	if (o->help || o->version || o->print_cflags || o->print_libs)
		return 0;
	if (!o->ninputs) {
		cc_err(err, errlen, "no input files (openwfp-cc -shared -o DRIVER.so SOURCES...)");
		return -EINVAL;
	}
	if (o->mode == CC_MODE_LINK && !o->shared) {
		cc_err(err, errlen,
		       "a driver is a plugin, not a program: add -shared (and -o DRIVER.so), "
		       "or -c to compile only");
		return -EINVAL;
	}
	if (o->mode != CC_MODE_LINK && o->output) {
		size_t srcs = 0;

		for (size_t k = 0; k < o->ninputs; k++)
			srcs += o->inputs[k].lang != CC_LANG_OTHER;
		if (srcs > 1) {
			cc_err(err, errlen, "-o with -c, -S or -E takes one source, not %zu", srcs);
			return -EINVAL;
		}
	}
	return 0;
}

void cc_opts_free(cc_opts *o)
{
	for (size_t k = 0; k < o->ninputs; k++)
		free(o->inputs[k].path);
	free(o->inputs);
	cc_strv_free(&o->compile);
	cc_strv_free(&o->link);
	cc_strv_free(&o->quote_dirs);
	cc_strv_free(&o->angle_dirs);
	cc_strv_free(&o->wpp_funcs);
	cc_strv_free(&o->wpp_scans);
}
