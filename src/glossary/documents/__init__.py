"""Documents in their own format: readers and writers of Word, OpenDocument, PDF,
subtitles, HTML and Markdown that keep the document's structure.

Each format is one module with a reader (`read(data, name, *, repair) ->
Document`) and, where the format is written back, a writer (`write(docs,
stream)`); both are named in the format registry (`glossary.files.formats`).
`structure` builds a `Document` from the paragraphs a reader found and puts
a translation back into a paragraph's text.
"""
