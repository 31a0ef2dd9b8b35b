"""The Connect Widget: widget URLs, sessions and their step machine. Pure core, no HTTP.

config.py parses a widget URL request; links.py keeps single-use, expiring URLs; session.py is the
step machine both front ends (the served page and the headless control API) drive; watch.py moves
sessions along when their member changes; messages.py builds MX's postMessage events.
"""
