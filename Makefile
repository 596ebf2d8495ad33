# Shortcuts; every target is a plain cargo command, so make itself is optional.
.PHONY: demo test bench install package

demo:
	cargo run -q -p xtask -- demo

test:
	cargo test --workspace

bench:
	cargo build --release -p terraform-provider-fivetran
	python3 bench/process.py target/release/terraform-provider-fivetran

install:
	cargo run -q -p xtask -- install

package:
	cargo run -q -p xtask -- package
