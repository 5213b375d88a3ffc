"""Tooling that the tests and the benchmarks share: real servers started on this machine.

Not part of the installed product (like bench/ and scripts/, it sits on the roof and is not
packaged). The tests import it as freely as bench/ does, so what a benchmark measures runs
on the same server as what the tests check.
"""
