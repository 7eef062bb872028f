"""Prints the shortest round-trip spellings that Basin's CSV writer must produce.

Python's repr of a float is the shortest string that reads back as the same double, with
exponent form below 1e-4 and from 1e16 on; numpy's str of a float32 does the same in
single precision. The expected values in Tests/BasinCommandLineTests/CSVTableTests.swift
are this script's output.

Run: python3 scripts/csv_number_format.py
"""

import numpy as np

doubles = [0.1, 1e-05, 0.0001, 1e16, 123456789012345.0, 2.0, -0.0, 0.30000000000000004,
           5e-324, 1.7976931348623157e308, 1 / 3]
for value in doubles:
    print(repr(value))
for value in [0.1, 1 / 3]:
    print(np.float32(value))
