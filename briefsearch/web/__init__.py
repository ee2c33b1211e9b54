"""The local web page (``briefsearch serve``): server-rendered pages over the library, each with a
JSON twin. The only place that imports Starlette, Jinja2 and uvicorn; like ``cli.py`` it only
parses a request, calls one library function and renders what it returns.
"""
