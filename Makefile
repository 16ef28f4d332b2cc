# The two commands: `make demo` (sandbox + Tally wired together) and `make test` (every test).
# Everything else here is a convenience around CMake and the scripts in scripts/.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)

.PHONY: all deps build test demo bench asan clean help

all: build

help:
	@echo "make demo   - install what is missing, build, start mno-sandbox and tally on loopback, print the URLs"
	@echo "make test   - install what is missing, build, start a throwaway PostgreSQL, run every test (CTest)"
	@echo "make bench  - build and run the benchmarks; prints each figure beside its reference"
	@echo "make build  - configure and build ($(BUILD_TYPE)) into $(BUILD_DIR)/"
	@echo "make asan   - build and test with AddressSanitizer and UBSan (Debug) in build-asan/"

deps:
	scripts/install-deps all

build:
	scripts/install-deps build
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD_DIR) -j$(JOBS)

test:
	scripts/run-tests $(BUILD_DIR)

demo:
	scripts/demo $(BUILD_DIR)

bench:
	scripts/bench $(BUILD_DIR)

asan:
	BUILD_TYPE=Debug CMAKE_EXTRA="-DTALLY_SANITIZE=ON" scripts/run-tests build-asan

clean:
	rm -rf $(BUILD_DIR) build-asan
