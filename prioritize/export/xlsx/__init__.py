"""A small, fast, column-wise xlsx writer, fenced off from the rest: it knows cells and
styles, nothing of councils. :mod:`~prioritize.export.xlsx.writer` writes sheets and shared
strings; :mod:`~prioritize.export.xlsx.ooxml` holds the fixed parts of the package."""
