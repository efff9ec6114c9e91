# Blindfold: the README's two commands are `make demo` and `make test`.
SHELL := /bin/bash
DEMO_OUT ?= /tmp/blindfold-demo
SETS := --known-bad Fixtures/hashsets/known-bad.sha256 --known-bad Fixtures/hashsets/known-bad.md5 \
        --known-bad Fixtures/hashsets/known-bad.pdq \
        --known-good Fixtures/hashsets/known-good.hashdeep --known-good Fixtures/hashsets/known-good.sha1

.PHONY: deps build demo test dist bench bench-hashsets bench-pdq bench-vpdq bench-shards bench-plugins bench-images fuzz fixtures clean

deps:
	@bash .ci/install-deps

build: deps
	swift build -c release

# Scans the bundled synthetic evidence against the bundled synthetic sets and prints the summary.
# Exit code 1 from the scan means "known-bad matches found", which the fixtures are made to have.
demo: build
	@rm -rf $(DEMO_OUT)
	@.build/release/blindfold scan Fixtures/evidence --out $(DEMO_OUT) $(SETS); \
	  code=$$?; \
	  if [ $$code -eq 1 ]; then echo "(exit code 1: known-bad matches found, as the fixtures intend)"; exit 0; fi; \
	  exit $$code

# The portable release is built first (its own scratch folder, .build-dist/, kept between runs)
# and its suite (PortableReleaseTests) unpacks and checks that archive.
test: deps dist
	BLINDFOLD_DIST_ARCHIVE="$$(cat .build-dist/last-archive)" swift test --disable-xctest

# The portable release: dist/blindfold-VERSION-linux-x86_64.tar.gz and its .sha256 (docs/RELEASE.md).
dist: deps
	bash .ci/dist

# Benchmarks, not tests: see docs/PERFORMANCE.md. Builds the corpus on first use (about 5 GiB in /tmp).
bench: build
	bash .ci/bench

# Hash-set indexes: import speed and size, lookups per second, PDQ multi-index vs linear scan.
# N SHA-1 entries (default 100 million, about 6.5 GB in /tmp): make bench-hashsets N=10000000
bench-hashsets: build
	bash .ci/bench-hashsets $(N)

# PDQ against the reference's Python binding on 12-megapixel JPEGs, one core each.
bench-pdq: build
	bash .ci/bench-pdq $(N)

# vPDQ against the reference's Python binding on synthetic videos, one core each (docs/VIDEO.md).
bench-vpdq: build
	bash .ci/bench-vpdq $(N)

# Sharded scans: N shards one after another vs one scan, the listing's cost, the merge (docs/SCALE-OUT.md).
bench-shards: build
	bash .ci/bench-shards $(N)

# External plugins: the example plugin alone vs through --plugin, small and big files (docs/PERFORMANCE.md).
bench-plugins: build
	bash .ci/bench-plugins $(N)

# Disk images: scan of an ext4 image vs fls + icat + three digests vs reading it once (docs/DISK-IMAGES.md).
bench-images: build
	bash .ci/bench-images $(N)

# libFuzzer runs, one target after another, FUZZ_SECONDS each: see docs/FUZZING.md.
# Builds into .build-fuzz/; corpora, crashes and logs go to /tmp/blindfold-fuzz/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= all
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" bash .ci/fuzz

fixtures:
	python3 Fixtures/generate.py

clean:
	rm -rf .build .build-fuzz .build-dist dist $(DEMO_OUT)
