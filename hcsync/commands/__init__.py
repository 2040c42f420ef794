"""One module per command: each registers its argparse subcommand and runs it.

A command module owns its flags, its help text (with examples) and the function that runs it
and returns an exit code. Shared plumbing (where output goes, the client, colour, writing a
file) lives in ``common``; turning errors into exit codes is ``hcsync.cli``'s job.
"""
