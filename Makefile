# The two commands a newcomer needs: `make run` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
# `make run`'s own database, remade on each run; never ./cascade.db, the CLI's default, which
# holds your work.
DEMO_DB ?= demo.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build cascade run test bench format clean

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

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'bench/*.cc')

clean:
	rm -rf $(BUILD)
