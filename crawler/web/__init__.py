"""The analyst's desk: a server-rendered web view of the store (Starlette + Jinja2), its
static report, and the pieces `mtwatch label` / `mtwatch explain` share with it."""
