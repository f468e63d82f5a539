"""One reader per file format; ``transfer.formats.read_any`` picks among them."""
