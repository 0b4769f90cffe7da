"""``govreports`` and ``python -m pipeline``: the command line, imported only when it runs.

The parse step's pool spawns its workers, and a spawned Python imports the main module again:
the command line (Dagster, typer, the definitions) is imported inside :func:`main`, so that a
worker imports the parser only (≈ 1.5 s of CPU less per worker and run)."""


def main() -> None:
    from pipeline.cli import app

    app()


if __name__ == "__main__":
    main()
