# openwfp top-level Makefile: thin wrapper over CMake.
#   make         build (build/)
#   make test    install deps, build, run all tests, then again under ASan+UBSan
#   make demo    replay the bundled sample capture through the demo configuration
#   make bench   benchmarks (never part of make test)
#   make install library, headers, openwfp command, pkg-config file, man page
#   make deb     build-deb/openwfp_<version>_<arch>.deb, lintian-checked (scripts/make-deb.sh)
BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc)

.PHONY: all deps deb test-package test test-fast test-asan test-tsan demo bench install clean fuzz soak lint format format-all

all: $(BUILD)/Makefile
	cmake --build $(BUILD) -j$(JOBS)

$(BUILD)/Makefile:
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX)

deps:
	./scripts/install-deps.sh

test: deps
	$(MAKE) test-fast
	$(MAKE) test-asan
	$(MAKE) test-tsan

test-fast: all
	cd $(BUILD) && ctest --output-on-failure -j2 -LE package

test-asan:
	cmake -S . -B $(ASAN_BUILD) -DOWFP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j2 -LE package

# Only the concurrency tests (ctest label tsan) are built and run under TSan.
TSAN_TESTS = $(basename $(notdir $(wildcard tests/unit/test_*_tsan*.c)))
test-tsan:
	CC=clang cmake -S . -B $(TSAN_BUILD) -DOWFP_TSAN=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(TSAN_BUILD) -j$(JOBS) --target $(TSAN_TESTS)
	cd $(TSAN_BUILD) && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 ctest --output-on-failure -L tsan

demo: deps all
	./scripts/demo.sh $(BUILD)

bench: deps
	./scripts/install-deps.sh --bench
	cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release
	cmake --build build-bench -j$(JOBS)
	./bench/run.sh build-bench

# Each libFuzzer harness for FUZZ_SECONDS (default 60), growing its corpus in
# build-fuzz/corpus/NAME (seeded from tests/fuzz/corpus/NAME). Crashes land
# in build-fuzz/crashes/: add them to tests/fuzz/corpus/NAME once fixed.
FUZZ_SECONDS ?= 60
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -DOWFP_FUZZ=ON -DOWFP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
	cmake --build build-fuzz -j$(JOBS)
	./scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS)

# Proxy soak (not part of make test): thousands of concurrent connections with
# faults for SOAK_SECONDS; fails on any lost byte, fd leak or RSS growth.
SOAK_SECONDS ?= 120
SOAK_CONCURRENCY ?= 2000
soak: deps all
	python3 scripts/soak.py $(BUILD)/openwfp --seconds $(SOAK_SECONDS) \
	  --concurrency $(SOAK_CONCURRENCY) --config scripts/soak.yaml

lint: deps
	./scripts/lint.sh build-lint

deb: deps
	./scripts/make-deb.sh build-deb

# The package installed into a fresh Debian 12 root (tests/integration/test_deb_install.sh).
test-package: deps all
	cd $(BUILD) && ctest --output-on-failure -L package

# Lays out the C files changed since the formatting baseline (.clang-format);
# format-all lays out the whole tree and moves the baseline (once).
format:
	./scripts/format.sh fix
format-all:
	./scripts/format.sh all

# --prefix here, so PREFIX counts even when build/ was configured before.
install: all
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) build-bench build-fuzz build-lint
