"""The local web workbench: review candidates, curate the termbase, see contexts.

`glossary serve` runs it on 127.0.0.1. The package has three parts:

- `workbench`: what the pages show and do, as calls of the same library
  functions the command line makes (mining review decisions through
  `glossary.mining.review` and `update_termbase`, search through
  `termbase.model.search`, validation by the rules of `glossary validate`).
  No web framework is imported there.
- `app`: the Flask application: the token, Host and Origin checks, pages
  and a JSON API, both thin over `workbench`.
- `server`: binding the port and serving (Werkzeug's threaded server).

Templates and static files are package data; nothing is fetched from the
network and nothing needs building.
"""
