# The two commands a newcomer needs: `make run` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
# `make run`'s own database, remade on each run; never ./cascade.db, the CLI's default, which
# holds your work.
DEMO_DB ?= demo.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build cascade run test bench format clean fuzz test-asan test-tsan

all: build

deps:
	@bash scripts/install-deps

$(BUILD)/build.ninja: CMakeLists.txt
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

# Everything, tests included.
build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# Just the program.
cascade: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target cascade

# The demo in a fresh $(DEMO_DB), its cascade in the terminal, then the API served on $(LISTEN)
# with a new admin account whose random password is printed once. Ctrl-C stops the server.
# $(DEMO_DB).make-run marks a file this target made: any other file of that name is left alone.
run: cascade
	@if [ -e $(DEMO_DB) ] && [ ! -e $(DEMO_DB).make-run ]; then \
	  echo "make run: $(DEMO_DB) was not made by make run, so it is left alone; move it away or" \
	    "give another file: make run DEMO_DB=other.db" >&2; \
	  exit 2; \
	fi
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@touch $(DEMO_DB).make-run
	$(BUILD)/cascade --db $(DEMO_DB) demo
	$(BUILD)/cascade --db $(DEMO_DB) status
	@password=$$(head -c 18 /dev/urandom | base64 | tr '+/' '-_'); \
	  echo "$$password" | $(BUILD)/cascade --db $(DEMO_DB) user add admin --role admin --password-stdin \
	    >/dev/null || exit $$?; \
	  echo; \
	  echo "serving $(DEMO_DB): the dashboard at http://$(LISTEN)/ (README: Dashboard),"; \
	  echo "  the API at http://$(LISTEN)/api/v1/ (README: HTTP API)"; \
	  echo "  sign in as: admin"; \
	  echo "  password:   $$password"; \
	  echo "  token:      $(BUILD)/cascade --db $(DEMO_DB) token create admin"; \
	  echo "Ctrl-C stops the server."; \
	  exec $(BUILD)/cascade --db $(DEMO_DB) serve --listen $(LISTEN)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The budgets of spec §8 (bench/README.md): builds the program and the benchmarks, generates the
# workspaces (cached), prints every budget with PASS/FAIL. Never part of `make test`.
bench: deps $(BUILD)/build.ninja
	BUILD=$(BUILD) bash bench/run

# Fuzzing (docs/reliability.md): the libFuzzer targets of fuzz/ built with clang in build-fuzz,
# each run for FUZZ_SECONDS on a scratch copy of its corpus (fuzz/corpus/<target>); a crash,
# sanitizer report, uncaught exception or input slower than 5 s stops it and keeps the input
# in build-fuzz/findings/. `make test` replays the corpus without clang.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= plan checkin_csv json_body date number query formula
fuzz:
	@bash scripts/install-deps fuzz
	cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++-14 -DCASCADE_FUZZ=ON \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only"
	cmake --build build-fuzz -j $(JOBS) --target $(addsuffix _fuzzer,$(FUZZ_TARGETS))
	@mkdir -p build-fuzz/findings
	@set -e; for t in $(FUZZ_TARGETS); do \
	  rm -rf build-fuzz/corpus/$$t; mkdir -p build-fuzz/corpus/$$t; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  dict=; [ ! -e fuzz/$$t.dict ] || dict=-dict=fuzz/$$t.dict; \
	  build-fuzz/fuzz/$${t}_fuzzer -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=2048 \
	    -max_len=65536 -print_final_stats=1 -artifact_prefix=build-fuzz/findings/$$t- $$dict \
	    build-fuzz/corpus/$$t fuzz/corpus/$$t; \
	done

# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer (GCC), in build-asan.
# Reports of the `cascade` processes the end-to-end tests start go to build-asan/sanitizer.*,
# which must stay empty.
SANITIZE_FLAGS = -O1 -g -fno-omit-frame-pointer -D_GLIBCXX_ASSERTIONS
test-asan: deps
	cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS) -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
	cmake --build build-asan -j $(JOBS)
	rm -f $(CURDIR)/build-asan/sanitizer.*
	@cd build-asan && status=0; \
	  ASAN_OPTIONS=detect_leaks=1:log_path=$(CURDIR)/build-asan/sanitizer \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(CURDIR)/build-asan/sanitizer \
	  ctest --output-on-failure -j $(JOBS) || status=$$?; \
	  if ls sanitizer.* >/dev/null 2>&1; then \
	    echo "test-asan: sanitizer reports:"; cat sanitizer.*; status=1; fi; \
	  exit $$status

# The server's tests (server_tests, the HTTP end-to-end tests) under ThreadSanitizer, in build-tsan.
test-tsan: deps
	cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS) -fsanitize=thread" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread"
	cmake --build build-tsan -j $(JOBS) --target cascade server_tests e2e_tests
	rm -f $(CURDIR)/build-tsan/sanitizer.*
	@cd build-tsan && status=0; \
	  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:log_path=$(CURDIR)/build-tsan/sanitizer; \
	  ./server_tests && ./e2e_tests --gtest_filter='HttpTest.*' || status=$$?; \
	  if ls sanitizer.* >/dev/null 2>&1; then \
	    echo "test-tsan: sanitizer reports:"; cat sanitizer.*; status=1; fi; \
	  exit $$status

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'bench/*.cc')

clean:
	rm -rf $(BUILD)
