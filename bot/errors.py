"""Errors the CLI explains to the operator."""


class OperatorError(Exception):
    """A mistake in a command's arguments, explained for the operator."""
