"""One module per command group of the command line; `tracer.cli` assembles them."""
