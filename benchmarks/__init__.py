"""opsconsole benchmarks: ``python -m benchmarks`` (or ``./dev.sh bench``). See README.md."""
