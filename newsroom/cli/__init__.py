"""The `newsroom` command line. Library first: commands only turn library errors into
`click.ClickException`s with a message that says how to fix the problem."""
