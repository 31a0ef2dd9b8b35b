"""What the QA console adds above the HTTP layer: running scenarios from the server itself.

`sandbox.http` may not import `sandbox.scenarios` (a client of the server); this package sits with
`app` on top and may use both."""
