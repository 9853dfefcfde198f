"""`python -m generator serve`: a live-reloading preview of a site.

The site is built into `<site>/.preview/` with drafts and plain asset names,
served on 127.0.0.1, and rebuilt whenever one of its sources changes:
site.yaml, content/, the site's templates/ and the default theme.

The modules, by job:

* command.py: the `serve` command: binds the port, makes the first build,
  runs the server until Ctrl-C.
* watcher.py: which sources changed (Watcher).
* rebuilder.py: one build per burst of changes, in a worker thread (Rebuilder).
* state.py: what the event loop knows (Preview): the last build, the open
  tabs, and what to tell each after a build.
* server.py: the tornado application and its handlers.
* hosts.py: which Host and Origin headers name this server.
* paths.py: which request path may read which file.
* overlay.py: the problems shown in the page, and the script tags added to it;
  client.js and client.css are that script and its overlay's style.

How the parts fit:

* Watching is event-driven (`watchfiles`, inotify on Linux) in background
  threads; a burst of writes is merged by a short quiet period (QUIET) so an
  editor saving several files, or a `git checkout`, gives one rebuild.
* Builds run in one worker thread, never on the event loop, so the server
  keeps answering while a build runs; the outcome is handed back to the
  loop with IOLoop.add_callback. The Builder's cache redoes only what the
  change affects.
* The browser side is livereload's: its WebSocket handler (subclassed) and
  livereload.js. Every good build that changes a page reloads the tabs that
  show it; a change to CSS only swaps the stylesheet (livereload's liveCSS).
  livereload's own defaults (polling every 800 ms, builds on the event
  loop, reloads dropped within 3 s of the previous one, WebSockets open to
  any Origin) are not used: this package sends the reload messages itself
  and refuses WebSockets from other origins.
* A failed build keeps the last good pages served; a small script, added to
  HTML responses by this server only (never written to disk), shows the
  problems in an overlay that goes away at the next good build.
* Only files inside the preview folder are served: any path with a dot
  segment, a backslash, a NUL or a percent sign left after decoding is a 404.
* Every request's Host header, and every WebSocket's Origin, must name this
  server and its port, whatever address it listens on: a web page whose name
  an attacker points at this machine (DNS rebinding) names its own. The names
  are the loopback ones, those given with --allow-host, and beyond loopback
  this machine's own and the address a request came in on. Anything malformed
  is a 403.
* Watching starts after the first build; what was saved meanwhile is found
  by comparing the files with how they were when it started (Watcher).

Nothing is imported here, so that cli.py can check a --allow-host name
(hosts.py) without loading tornado.
"""
