"""Performance benchmarks: each ``bench/<name>.py`` has a ``main()`` that prints its figures.

Run all with ``python -m bench`` (``make bench``) or some with ``python -m bench NAME ...``.
"""
