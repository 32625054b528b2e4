"""PAdES signatures: `sopdoc sign` and `sopdoc verify`."""
