# Shortcuts; every target is a plain cargo command, so make itself is optional.
.PHONY: demo test bench install package

demo:
	cargo run -q -p xtask -- demo

test:
	cargo test --workspace

bench:
	python3 bench/run.py

install:
	cargo run -q -p xtask -- install

package:
	cargo run -q -p xtask -- package
