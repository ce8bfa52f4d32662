"""The attendance routine as plain data and functions: no I/O, no frameworks."""
