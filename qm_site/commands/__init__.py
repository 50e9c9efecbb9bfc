"""Commands that run several stages together: above site, authoring and importing, below the command line (cli)."""
