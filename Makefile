# FindReviewer: `make run` and `make test` work on a fresh Debian machine with only
# the Swift toolchain; missing Debian packages are installed with apt-get first.

SWIFT ?= swift
# Build: libprotobuf-c and pkg-config. Protos: protoc-c, and libprotobuf-dev for descriptor.proto
# (options.proto extends MethodOptions). Tests: protoc (wire cross-checks),
# python3-aiosmtpd (a real SMTP server).
APT_PACKAGES := libprotobuf-c-dev protobuf-c-compiler protobuf-compiler libprotobuf-dev pkg-config python3-aiosmtpd
# Metrics tests: promtool (check metrics) and a real Prometheus server scraping the metrics port.
APT_PACKAGES += prometheus
# Seconds of fuzzing inside `make test`.
FUZZ_SECONDS ?= 60
# The Python client (clients/python): its tests, its generated code, its offline install.
APT_PACKAGES += python3-pytest python3-protobuf python3-venv python3-setuptools python3-wheel
# Kubernetes manifests (deploy/): their tests read the rendered YAML; kubernetes-validate itself
# comes from PyPI into a venv under .build/ on first use.
APT_PACKAGES += python3-yaml
# Debian's Python, which has python3-protobuf and python3-pytest (not a pyenv one on PATH).
PYTHON ?= /usr/bin/python3

.PHONY: all deps build protos check-protos check-kubernetes test tsan run cli load bench bench-rpc bench-writes crash-test bench-messages fuzz clean

all: build

## deps: install the Debian packages that are missing
deps:
	@scripts/install-deps.sh $(APT_PACKAGES)

## build: debug build of everything
build: deps
	$(SWIFT) build

## protos: regenerate the protoc-c output, the Swift value types and method table, and the Python client's code from Protos/
protos: deps
	scripts/gen-protos.sh
	SWIFT=$(SWIFT) scripts/gen-swift-protos.sh
	PYTHON=$(PYTHON) scripts/gen-python-protos.sh

## check-protos: fail when any committed generated file (protoc-c, Swift, Python) is stale
check-protos: deps
	scripts/check-protos.sh
	SWIFT=$(SWIFT) scripts/check-swift-protos.sh
	PYTHON=$(PYTHON) scripts/check-python-protos.sh

## check-kubernetes: render deploy/kubernetes for 1 and 3 shards, validate offline (kubernetes-validate), test the renderer
check-kubernetes: deps
	PYTHON=$(PYTHON) scripts/check-kubernetes.sh

## test: install, build and run every test
test: deps check-protos check-kubernetes
	$(SWIFT) build --build-tests
	SWIFT=$(SWIFT) scripts/swift-test.sh
	$(PYTHON) -m pytest -q -p no:cacheprovider clients/python/tests
	scripts/fuzz.sh $(FUZZ_SECONDS)

## tsan: the suite (end-to-end included) built with ThreadSanitizer; fails on any report
## from the test process or a server it started (not part of `make test`: see README)
tsan: deps
	scripts/tsan.sh

## run: build (release) and start the server on its defaults: 127.0.0.1:7450, ./data
run: deps
	$(SWIFT) build -c release --product findreviewer-server
	$$($(SWIFT) build -c release --show-bin-path)/findreviewer-server $(ARGS)

## cli: build findreviewer and findreviewer-load (release) into .build/release
cli: deps
	$(SWIFT) build -c release --product findreviewer
	$(SWIFT) build -c release --product findreviewer-load

## load: MIX (mixed) for DURATION s (10) over CONNECTIONS (50) against the server of `make run`; ARGS add options
load: deps
	$(SWIFT) build -c release --product findreviewer-load
	$$($(SWIFT) build -c release --show-bin-path)/findreviewer-load --mix $(or $(MIX),mixed) --connections $(or $(CONNECTIONS),50) \
		--duration $(or $(DURATION),10) $(ARGS)

## fuzz: libFuzzer over frames and message unpacking for SECONDS (default 60)
fuzz: deps
	scripts/fuzz.sh $(or $(SECONDS),60)

## bench: RPC round trips and durability (writes, snapshot, recovery, memory at REQUESTS) beside redis-benchmark, release build (installs redis)
bench: deps
	scripts/bench-rpc.sh $(SECONDS)
	scripts/bench-durability.sh $(SECONDS)

## bench-rpc: only the reads (Health/Check, GetReview, GetInfoRequest, ListInfoRequests, GetPublicReview, the read mix) beside Redis GET, ROUNDS rounds (3), medians
bench-rpc: deps
	scripts/bench-rpc.sh $(SECONDS)

## bench-writes: only durable CreateInfoRequest/s and p50 (1 and 50 clients) beside Redis with appendfsync always, ROUNDS rounds (3), medians; the write preset of findreviewer-load
bench-writes: deps
	scripts/bench-writes.sh $(SECONDS)

## crash-test: the SIGKILL crash test with ROUNDS rounds (default 200)
crash-test: deps
	$(SWIFT) build --build-tests
	FINDREVIEWER_CRASH_ROUNDS=$(or $(ROUNDS),200) $(SWIFT) test --skip-build --filter crashLoop

## bench-python: calls/s from one Python process (1 and 50 in flight) against a release server
.PHONY: bench-python
bench-python: deps
	$(SWIFT) build -c release --product findreviewer-server
	PYTHON=$(PYTHON) scripts/bench-python-client.sh $(SECONDS)

## bench-messages: encode/decode cost per message, release build
bench-messages: deps
	$(SWIFT) build -c release --product messages-bench
	$$($(SWIFT) build -c release --show-bin-path)/messages-bench

## bench-metrics: cost of a metrics update on the hot path, ns (release) and instructions/allocations (valgrind)
.PHONY: bench-metrics
bench-metrics: deps
	scripts/bench-metrics.sh

clean:
	rm -rf .build

## bench-emails: CPU per email rendered and filed (release)
.PHONY: bench-emails
bench-emails: deps
	$(SWIFT) build -c release --product notifications-bench
	$$($(SWIFT) build -c release --show-bin-path)/notifications-bench $(ARGS)
