# The two commands of the README, and the lint set.
.PHONY: demo test lint setup

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

lint:
	bash scripts/lint.sh

setup:
	bash scripts/setup.sh
