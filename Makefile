# The two commands a newcomer needs: `make run` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
DB ?= cascade.db

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

run: cascade
	@rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BUILD)/cascade --db $(DB) demo
	$(BUILD)/cascade --db $(DB) status

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
